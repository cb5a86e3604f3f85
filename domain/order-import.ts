/**
 * Reading a spreadsheet of order lines (issue 27): a CSV file as Excel writes it (or an XLSX sheet's rows,
 * read in api/imports/xlsx.reader.ts), one order line per row,
 * lines grouped into orders by the sender's reference. Pure: text in, rows and problems out; which customers
 * and products exist is checked by the API against the database afterwards.
 *
 * Rows are numbered as the spreadsheet shows them: the header is row 1, the first line under it row 2.
 */
import { MAX_EXTERNAL_REF_LENGTH } from './order';

/** Largest file accepted, in bytes. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
/** Most order lines (non-empty rows) one file may hold. */
export const MAX_IMPORT_ROWS = 20_000;
/** Most lines one order may have (as an order placed through the API). */
export const MAX_IMPORT_ORDER_LINES = 200;
/** Most units one line may order (as an order placed through the API). */
export const MAX_IMPORT_QUANTITY = 1_000_000;

/** The columns a file may have, by the name in its header row (case and surrounding spaces do not matter). */
export const IMPORT_COLUMNS = ['externalRef', 'customer', 'sku', 'quantity', 'notes'] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];
const REQUIRED_COLUMNS: readonly ImportColumn[] = ['externalRef', 'customer', 'sku', 'quantity'];

/** The longest text each column takes. */
const MAX_LENGTH: Record<ImportColumn, number> = {
  externalRef: MAX_EXTERNAL_REF_LENGTH,
  customer: 320,
  sku: 64,
  quantity: 16,
  notes: 2000,
};

/** One non-empty row of the file: its row number and its cells by column (absent columns are ''). */
export interface ImportRow {
  row: number;
  cells: Record<ImportColumn, string>;
}

/** A problem with one cell: the row and column it is in, and what is wrong. */
export interface ImportProblem {
  row: number;
  field: string;
  message: string;
}

export interface PlannedLine {
  row: number;
  sku: string;
  quantity: number;
}

/** The rows of one reference, grouped into an order (not yet checked against customers and the catalogue). */
export interface PlannedOrder {
  externalRef: string;
  /** The row where the reference first appears. */
  firstRow: number;
  /** As written: a customer id, or an e-mail address that one customer has. */
  customer: string;
  notes: string | null;
  lines: PlannedLine[];
}

export type Decoded = { ok: true; text: string } | { ok: false; message: string };

/** Whether the bytes start as an XLSX (any ZIP) file does. */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** The file's text: UTF-8, with or without the byte order mark Excel writes; anything else is refused. */
export function decodeCsv(bytes: Uint8Array): Decoded {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    return { ok: true, text };
  } catch {
    return {
      ok: false,
      message: 'the file is not UTF-8 text; in Excel save it as "CSV UTF-8 (comma delimited)"',
    };
  }
}

export type Parsed = { ok: true; records: string[][] } | { ok: false; message: string };

/**
 * The file's records (RFC 4180: quoted fields may hold separators, doubled quotes and line breaks; CRLF or
 * LF ends a record). The separator is the one of `,`, `;` and tab that the header line holds most of
 * (Excel writes `;` where the decimal comma is usual). Cells are text, never evaluated.
 */
export function parseCsv(text: string): Parsed {
  const separator = separatorOf(text);
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  let index = 0;
  while (index < text.length) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"') {
        if (text[index + 1] === '"') {
          cell += '"';
          index += 2;
          continue;
        }
        quoted = false;
      } else cell += char;
      index++;
      continue;
    }
    if (char === '"' && cell === '') quoted = true;
    else if (char === separator) {
      record.push(cell);
      cell = '';
    } else if (char === '\r' || char === '\n') {
      record.push(cell);
      records.push(record);
      record = [];
      cell = '';
      if (char === '\r' && text[index + 1] === '\n') index++;
    } else cell += char;
    index++;
  }
  if (quoted) return { ok: false, message: `row ${records.length + 1} opens a quote that never closes` };
  if (cell !== '' || record.length > 0) {
    record.push(cell);
    records.push(record);
  }
  return { ok: true, records };
}

