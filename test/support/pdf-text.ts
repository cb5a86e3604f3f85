import { execFile } from 'node:child_process';

/**
 * The text of a PDF, extracted with pdf-parse (pdf.js) in a plain Node process: pdf.js loads its worker
 * with a dynamic import, which jest's module sandbox does not allow.
 */
export function pdfText(pdf: Uint8Array): Promise<string> {
  const script = `
    const { PDFParse } = require('pdf-parse');
    const chunks = [];
    process.stdin.on('data', (c) => chunks.push(c)).on('end', async () => {
      const parser = new PDFParse({ data: new Uint8Array(Buffer.concat(chunks)) });
      process.stdout.write((await parser.getText()).text);
      await parser.destroy();
    });`;
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ['-e', script],
      { maxBuffer: 16 * 1024 * 1024 },
      (error, stdout) =>
        error ? reject(new Error(`extracting PDF text failed: ${error.message}`)) : resolve(stdout),
    );
    child.stdin!.end(Buffer.from(pdf));
  });
}
