/**
 * The HTML of invoices, packing slips and shipping labels: one handlebars template per kind, the words from
 * the model's labels (the customer's language). `{{…}}` escapes every value; strict mode makes a missing
 * field an error rather than a blank on a document someone relies on.
 */
import Handlebars from 'handlebars';
import type { DocumentKind, DocumentModel } from './document.model';

const LAYOUT = `<!doctype html>
<html lang="{{language}}"><head><meta charset="utf-8"><title>{{title}} {{order.number}}</title>
<style>
body { font-family: "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif; margin: 2em; color: #111; }
table { border-collapse: collapse; width: 100%; } th, td { border-bottom: 1px solid #ccc; padding: .3em; text-align: left; }
td.n, th.n { text-align: right; } .parties { display: flex; gap: 3em; } .barcode { height: 60px; }
</style></head>
<body>{{{body}}}</body></html>`;

const HEADER = `<h1>{{title}}</h1>
<p><img class="barcode" alt="{{order.number}}" src="{{barcode}}"></p>
<p>{{labels.orderNumber}}: <b>{{order.number}}</b> · {{labels.placedAt}}: {{order.placedAt}}</p>`;

const PARTY = (label: string, who: string) => `<div><h3>{{labels.${label}}}</h3>
<p>{{${who}.name}}<br>{{#if ${who}.address}}{{${who}.address}}<br>{{/if}}{{#if ${who}.phone}}{{labels.phone}}: {{${who}.phone}}{{/if}}</p></div>`;

const LINES = (withPrices: boolean) => `<table><thead><tr><th>{{labels.sku}}</th><th>{{labels.item}}</th>
<th class="n">{{labels.quantity}}</th>${withPrices ? '<th class="n">{{labels.unitPrice}}</th><th class="n">{{labels.lineTotal}}</th>' : ''}</tr></thead>
<tbody>{{#each lines}}<tr><td>{{sku}}</td><td>{{name}}</td><td class="n">{{quantity}}</td>${
  withPrices ? '<td class="n">{{unitPrice}}</td><td class="n">{{lineTotal}}</td>' : ''
}</tr>{{/each}}</tbody></table>`;

const BODIES: Record<DocumentKind, string> = {
  invoice: `${HEADER}
<p>{{labels.invoiceNumber}}: <b>{{invoice.number}}</b> · {{labels.issuedAt}}: {{invoice.issuedAt}}</p>
<div class="parties">${PARTY('seller', 'seller')}${PARTY('buyer', 'customer')}</div>
<p>{{labels.taxId}}: {{seller.taxId}}</p>
${LINES(true)}
<table><tr><td>{{labels.net}}</td><td class="n">{{totals.net}}</td></tr>
<tr><td>{{labels.tax}} ({{totals.taxRate}})</td><td class="n">{{totals.tax}}</td></tr>
<tr><th>{{labels.total}}</th><th class="n">{{totals.total}}</th></tr></table>`,
  'packing-slip': `${HEADER}
<div class="parties">${PARTY('sender', 'seller')}${PARTY('recipient', 'customer')}</div>
${LINES(false)}
<p>{{labels.packedItems}}: {{items}}</p>`,
  'shipping-label': `${HEADER}
<div class="parties">${PARTY('sender', 'seller')}${PARTY('recipient', 'customer')}</div>
<p>{{labels.carrier}}: {{#if shipment}}{{shipment.carrier}}{{else}}{{labels.notYetShipped}}{{/if}}</p>
<p>{{labels.trackingNumber}}: {{#if shipment}}<b>{{shipment.trackingNumber}}</b>{{else}}—{{/if}}</p>`,
};

const layout = Handlebars.compile(LAYOUT, { strict: true });
const bodies = Object.fromEntries(
  Object.entries(BODIES).map(([kind, source]) => [kind, Handlebars.compile(source, { strict: true })]),
) as Record<DocumentKind, HandlebarsTemplateDelegate>;

/** The document as a complete HTML page; `barcode` is a data URL of the order number's barcode. */
export function renderDocumentHtml(model: DocumentModel, barcode: string): string {
  const body = bodies[model.kind]({ ...model, barcode });
  return layout({ language: model.language, title: model.title, order: model.order, body });
}