function separatorOf(text: string): string {
  const firstLine = text.slice(0, text.search(/\r|\n|$/));
  const count = (char: string) => firstLine.split(char).length - 1;
  return [';', '\t'].reduce((best, char) => (count(char) > count(best) ? char : best), ',');
}

export type Table = { ok: true; rows: ImportRow[] } | { ok: false; message: string };

/**
 * The records under the header as rows by column. The header must name every required column; unknown
 * columns are ignored; rows with nothing in them (a sheet's trailing empty rows) are skipped. `rowOf` gives
 * a record's row number as the spreadsheet shows it (a CSV's records are rows 1, 2, …; a workbook's sheet
 * leaves out its empty rows).
 */
export function readImportTable(
  records: string[][],
  rowOf: (index: number) => number = (index) => index + 1,
): Table {
  const [header, ...lines] = records;
  if (!header) return { ok: false, message: 'the file is empty' };
  const position = new Map<ImportColumn, number>();
  header.forEach((name, index) => {
    const column = IMPORT_COLUMNS.find((known) => known.toLowerCase() === name.trim().toLowerCase());
    if (column && !position.has(column)) position.set(column, index);
  });
  const missing = REQUIRED_COLUMNS.filter((column) => !position.has(column));
  if (missing.length > 0) {
    return {
      ok: false,
      message: `the header row (row ${rowOf(0)}) lacks the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; it needs ${REQUIRED_COLUMNS.join(', ')} (notes optional)`,
    };
  }
  const rows: ImportRow[] = [];
  for (const [index, record] of lines.entries()) {
    if (record.every((cell) => cell.trim() === '')) continue;
    if (rows.length === MAX_IMPORT_ROWS) {
      return { ok: false, message: `the file has more than ${MAX_IMPORT_ROWS} rows; split it` };
    }
    const cells = Object.fromEntries(
      IMPORT_COLUMNS.map((column) => {
        const at = position.get(column);
        return [column, at === undefined ? '' : (record[at] ?? '')];
      }),
    ) as Record<ImportColumn, string>;
    rows.push({ row: rowOf(index + 1), cells });
  }
  if (rows.length === 0) return { ok: false, message: 'the file has no rows under its header' };
  return { ok: true, rows };
}

/** Leading characters that make a spreadsheet treat a cell as a formula. */
const FORMULA_START = /^[=+\-@]/;
/** Whether the text holds a control character other than line breaks and tab. */
function hasControl(value: string): boolean {
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    const lineBreakOrTab = code === 0x09 || code === 0x0a || code === 0x0d;
    if (
      (code < 0x20 && !lineBreakOrTab) ||
      (code >= 0x7f && code <= 0x9f) ||
      code === 0x2028 ||
      code === 0x2029
    )
      return true;
  }
  return false;
}

/** What is wrong with a text cell, or null. Formula-looking text is kept as text: nothing is evaluated. */
function textProblem(column: ImportColumn, value: string): string | null {
  if (value.length > MAX_LENGTH[column]) return `is longer than ${MAX_LENGTH[column]} characters`;
  if (hasControl(value)) return 'contains control characters';
  if (column !== 'notes' && /[\r\n\t]/.test(value)) return 'must be a single line';
  return null;
}

/** The quantity a cell says, or what is wrong with it. */
function quantityOf(value: string): number | string {
  if (FORMULA_START.test(value) && !/^-\d+$/.test(value))
    return 'looks like a formula; formulas are not evaluated, write the number itself';
  if (!/^\d+$/.test(value)) return `must be a whole number, not ${JSON.stringify(value)}`;
  const quantity = Number(value);
  if (quantity < 1 || quantity > MAX_IMPORT_QUANTITY) return `must be between 1 and ${MAX_IMPORT_QUANTITY}`;
  return quantity;
}

