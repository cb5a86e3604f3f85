import ExcelJS from 'exceljs';
import { deflateRawSync } from 'node:zlib';
import { MAX_UNPACKED_BYTES, checkArchive, readXlsx, textOf } from './xlsx.reader';

/** A ZIP archive of one deflated entry whose directory declares `declared` bytes unpacked. */
function zipOf(content: Buffer, declared = content.length): Buffer {
  const name = Buffer.from('xl/worksheets/sheet1.xml');
  const packed = deflateRawSync(content);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(packed.length, 18);
  local.writeUInt32LE(declared, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(packed.length, 20);
  central.writeUInt32LE(declared, 24);
  central.writeUInt16LE(name.length, 28);
  central.writeUInt32LE(0, 42);
  const directoryAt = local.length + name.length + packed.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(directoryAt, 16);
  return Buffer.concat([local, name, packed, central, name, end]);
}

describe('an XLSX archive before it is unpacked', () => {
  it('passes a small archive that unpacks to what it declares', () => {
    expect(checkArchive(zipOf(Buffer.from('<worksheet/>')))).toBeNull();
  });

  it('refuses one that declares more than the limit (a zip bomb: a few hundred kB of zeros)', () => {
    const bomb = zipOf(Buffer.alloc(MAX_UNPACKED_BYTES + 1));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    expect(checkArchive(bomb)).toMatch(/unpacks to more than 64 MB/);
  });

  it('refuses one whose entry unpacks to more than its directory says, without unpacking the rest', () => {
    expect(checkArchive(zipOf(Buffer.alloc(10 * 1024 * 1024), 1000))).toMatch(/more than it declares/);
  });

  it('refuses what is no archive', () => {
    expect(checkArchive(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]))).toMatch(/not a readable XLSX/);
  });
});

describe('the cells of a sheet', () => {
  it('are text: formulas as their cached value, never evaluated', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('one');
    sheet.addRow(['a', 2, { formula: 'B1*100', result: 200 }, { formula: 'NOW()' }, true]);
    sheet.getRow(3).values = [{ richText: [{ text: 'ri' }, { text: 'ch' }] }];
    const read = await readXlsx(Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(read).toEqual({
      ok: true,
      records: [
        { row: 1, cells: ['a', '2', '200', '', 'TRUE'] },
        { row: 3, cells: ['rich'] },
      ],
    });
    expect(textOf({ error: '#DIV/0!' })).toBe('#DIV/0!');
  });
});
