/**
 * The customer's quote page behind its signed link (`/q/:token`), server-rendered like the tracking page: the
 * quote's lines, total and validity in the customer's language, with Accept and Decline while it is open. No
 * script (the CSP forbids inline ones; two plain forms need none); `{{…}}` escapes every value; strict mode
 * makes a missing field an error rather than a blank.
 */
import Handlebars from 'handlebars';
import type { Language } from '../../domain/people';
import type { QuoteStatus } from '../../domain/quote';
import type { Quote } from '../../db/repositories';

/** The quote's values as the customer reads them: money and dates formatted for their language. */
export function quoteFacts(quote: Quote, language: Language, timeZone: string) {
  const amount = new Intl.NumberFormat(language, { style: 'currency', currency: quote.currency });
  const digits = amount.resolvedOptions().maximumFractionDigits ?? 2;
  const money = (minor: number) => amount.format(minor / 10 ** digits);
  const date = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short', timeZone });
  return {
    number: quote.number,
    lines: quote.lines.map((line) => ({
      name: line.name,
      sku: line.sku,
      quantity: line.quantity,
      unitPrice: money(line.unitPrice),
      lineTotal: money(line.lineTotal),
    })),
    total: money(quote.total),
    validUntil: date.format(quote.validUntil),
    validUntilIso: quote.validUntil.toISOString(),
    notes: quote.notes,
  };
}

const WORDS = {
  'zh-CN': {
    title: '报价单',
    item: '商品',
    quantity: '数量',
    unitPrice: '单价',
    amount: '小计',
    total: '合计',
    validUntil: '有效期至',
    notes: '备注',
    accept: '接受报价',
    decline: '拒绝报价',
    statuses: {
      draft: '草稿',
      sent: '等待您的答复',
      accepted: '已接受，订单已生成',
      declined: '已拒绝',
      expired: '已过期',
    },
    order: '订单号',
  },
  en: {
    title: 'Quote',
    item: 'Item',
    quantity: 'Qty',
    unitPrice: 'Unit price',
    amount: 'Amount',
    total: 'Total',
    validUntil: 'Valid until',
    notes: 'Notes',
    accept: 'Accept the quote',
    decline: 'Decline the quote',
    statuses: {
      draft: 'Draft',
      sent: 'Awaiting your answer',
      accepted: 'Accepted: your order is placed',
      declined: 'Declined',
      expired: 'Expired',
    },
    order: 'Order',
  },
} as const satisfies Record<Language, { statuses: Record<QuoteStatus, string> } & Record<string, unknown>>;

const LAYOUT = Handlebars.compile(
  `<!doctype html>
<html lang="{{language}}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>{{title}}</title>
<style>
body { font-family: "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", system-ui, sans-serif; margin: 0;
  background: #f5f5f5; color: #1f1f1f; }
main { max-width: 40rem; margin: 2rem auto; background: #fff; padding: 1.5rem 2rem; border-radius: 8px; }
h1 { font-size: 1.4rem; margin: 0 0 1rem; } .status { font-size: 1.15rem; font-weight: 600; color: #0958d9; }
table { width: 100%; border-collapse: collapse; } th, td { text-align: left; padding: .35rem .3rem;
  border-bottom: 1px solid #f0f0f0; } .total td { font-weight: 600; }
form { display: inline-block; margin: 1rem 1rem 0 0; } button { font-size: 1rem; padding: .5rem 1.2rem; }
</style></head>
<body><main>{{{body}}}</main></body></html>`,
  { strict: true },
);

const PAGE = Handlebars.compile(
  `<h1>{{words.title}} {{number}}</h1>
<p class="status" data-status="{{status}}">{{statusText}}</p>
{{#if orderNumber}}<p>{{words.order}}: <b data-order-number="{{orderNumber}}">{{orderNumber}}</b></p>{{/if}}
<table><tr><th>{{words.item}}</th><th>{{words.quantity}}</th><th>{{words.unitPrice}}</th><th>{{words.amount}}</th></tr>
{{#each lines}}<tr class="line"><td>{{name}}</td><td>{{quantity}}</td><td>{{unitPrice}}</td><td>{{lineTotal}}</td></tr>
{{/each}}<tr class="total"><td colspan="3">{{words.total}}</td><td>{{total}}</td></tr></table>
<p>{{words.validUntil}} <time datetime="{{validUntilIso}}">{{validUntil}}</time></p>
{{#if notes}}<p>{{words.notes}}: {{notes}}</p>{{/if}}
{{#if open}}<form method="post" action="{{token}}/accept"><button type="submit" name="answer" value="accept">{{words.accept}}</button></form>
<form method="post" action="{{token}}/decline"><button type="submit" name="answer" value="decline">{{words.decline}}</button></form>{{/if}}`,
  { strict: true },
);

const REFUSAL = Handlebars.compile(
  `<h1>{{zhTitle}} · {{enTitle}}</h1><p lang="zh-CN">{{zh}}</p><p lang="en">{{en}}</p>`,
  { strict: true },
);

/**
 * The quote's page in the customer's language. `token` is the link's own token: the forms post to
 * `<token>/accept` and `<token>/decline`, relative to the page, so the page works under any public URL.
 */
export function renderQuotePage(
  quote: Quote,
  options: { language: Language; timeZone: string; token: string; orderNumber: string | null },
): string {
  const { language, timeZone, token, orderNumber } = options;
  const words = WORDS[language];
  const body = PAGE({
    ...quoteFacts(quote, language, timeZone),
    words,
    status: quote.status,
    statusText: words.statuses[quote.status],
    orderNumber,
    open: quote.status === 'sent',
    token,
  });
  return LAYOUT({ language, title: `${words.title} ${quote.number}`, body });
}

/** A link that opens no quote, in both languages: without a valid link we do not know whose language to use. */
export function renderQuoteNotFound(): string {
  const body = REFUSAL({
    zhTitle: WORDS['zh-CN'].title,
    enTitle: WORDS.en.title,
    zh: '找不到这个报价单链接，请检查邮件中的链接是否完整。',
    en: 'This quote link is not valid. Please check that the whole link from the e-mail was used.',
  });
  return LAYOUT({ language: 'zh-CN', title: `${WORDS['zh-CN'].title} · ${WORDS.en.title}`, body });
}
