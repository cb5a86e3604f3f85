import PDFDocument from 'pdfkit';
import type { DocumentModel } from './document.model';

/** The font that renders Chinese, embedded (subset) into every PDF: a TrueType collection and its face. */
export interface PdfFont {
  path: string;
  /** PostScript name of the face inside a collection (`.ttc`). */
  family?: string;
}

/** The document as a PDF drawn with pdfkit (no browser), text extractable, with the order's barcode. */
export async function renderDocumentPdf(
  model: DocumentModel,
  barcode: Buffer,
  font: PdfFont,
): Promise<Buffer> {
  const doc = new PDFDocument({ size: model.kind === 'shipping-label' ? 'A6' : 'A4', margin: 36 });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  doc.info.Title = `${model.title} ${model.order.number}`;
  doc.registerFont('body', font.path, font.family);
  doc.font('body');
  const { labels } = model;
  const width = doc.page.width - 72;

  doc.fontSize(18).text(model.title);
  doc.image(barcode, { fit: [Math.min(width, 240), 60] });
  doc.moveDown(0.5).fontSize(10);
  doc.text(`${labels.orderNumber}: ${model.order.number}    ${labels.placedAt}: ${model.order.placedAt}`);
  if (model.kind === 'invoice' && model.invoice) {
    doc.text(
      `${labels.invoiceNumber}: ${model.invoice.number}    ${labels.issuedAt}: ${model.invoice.issuedAt}`,
    );
  }
  doc.moveDown();
  const party = (label: string, who: { name: string; address: string | null; phone: string | null }) => {
    doc.fontSize(11).text(label).fontSize(10).text(who.name);
    if (who.address) doc.text(who.address);
    if (who.phone) doc.text(`${labels.phone}: ${who.phone}`);
    doc.moveDown(0.5);
  };
  const invoice = model.kind === 'invoice';
  party(invoice ? labels.seller : labels.sender, model.seller);
  if (invoice) doc.text(`${labels.taxId}: ${model.seller.taxId}`).moveDown(0.5);
  party(invoice ? labels.buyer : labels.recipient, model.customer);

  if (model.kind === 'shipping-label') {
    doc.fontSize(12);
    doc.text(`${labels.carrier}: ${model.shipment?.carrier ?? labels.notYetShipped}`);
    doc.text(`${labels.trackingNumber}: ${model.shipment?.trackingNumber ?? '—'}`);
  } else {
    const columns = invoice ? [0.18, 0.37, 0.1, 0.17, 0.18] : [0.25, 0.6, 0.15];
    const row = (cells: (string | number)[]) => {
      const y = doc.y;
      let x = doc.page.margins.left;
      let bottom = y;
      cells.forEach((cell, index) => {
        const w = columns[index]! * width;
        doc.text(String(cell), x, y, { width: w - 4, align: index >= 2 ? 'right' : 'left' });
        bottom = Math.max(bottom, doc.y);
        x += w;
      });
      doc.x = doc.page.margins.left;
      doc.y = bottom + 2;
    };
    row(
      invoice
        ? [labels.sku, labels.item, labels.quantity, labels.unitPrice, labels.lineTotal]
        : [labels.sku, labels.item, labels.quantity],
    );
    for (const line of model.lines) {
      row(
        invoice
          ? [line.sku, line.name, line.quantity, line.unitPrice, line.lineTotal]
          : [line.sku, line.name, line.quantity],
      );
    }
    doc.moveDown();
    if (invoice) {
      doc.text(`${labels.net}: ${model.totals.net}`, { align: 'right' });
      doc.text(`${labels.tax} (${model.totals.taxRate}): ${model.totals.tax}`, { align: 'right' });
      doc.fontSize(12).text(`${labels.total}: ${model.totals.total}`, { align: 'right' });
    } else {
      doc.text(`${labels.packedItems}: ${model.items}`, { align: 'right' });
    }
  }
  doc.end();
  await finished;
  return Buffer.concat(chunks);
}
