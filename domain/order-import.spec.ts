import {
  MAX_IMPORT_ROWS,
  decodeCsv,
  looksLikeZip,
  parseCsv,
  planImport,
  readImportTable,
  validOrders,
  type ImportRow,
} from './order-import';

const encode = (text: string) => new TextEncoder().encode(text);

/** The rows of a CSV text, as the import reads them (the text must be a valid file). */
function rowsOf(text: string): ImportRow[] {
  const parsed = parseCsv(text);
  if (!parsed.ok) throw new Error(parsed.message);
  const table = readImportTable(parsed.records);
  if (!table.ok) throw new Error(table.message);
  return table.rows;
}

describe('reading a CSV file', () => {
  it('reads UTF-8 with the byte order mark Excel writes, and without it, alike', () => {
    const text = 'externalRef,customer,sku,quantity\r\nA,c@example.com,茶-1,2\r\n';
    const withBom = decodeCsv(new Uint8Array([0xef, 0xbb, 0xbf, ...encode(text)]));
    expect(withBom).toEqual({ ok: true, text });
    expect(decodeCsv(encode(text))).toEqual({ ok: true, text });
  });

  it('refuses text that is not UTF-8 (a GBK or Latin-1 export), saying how to save it', () => {
    const latin1 = new Uint8Array([0x41, 0x2c, 0xe9, 0x0a]);
    expect(decodeCsv(latin1)).toEqual({ ok: false, message: expect.stringContaining('CSV UTF-8') });
  });

  it('tells an XLSX (zip) file from text', () => {
    expect(looksLikeZip(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14]))).toBe(true);
    expect(looksLikeZip(encode('externalRef,customer'))).toBe(false);
  });

  it('keeps separators, doubled quotes and line breaks inside quoted cells', () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi""\nthere"\n')).toEqual({
      ok: true,
      records: [
        ['a', 'b'],
        ['x, y', 'say "hi"\nthere'],
      ],
    });
  });

  it('takes semicolons as the separator when the header is written with them', () => {
    expect(parseCsv('externalRef;customer;sku;quantity\nA;c;s;1')).toEqual({
      ok: true,
      records: [
        ['externalRef', 'customer', 'sku', 'quantity'],
        ['A', 'c', 's', '1'],
      ],
    });
  });

  it('refuses a quote that never closes, naming the row', () => {
    expect(parseCsv('a,b\n"open,1\n2,3\n')).toEqual({ ok: false, message: expect.stringContaining('row 2') });
  });

  it('numbers rows as the spreadsheet shows them and skips empty rows', () => {
    const rows = rowsOf('externalRef,customer,sku,quantity\nA,c,s,1\n,,,\n\nB,c,s,2\n');
    expect(rows.map((row) => [row.row, row.cells.externalRef])).toEqual([
      [2, 'A'],
      [5, 'B'],
    ]);
  });

  it('finds the columns by header name, in any order and case, and names the missing ones', () => {
    const rows = rowsOf('Quantity, SKU ,customer,EXTERNALREF,other\n3,s,c,A,x\n');
    expect(rows[0]!.cells).toEqual({ externalRef: 'A', customer: 'c', sku: 's', quantity: '3', notes: '' });
    const parsed = parseCsv('externalRef,sku\nA,s\n');
    expect(parsed.ok && readImportTable(parsed.records)).toEqual({
      ok: false,
      message: expect.stringContaining('lacks the columns customer, quantity'),
    });
  });

  it(`refuses more than ${MAX_IMPORT_ROWS} rows, however cheap, but not trailing empty ones`, () => {
    const line = 'A,c,s,1\n';
    const over = parseCsv(`externalRef,customer,sku,quantity\n${line.repeat(MAX_IMPORT_ROWS + 1)}`);
    expect(over.ok && readImportTable(over.records)).toEqual({
      ok: false,
      message: expect.stringContaining(`more than ${MAX_IMPORT_ROWS} rows`),
    });
    const emptyTail = parseCsv(`externalRef,customer,sku,quantity\n${line}${',,,\n'.repeat(100_000)}`);
    expect(emptyTail.ok && readImportTable(emptyTail.records)).toMatchObject({
      ok: true,
      rows: [{ row: 2 }],
    });
  });
});

