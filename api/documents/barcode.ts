import bwipjs from 'bwip-js';

const options = (text: string) => ({
  bcid: 'code128',
  text,
  height: 12,
  includetext: true,
  textxalign: 'center' as const,
});

/** A Code 128 barcode of the text as an SVG data URL, allowed by the console's `img-src 'self' data:`. */
export function barcodeDataUrl(text: string): string {
  const svg = bwipjs.toSVG(options(text));
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

/** The same barcode as a PNG, for the PDF. */
export function barcodePng(text: string): Promise<Buffer> {
  return bwipjs.toBuffer({ ...options(text), scale: 3 });
}
