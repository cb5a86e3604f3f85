/**
 * Reading the first sheet of an XLSX workbook as the records of an import (issue 27): the same columns and
 * checks as a CSV file, rows numbered as the spreadsheet shows them. Cells are read as the workbook stores
 * them: a formula cell gives its cached value, as text; nothing is evaluated.
 *
 * A workbook is a ZIP archive, and a 5 MB archive can unpack to gigabytes (a "zip bomb"). Before the workbook
 * library unpacks anything, the archive is checked: few entries, at most MAX_UNPACKED_BYTES unpacked in all as
 * its directory declares, and each entry inflated under a cap of its declared size, so a directory that lies
 * is caught with no more than the declared total ever in memory.
 */
import ExcelJS from 'exceljs';
import { inflateRawSync } from 'node:zlib';

/** The most an accepted workbook may unpack to (a 20,000-row sheet is a few megabytes of XML). */
export const MAX_UNPACKED_BYTES = 64 * 1024 * 1024;
/** The most entries an accepted workbook may hold. */
const MAX_ENTRIES = 2000;

/** One non-empty row of the sheet: its number as the spreadsheet shows it, and its cells as text. */
export interface NumberedRecord {
  row: number;
  cells: string[];
}

export type SheetRead = { ok: true; records: NumberedRecord[] } | { ok: false; message: string };

const UNREADABLE =
  'is not a readable XLSX workbook; save it again in Excel as "Excel Workbook (.xlsx)" or as CSV UTF-8';

/** The non-empty rows of the workbook's first sheet, or why it cannot be read. */
export async function readXlsx(bytes: Buffer): Promise<SheetRead> {
  const archive = checkArchive(bytes);
  if (archive) return { ok: false, message: archive };
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    return { ok: false, message: UNREADABLE };
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return { ok: false, message: 'the workbook has no sheet' };
  const records: NumberedRecord[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    for (let column = 1; column <= row.cellCount; column++) cells.push(textOf(row.getCell(column).value));
    records.push({ row: rowNumber, cells });
  });
  return { ok: true, records };
}

/** A cell's value as text: a formula's cached result, rich text's characters, a link's text. */
export function textOf(value: ExcelJS.CellValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return value.toISOString();
  if ('formula' in value || 'sharedFormula' in value) return textOf(value.result);
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  if ('error' in value) return value.error;
  if ('text' in value) return typeof value.text === 'string' ? value.text : textOf(value.text);
  return '';
}

/**
 * Why the archive may not be unpacked, or null: it is no ZIP archive the library could read, it has too many
 * entries, it declares more than MAX_UNPACKED_BYTES, or an entry unpacks to more than it declares.
 */
export function checkArchive(bytes: Buffer): string | null {
  const end = endOfDirectory(bytes);
  if (end === null) return `the file ${UNREADABLE}`;
  const entries = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  // ZIP64 markers: a workbook under the upload limit never needs them.
  if (entries === 0xffff || at === 0xffffffff || entries > MAX_ENTRIES)
    return `the file ${UNREADABLE} (it holds too many parts)`;
  let declared = 0;
  for (let index = 0; index < entries; index++) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== 0x02014b50) return `the file ${UNREADABLE}`;
    const method = bytes.readUInt16LE(at + 10);
    const packed = bytes.readUInt32LE(at + 20);
    const size = bytes.readUInt32LE(at + 24);
    const nameLength = bytes.readUInt16LE(at + 28);
    const local = bytes.readUInt32LE(at + 42);
    at += 46 + nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
    declared += size;
    if (declared > MAX_UNPACKED_BYTES)
      return `the file unpacks to more than ${MAX_UNPACKED_BYTES / 1024 / 1024} MB; a sheet of orders never does`;
    if (local + 30 > bytes.length || bytes.readUInt32LE(local) !== 0x04034b50)
      return `the file ${UNREADABLE}`;
    const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    const data = bytes.subarray(start, start + packed);
    if (data.length !== packed) return `the file ${UNREADABLE}`;
    if (method === 0) {
      if (packed !== size) return `the file ${UNREADABLE}`;
    } else if (method === 8) {
      try {
        // More than it declares is refused before it is produced.
        if (inflateRawSync(data, { maxOutputLength: Math.max(size, 1) }).length !== size)
          return `the file ${UNREADABLE}`;
      } catch {
        return `the file ${UNREADABLE} (a part unpacks to more than it declares, or is damaged)`;
      }
    } else return `the file ${UNREADABLE} (it is compressed in a way workbooks are not)`;
  }
  return null;
}

/** Where the archive's end-of-directory record starts (searched from the end, past a comment), or null. */
function endOfDirectory(bytes: Buffer): number | null {
  const earliest = Math.max(0, bytes.length - 22 - 0xffff);
  for (let at = bytes.length - 22; at >= earliest; at--) {
    if (bytes.readUInt32LE(at) === 0x06054b50) return at;
  }
  return null;
}