describe('checking and grouping the rows', () => {
  const header = 'externalRef,customer,sku,quantity,notes\n';

  it('groups lines into orders by reference, in the order they first appear', () => {
    const plan = planImport(rowsOf(`${header}A,c1,tea,2,\nB,c2,tea,1,\nA,c1,cup,3,Back door\n`));
    expect(plan.problems).toEqual([]);
    expect(plan.orders).toEqual([
      {
        externalRef: 'A',
        firstRow: 2,
        customer: 'c1',
        notes: 'Back door',
        lines: [
          { row: 2, sku: 'tea', quantity: 2 },
          { row: 4, sku: 'cup', quantity: 3 },
        ],
      },
      {
        externalRef: 'B',
        firstRow: 3,
        customer: 'c2',
        notes: null,
        lines: [{ row: 3, sku: 'tea', quantity: 1 }],
      },
    ]);
  });

  it('names row and field of empty cells and of quantities that are not whole positive numbers', () => {
    const plan = planImport(rowsOf(`${header}A,,tea,2,\nB,c,tea,two,\nC,c,tea,0,\nD,c,tea,1.5,\n`));
    expect(plan.problems).toEqual([
      { row: 2, field: 'customer', message: 'is empty' },
      { row: 3, field: 'quantity', message: 'must be a whole number, not "two"' },
      { row: 4, field: 'quantity', message: 'must be between 1 and 1000000' },
      { row: 5, field: 'quantity', message: 'must be a whole number, not "1.5"' },
    ]);
  });

  it('keeps formula-looking cells as text and never evaluates them', () => {
    const rows = rowsOf(`${header}"=HYPERLINK(""x"")",c,@sku,=1+1,\n+A,c,tea,+5,\n`);
    const plan = planImport(rows);
    expect(plan.problems).toEqual([
      { row: 2, field: 'quantity', message: expect.stringContaining('formulas are not evaluated') },
      { row: 3, field: 'quantity', message: expect.stringContaining('formulas are not evaluated') },
    ]);
    expect(plan.orders.map((order) => order.externalRef)).toEqual(['=HYPERLINK("x")', '+A']);
    const fine = planImport(rowsOf(`${header}=A,c,@sku,1,-note\n`));
    expect(fine.problems).toEqual([]);
    expect(fine.orders[0]).toMatchObject({ externalRef: '=A', lines: [{ sku: '@sku' }], notes: '-note' });
  });

  it('flags a reference used again with another customer, and a product repeated in one order', () => {
    const rows = rowsOf(`${header}A,c1,tea,1,\nA,c2,cup,1,\nA,c1,tea,4,\n`);
    expect(planImport(rows).problems).toEqual([
      { row: 3, field: 'customer', message: expect.stringContaining('differs from row 2') },
      { row: 4, field: 'sku', message: expect.stringContaining('repeats row 2') },
    ]);
  });

  it('refuses control characters and line breaks in single-line cells, allows line breaks in notes', () => {
    const rows = rowsOf(`${header}"A\nB",c,tea,1,\nC,c\u0007,tea,1,"two\nlines"\n`);
    expect(planImport(rows).problems).toEqual([
      { row: 2, field: 'externalRef', message: 'must be a single line' },
      { row: 3, field: 'customer', message: 'contains control characters' },
    ]);
  });

  it('leaves out a whole order when any of its rows has a problem, and counts the valid rows', () => {
    const rows = rowsOf(`${header}A,c,tea,1,\nA,c,cup,x,\nB,c,tea,1,\nB,c,cup,2,\n`);
    const plan = planImport(rows);
    const { orders, valid } = validOrders(rows, plan.orders, plan.problems);
    expect(orders.map((order) => order.externalRef)).toEqual(['B']);
    expect(valid).toBe(2);
  });
});
