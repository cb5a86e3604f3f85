import { parse } from 'csv-parse/sync';
import { neutralised, toCsv } from './report.csv';

describe('report CSV', () => {
  const rows = [
    ['杭州茶叶, 有限公司', 'CNY', 12990],
    ['He said "好茶"', 'USD', -5],
    ['line one\nline two', 'CNY', 0],
    ['=HYPERLINK("http://evil.example","click")', 'CNY', 1],
    ['+86 138', '-1', 2],
    ['@SUM(A1)', '\tTab', 3],
  ];
  const csv = toCsv(['name', 'currency', 'revenue'], rows);

  it('starts with a UTF-8 byte order mark so spreadsheets read it as UTF-8', () => {
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });

  it('parses back to the same rows, commas, quotes, line breaks and Chinese intact', () => {
    const parsed = parse(csv, { bom: true });
    expect(parsed[0]).toEqual(['name', 'currency', 'revenue']);
    expect(parsed.slice(1, 4)).toEqual(rows.slice(0, 3).map((row) => row.map(String)));
  });

  it('keeps text that looks like a formula as text, with a leading apostrophe', () => {
    const parsed = parse(csv, { bom: true });
    expect(parsed[4]).toEqual(['\'=HYPERLINK("http://evil.example","click")', 'CNY', '1']);
    expect(parsed[5]).toEqual(["'+86 138", "'-1", '2']);
    expect(parsed[6]).toEqual(["'@SUM(A1)", "'\tTab", '3']);
  });

  it('also neutralises full-width formula signs, and signs after leading spaces or tabs', () => {
    for (const text of [
      '＝HYPERLINK("http://evil.example","click")',
      '＋86 138',
      '－1',
      '＠SUM(A1)',
      ' =1+1',
      '  +1',
      ' \t@SUM(A1)',
      '\u3000＝1',
    ])
      expect([text, neutralised(text)]).toEqual([text, `'${text}`]);
    expect(neutralised(' plain text')).toBe(' plain text');
    expect(neutralised('a = b')).toBe('a = b');
  });

  it('leaves numbers as numbers, negative ones too', () => {
    expect(parse(csv, { bom: true })[2]![2]).toBe('-5');
    expect(neutralised('plain')).toBe('plain');
  });
});