export interface Plan {
  /** Every reference's order, in the order of first appearance, including those with problems. */
  orders: PlannedOrder[];
  problems: ImportProblem[];
}

/**
 * Checks every row on its own and groups the rows into orders by reference. Problems name row and field:
 * an empty or malformed cell; a reference used again with another customer (or other notes); a product
 * repeated within one order; an order with more lines than allowed.
 */
export function planImport(rows: readonly ImportRow[]): Plan {
  const problems: ImportProblem[] = [];
  const orders = new Map<string, PlannedOrder>();
  for (const { row, cells } of rows) {
    const problem = (field: ImportColumn, message: string) => problems.push({ row, field, message });
    const trimmed = Object.fromEntries(
      IMPORT_COLUMNS.map((column) => [column, column === 'notes' ? cells[column] : cells[column].trim()]),
    ) as Record<ImportColumn, string>;
    let rowValid = true;
    for (const column of IMPORT_COLUMNS) {
      const value = trimmed[column];
      if (value === '' && column !== 'notes') {
        problem(column, 'is empty');
        rowValid = false;
        continue;
      }
      const wrong = textProblem(column, value);
      if (wrong) {
        problem(column, wrong);
        rowValid = false;
      }
    }
    const quantity = trimmed.quantity === '' ? null : quantityOf(trimmed.quantity);
    if (typeof quantity === 'string') {
      problem('quantity', quantity);
      rowValid = false;
    }
    if (trimmed.externalRef === '') continue;
    const notes = trimmed.notes.trim() === '' ? null : trimmed.notes;
    let order = orders.get(trimmed.externalRef);
    if (!order) {
      order = {
        externalRef: trimmed.externalRef,
        customer: trimmed.customer,
        notes,
        lines: [],
        firstRow: row,
      };
      orders.set(trimmed.externalRef, order);
    } else {
      if (trimmed.customer !== '' && trimmed.customer !== order.customer) {
        problem(
          'customer',
          `differs from row ${order.firstRow} of the same reference ${JSON.stringify(order.externalRef)} (${JSON.stringify(order.customer)})`,
        );
        rowValid = false;
      }
      if (notes !== null) {
        if (order.notes === null) order.notes = notes;
        else if (notes !== order.notes) {
          problem('notes', `differ from the notes given earlier for ${JSON.stringify(order.externalRef)}`);
          rowValid = false;
        }
      }
    }
    const earlier = order.lines.find((line) => line.sku === trimmed.sku);
    if (earlier && trimmed.sku !== '') {
      problem('sku', `repeats row ${earlier.row} of the same order; put the whole quantity on one row`);
      rowValid = false;
    }
    if (rowValid && typeof quantity === 'number') {
      if (order.lines.length === MAX_IMPORT_ORDER_LINES) {
        problem('externalRef', `has more than ${MAX_IMPORT_ORDER_LINES} lines`);
        continue;
      }
      order.lines.push({ row, sku: trimmed.sku, quantity });
    }
  }
  return { orders: [...orders.values()], problems };
}

/**
 * The orders that can be created: those whose rows all passed. A problem in one line leaves its whole
 * order out, never an order with a line missing. `valid` counts the rows of those orders.
 */
export function validOrders<T extends Pick<PlannedOrder, 'externalRef' | 'lines'>>(
  rows: readonly ImportRow[],
  orders: readonly T[],
  problems: readonly ImportProblem[],
): { orders: T[]; valid: number } {
  const badRows = new Set(problems.map((problem) => problem.row));
  const badRefs = new Set(
    rows.filter((row) => badRows.has(row.row)).map((row) => row.cells.externalRef.trim()),
  );
  const kept = orders.filter((order) => !badRefs.has(order.externalRef) && order.lines.length > 0);
  return { orders: kept, valid: kept.reduce((sum, order) => sum + order.lines.length, 0) };
}
