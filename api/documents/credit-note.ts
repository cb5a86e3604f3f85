/**
 * A return's credit note (issue 25): what was refunded for which units, numbered gap-free per year like
 * invoices, in the customer's language, as HTML (handlebars, every value escaped) or as a PDF (pdfkit).
 */
import Handlebars from 'handlebars';
import PDFDocument from 'pdfkit';
import type { CreditNote } from '../../db/repositories';
import type { Language } from '../../domain/people';
import type { ReturnSnapshot } from '../../domain/return';
import { moneyFormatter, splitTax } from './document.model';
import type { PdfFont } from './document.pdf';

const LABELS = {
  'zh-CN': {
    title: '红字发票（退款凭证）',
    creditNoteNumber: '凭证号',
    issuedAt: '开具日期',
    orderNumber: '订单号',
    returnNumber: '退货单号',
    seller: '销售方',
    taxId: '税号',
    buyer: '购买方',
    sku: '货号',
    quantity: '数量',
    condition: '状况',
    resellable: '可再售',
    damaged: '损坏',
    unitPrice: '单价',
    lineTotal: '金额',
    net: '不含税金额',
    tax: '税额',
    refunded: '退款合计',
  },
  en: {
    title: 'Credit note',
    creditNoteNumber: 'Credit note number',
    issuedAt: 'Issued',
    orderNumber: 'Order number',
    returnNumber: 'Return number',
    seller: 'Seller',
    taxId: 'Tax ID',
    buyer: 'Credit to',
    sku: 'SKU',
    quantity: 'Qty',
    condition: 'Condition',
    resellable: 'resellable',
    damaged: 'damaged',
    unitPrice: 'Unit price',
    lineTotal: 'Amount',
    net: 'Net',
    tax: 'Tax',
    refunded: 'Refunded',
  },
} as const;

type Labels = { [K in keyof (typeof LABELS)['en']]: string };

export interface CreditNoteModel {
  language: Language;
  labels: Labels;
  creditNote: { number: string; issuedAt: string };
  orderNumber: string;
  returnNumber: string;
  seller: { name: string; address: string; taxId: string };
  customer: { name: string };
  lines: { sku: string; quantity: number; condition: string; unitPrice: string; lineTotal: string }[];
  totals: { net: string; tax: string; taxRate: string; refunded: string };
}

/** What the credit note shows, worked out once for both renderings. */
export function creditNoteModel(input: {
  note: CreditNote;
  ret: ReturnSnapshot;
  orderNumber: string;
  customer: { name: string; language: Language };
  timeZone: string;
}): CreditNoteModel {
  const { note, ret, customer } = input;
  const language = customer.language;
  const labels = LABELS[language];
  const money = moneyFormatter(note.currency, language);
  const prices = new Map(ret.lines.map((line) => [line.sku, line.unitPrice]));
  const { net, tax } = splitTax(note.amount, note.taxRateBp);
  return {
    language,
    labels,
    creditNote: {
      number: note.number,
      issuedAt: new Intl.DateTimeFormat('en-CA', { timeZone: input.timeZone, dateStyle: 'short' }).format(
        new Date(note.issuedAt),
      ),
    },
    orderNumber: input.orderNumber,
    returnNumber: ret.number,
    seller: { name: note.seller.name, address: note.seller.address, taxId: note.seller.taxId },
    customer: { name: customer.name },
    lines: ret.received.map(({ sku, quantity, condition }) => ({
      sku,
      quantity,
      condition: labels[condition],
      unitPrice: money(prices.get(sku) ?? 0),
      lineTotal: money((prices.get(sku) ?? 0) * quantity),
    })),
    totals: {
      net: money(net),
      tax: money(tax),
      taxRate: `${note.taxRateBp / 100}%`,
      refunded: money(note.amount),
    },
  };
}

const TEMPLATE = Handlebars.compile(
  `<!doctype html>
<html lang="{{language}}"><head><meta charset="utf-8"><title>{{labels.title}} {{creditNote.number}}</title>
<style>
body { font-family: "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif; margin: 2em; color: #111; }
table { border-collapse: collapse; width: 100%; } th, td { border-bottom: 1px solid #ccc; padding: .3em; text-align: left; }
td.n, th.n { text-align: right; } .parties { display: flex; gap: 3em; }
</style></head>
<body><h1>{{labels.title}}</h1>
<p>{{labels.creditNoteNumber}}: <b>{{creditNote.number}}</b> · {{labels.issuedAt}}: {{creditNote.issuedAt}}</p>
<p>{{labels.orderNumber}}: {{orderNumber}} · {{labels.returnNumber}}: {{returnNumber}}</p>
<div class="parties"><div><h3>{{labels.seller}}</h3><p>{{seller.name}}<br>{{seller.address}}<br>{{labels.taxId}}: {{seller.taxId}}</p></div>
<div><h3>{{labels.buyer}}</h3><p>{{customer.name}}</p></div></div>
<table><thead><tr><th>{{labels.sku}}</th><th class="n">{{labels.quantity}}</th><th>{{labels.condition}}</th>
<th class="n">{{labels.unitPrice}}</th><th class="n">{{labels.lineTotal}}</th></tr></thead>
<tbody>{{#each lines}}<tr><td>{{sku}}</td><td class="n">{{quantity}}</td><td>{{condition}}</td><td class="n">{{unitPrice}}</td><td class="n">{{lineTotal}}</td></tr>{{/each}}</tbody></table>
<table><tr><td>{{labels.net}}</td><td class="n">{{totals.net}}</td></tr>
<tr><td>{{labels.tax}} ({{totals.taxRate}})</td><td class="n">{{totals.tax}}</td></tr>
<tr><th>{{labels.refunded}}</th><th class="n">{{totals.refunded}}</th></tr></table>
</body></html>`,
  { strict: true },
);

/** The credit note as a complete HTML page. */
export function renderCreditNoteHtml(model: CreditNoteModel): string {
  return TEMPLATE(model);
}

/** The credit note as a PDF, text extractable, with the Chinese font embedded. */
export async function renderCreditNotePdf(model: CreditNoteModel, font: PdfFont): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 36 });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  const { labels } = model;
  doc.info.Title = `${labels.title} ${model.creditNote.number}`;
  doc.registerFont('body', font.path, font.family);
  doc.font('body');
  doc.fontSize(18).text(labels.title).moveDown(0.5).fontSize(10);
  doc.text(
    `${labels.creditNoteNumber}: ${model.creditNote.number}    ${labels.issuedAt}: ${model.creditNote.issuedAt}`,
  );
  doc.text(`${labels.orderNumber}: ${model.orderNumber}    ${labels.returnNumber}: ${model.returnNumber}`);
  doc.moveDown();
  doc.fontSize(11).text(labels.seller).fontSize(10).text(model.seller.name).text(model.seller.address);
  doc.text(`${labels.taxId}: ${model.seller.taxId}`).moveDown(0.5);
  doc.fontSize(11).text(labels.buyer).fontSize(10).text(model.customer.name).moveDown();
  for (const line of model.lines) {
    doc.text(`${line.sku}  × ${line.quantity}  (${line.condition})  ${line.unitPrice}  ${line.lineTotal}`);
  }
  doc.moveDown();
  doc.text(`${labels.net}: ${model.totals.net}`, { align: 'right' });
  doc.text(`${labels.tax} (${model.totals.taxRate}): ${model.totals.tax}`, { align: 'right' });
  doc.fontSize(12).text(`${labels.refunded}: ${model.totals.refunded}`, { align: 'right' });
  doc.end();
  await finished;
  return Buffer.concat(chunks);
}
