import { stringify } from 'csv-stringify/sync';

/**
 * What a spreadsheet reads as the start of a formula: `=`, `+`, `-`, `@` and their full-width forms (which
 * some spreadsheets, and Chinese input methods, turn into the ASCII ones), also after leading spaces, tabs
 * or ideographic spaces; and a leading tab or carriage return.
 */
const FORMULA_START = /^[\s\u3000]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|^[\t\r]/;

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
