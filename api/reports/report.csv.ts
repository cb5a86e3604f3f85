import { stringify } from 'csv-stringify/sync';

/** Characters a spreadsheet reads as the start of a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell a spreadsheet shows as text: a leading `'` keeps `=HYPERLINK(…)` from becoming a formula. */
export function neutralised(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export type CsvCell = string | number | null;

/**
 * A CSV document: UTF-8 with a byte order mark (so spreadsheets pick the encoding), CRLF line ends, every
 * field quoted as RFC 4180 needs, text that looks like a formula neutralised. Numbers stay numbers.
 */
export function toCsv(header: string[], rows: CsvCell[][]): string {
  return stringify([header, ...rows], {
    bom: true,
    record_delimiter: 'windows',
    cast: { string: (value) => neutralised(value) },
  });
}
