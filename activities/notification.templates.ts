/**
 * The message of each notification kind, in Simplified Chinese and English, with a subject, a plain-text body
 * and an HTML body. Staff hear of every kind; customers of their order's confirmation, shipment and
 * completion. Rendered with handlebars in strict mode: a variable missing from the data is an error, never a
 * blank in a message. HTML bodies escape every value; they are wrapped in one layout per language.
 */
import type { CustomerKind, NotificationKind } from '../domain/notifications';
import type { Language } from '../domain/people';

export type Audience = 'staff' | 'customer';

export interface MessageTemplate {
  subject: string;
  text: string;
  /** The part inside the layout's body. */
  html: string;
}

export const STAFF_TEMPLATES: Record<NotificationKind, Record<Language, MessageTemplate>> = {
  'order.created': {
    'zh-CN': {
      subject: '新订单 {{order.number}}',
      text: '订单 {{order.number}} 已创建，金额 {{order.amount}}，共 {{order.lineCount}} 项，等待{{order.awaitingText}}。',
      html: '<p>订单 <b>{{order.number}}</b> 已创建，金额 {{order.amount}}，共 {{order.lineCount}} 项，等待{{order.awaitingText}}。</p>',
    },
    en: {
      subject: 'New order {{order.number}}',
      text: 'Order {{order.number}} was placed for {{order.amount}} and is awaiting {{order.awaitingText}}.',
      html: '<p>Order <b>{{order.number}}</b> was placed for {{order.amount}} and is awaiting {{order.awaitingText}}.</p>',
    },
  },
  'order.processing': {
    'zh-CN': {
      subject: '订单 {{order.number}} 已批准，处理中',
      text: '订单 {{order.number}}（{{order.amount}}）已批准，正在备货和收款。',
      html: '<p>订单 <b>{{order.number}}</b>（{{order.amount}}）已批准，正在备货和收款。</p>',
    },
    en: {
      subject: 'Order {{order.number}} approved and in processing',
      text: 'Order {{order.number}} ({{order.amount}}) was approved; stock and payment are being handled.',
      html: '<p>Order <b>{{order.number}}</b> ({{order.amount}}) was approved; stock and payment are being handled.</p>',
    },
  },
  'order.shipped': {
    'zh-CN': {
      subject: '订单 {{order.number}} 已发货',
      text: '订单 {{order.number}} 已由 {{shipment.carrier}} 发出，运单号 {{shipment.trackingNumber}}。',
      html: '<p>订单 <b>{{order.number}}</b> 已由 {{shipment.carrier}} 发出，运单号 <code>{{shipment.trackingNumber}}</code>。</p>',
    },
    en: {
      subject: 'Order {{order.number}} shipped',
      text: 'Order {{order.number}} left with {{shipment.carrier}}, tracking number {{shipment.trackingNumber}}.',
      html: '<p>Order <b>{{order.number}}</b> left with {{shipment.carrier}}, tracking number <code>{{shipment.trackingNumber}}</code>.</p>',
    },
  },
  'order.shipment': {
    'zh-CN': {
      subject: '订单 {{order.number}} 部分发货（{{progress.shipped}}/{{progress.total}} 件）',
      text: '订单 {{order.number}} 的第 {{progress.parcels}} 个包裹已由 {{parcel.carrier}} 发出，运单号 {{parcel.trackingNumber}}；已发 {{progress.shipped}} 件，共 {{progress.total}} 件，其余稍后发出。',
      html: '<p>订单 <b>{{order.number}}</b> 的第 {{progress.parcels}} 个包裹已由 {{parcel.carrier}} 发出，运单号 <code>{{parcel.trackingNumber}}</code>；已发 {{progress.shipped}} 件，共 {{progress.total}} 件，其余稍后发出。</p>',
    },
    en: {
      subject: 'Order {{order.number}} partly shipped ({{progress.shipped}} of {{progress.total}} units)',
      text: 'Parcel {{progress.parcels}} of order {{order.number}} left with {{parcel.carrier}}, tracking number {{parcel.trackingNumber}}: {{progress.shipped}} of {{progress.total}} units shipped, the rest follows.',
      html: '<p>Parcel {{progress.parcels}} of order <b>{{order.number}}</b> left with {{parcel.carrier}}, tracking number <code>{{parcel.trackingNumber}}</code>: {{progress.shipped}} of {{progress.total}} units shipped, the rest follows.</p>',
    },
  },
  'order.completed': {
    'zh-CN': {
      subject: '订单 {{order.number}} 已完成',
      text: '订单 {{order.number}}（{{order.amount}}）已送达并完成。',
      html: '<p>订单 <b>{{order.number}}</b>（{{order.amount}}）已送达并完成。</p>',
    },
    en: {
      subject: 'Order {{order.number}} completed',
      text: 'Order {{order.number}} ({{order.amount}}) was delivered and is complete.',
      html: '<p>Order <b>{{order.number}}</b> ({{order.amount}}) was delivered and is complete.</p>',
    },
  },
  'order.cancelled': {
    'zh-CN': {
      subject: '订单 {{order.number}} 已取消',
      text: '订单 {{order.number}} 已取消，原因：{{reason}}。{{#if progress.parcels}}已发出的 {{progress.shipped}} 件（共 {{progress.total}} 件）不受影响；其余库存已释放，未发货部分的款项将退回。{{else}}库存已释放，已收款项将退回。{{/if}}',
      html: '<p>订单 <b>{{order.number}}</b> 已取消，原因：{{reason}}。</p><p>{{#if progress.parcels}}已发出的 {{progress.shipped}} 件（共 {{progress.total}} 件）不受影响；其余库存已释放，未发货部分的款项将退回。{{else}}库存已释放，已收款项将退回。{{/if}}</p>',
    },
    en: {
      subject: 'Order {{order.number}} cancelled',
      text: 'Order {{order.number}} was cancelled: {{reason}}. {{#if progress.parcels}}The {{progress.shipped}} of {{progress.total}} units already shipped stay shipped; the rest of its reserved stock is released and what was paid for the rest refunded.{{else}}Reserved stock is released and any payment refunded.{{/if}}',
      html: '<p>Order <b>{{order.number}}</b> was cancelled: {{reason}}.</p><p>{{#if progress.parcels}}The {{progress.shipped}} of {{progress.total}} units already shipped stay shipped; the rest of its reserved stock is released and what was paid for the rest refunded.{{else}}Reserved stock is released and any payment refunded.{{/if}}</p>',
    },
  },
  'order.rejected': {
    'zh-CN': {
      subject: '订单 {{order.number}} 被拒绝',
      text: '订单 {{order.number}} 未获批准，原因：{{reason}}。',
      html: '<p>订单 <b>{{order.number}}</b> 未获批准，原因：{{reason}}。</p>',
    },
    en: {
      subject: 'Order {{order.number}} rejected',
      text: 'Order {{order.number}} was rejected: {{reason}}.',
      html: '<p>Order <b>{{order.number}}</b> was rejected: {{reason}}.</p>',
    },
  },
  'return.updated': {
    'zh-CN': {
      subject: '订单 {{order.number}} 的退货单 {{ret.number}} {{ret.statusLabel}}',
      text: '订单 {{order.number}} 的退货单 {{ret.number}} {{ret.statusLabel}}。',
      html: '<p>订单 {{order.number}} 的退货单 <b>{{ret.number}}</b> {{ret.statusLabel}}。</p>',
    },
    en: {
      subject: 'Return {{ret.number}} of order {{order.number}} {{ret.statusLabel}}',
      text: 'Return {{ret.number}} of order {{order.number}} {{ret.statusLabel}}.',
      html: '<p>Return <b>{{ret.number}}</b> of order {{order.number}} {{ret.statusLabel}}.</p>',
    },
  },
  'return.escalated': {
    'zh-CN': {
      subject: '退货单 {{ret.number}} 等待过久',
      text: '订单 {{ret.orderNumber}} 的退货单 {{ret.number}} 已等待{{ret.awaitingText}} {{waited}}，请尽快处理。',
      html: '<p>订单 {{ret.orderNumber}} 的退货单 <b>{{ret.number}}</b> 已等待{{ret.awaitingText}} <b>{{waited}}</b>，请尽快处理。</p>',
    },
    en: {
      subject: 'Return {{ret.number}} is waiting too long',
      text: 'Return {{ret.number}} of order {{ret.orderNumber}} has been awaiting {{ret.awaitingText}} for {{waited}}; please act on it.',
      html: '<p>Return <b>{{ret.number}}</b> of order {{ret.orderNumber}} has been awaiting {{ret.awaitingText}} for <b>{{waited}}</b>; please act on it.</p>',
    },
  },
  'order.escalated': {
    'zh-CN': {
      subject: '订单 {{order.number}} 等待过久',
      text: '订单 {{order.number}} 已等待{{order.awaitingText}} {{waited}}，请尽快处理。',
      html: '<p>订单 <b>{{order.number}}</b> 已等待{{order.awaitingText}} <b>{{waited}}</b>，请尽快处理。</p>',
    },
    en: {
      subject: 'Order {{order.number}} is waiting too long',
      text: 'Order {{order.number}} has been awaiting {{order.awaitingText}} for {{waited}}; please act on it.',
      html: '<p>Order <b>{{order.number}}</b> has been awaiting {{order.awaitingText}} for <b>{{waited}}</b>; please act on it.</p>',
    },
  },
  'order.problem': {
    'zh-CN': {
      subject: '订单 {{order.number}} 需要处理：步骤 {{problem.step}} 失败',
      text: '订单 {{order.number}} 的步骤 {{problem.step}} 失败，重试无法解决：{{problem.message}}。订单仍可取消，取消时会释放库存并退款。',
      html: '<p>订单 <b>{{order.number}}</b> 的步骤 <b>{{problem.step}}</b> 失败，重试无法解决：{{problem.message}}。</p><p>订单仍可取消，取消时会释放库存并退款。</p>',
    },
    en: {
      subject: 'Order {{order.number}} needs attention: step {{problem.step}} failed',
      text: 'Step {{problem.step}} of order {{order.number}} failed in a way retrying cannot fix: {{problem.message}}. The order can still be cancelled, which releases its stock and refunds its payment.',
      html: '<p>Step <b>{{problem.step}}</b> of order <b>{{order.number}}</b> failed in a way retrying cannot fix: {{problem.message}}.</p><p>The order can still be cancelled, which releases its stock and refunds its payment.</p>',
    },
  },
  // The sender is shown as the e-mail gave it: a display name can be forged (the order page shows the
  // receiving server's authentication result beside it).
  'order.message': {
    'zh-CN': {
      subject: '订单 {{order.number}} 收到客户邮件：{{mail.subject}}',
      text: '{{mail.from}} 就订单 {{order.number}} 来信：\n\n{{mail.excerpt}}\n\n请在订单的邮件往来中查看和回复。',
      html: '<p><b>{{mail.from}}</b> 就订单 <b>{{order.number}}</b> 来信：</p><blockquote>{{mail.excerpt}}</blockquote><p>请在订单的邮件往来中查看和回复。</p>',
    },
    en: {
      subject: 'Order {{order.number}}: the customer wrote “{{mail.subject}}”',
      text: '{{mail.from}} wrote about order {{order.number}}:\n\n{{mail.excerpt}}\n\nRead and answer it in the order’s conversation.',
      html: '<p><b>{{mail.from}}</b> wrote about order <b>{{order.number}}</b>:</p><blockquote>{{mail.excerpt}}</blockquote><p>Read and answer it in the order’s conversation.</p>',
    },
  },
};

/** The lines of the order as a table, for the customer's messages. */
const LINES_HTML = {
  'zh-CN':
    '<table><tr><th>商品</th><th>数量</th><th>小计</th></tr>{{#each lines}}<tr><td>{{name}}</td><td>{{quantity}}</td><td>{{lineTotal}}</td></tr>{{/each}}<tr><td colspan="2">合计</td><td>{{order.amount}}</td></tr></table>',
  en: '<table><tr><th>Item</th><th>Qty</th><th>Amount</th></tr>{{#each lines}}<tr><td>{{name}}</td><td>{{quantity}}</td><td>{{lineTotal}}</td></tr>{{/each}}<tr><td colspan="2">Total</td><td>{{order.amount}}</td></tr></table>',
};
const LINES_TEXT = {
  'zh-CN': '{{#each lines}}- {{name}} × {{quantity}}：{{lineTotal}}\n{{/each}}合计：{{order.amount}}',
  en: '{{#each lines}}- {{name}} x {{quantity}}: {{lineTotal}}\n{{/each}}Total: {{order.amount}}',
};

/**
 * The customer's tracking link, when the sender passes `trackingUrl` (see config/tracking-link.ts); a
 * message rendered without it simply has no link.
 */
const TRACKING_TEXT = {
  'zh-CN': '{{#if trackingUrl}}\n\n随时查看订单进度：{{trackingUrl}}{{/if}}',
  en: '{{#if trackingUrl}}\n\nFollow your order at any time: {{trackingUrl}}{{/if}}',
};
const TRACKING_HTML = {
  'zh-CN': '{{#if trackingUrl}}<p><a href="{{trackingUrl}}">随时查看订单进度</a></p>{{/if}}',
  en: '{{#if trackingUrl}}<p><a href="{{trackingUrl}}">Follow your order at any time</a></p>{{/if}}',
};

export const CUSTOMER_TEMPLATES: Record<CustomerKind, Record<Language, MessageTemplate>> = {
  'return.updated': {
    'zh-CN': {
      subject: '您的退货单 {{ret.number}}：{{ret.statusText}}',
      text: `{{customer.name}}，您好：\n\n您订单 {{order.number}} 的退货单 {{ret.number}}（{{#each ret.lines}}{{#unless @first}}、{{/unless}}{{name}} × {{quantity}}{{/each}}）：{{ret.statusText}}。{{#if ret.refunded}}\n\n退款金额：{{ret.refunded}}，将退回您的原付款方式。{{/if}}{{#if ret.reason}}\n\n原因：{{ret.reason}}{{/if}}${TRACKING_TEXT['zh-CN']}`,
      html: `<p>{{customer.name}}，您好：</p><p>您订单 <b>{{order.number}}</b> 的退货单 <b>{{ret.number}}</b>（{{#each ret.lines}}{{#unless @first}}、{{/unless}}{{name}} × {{quantity}}{{/each}}）：{{ret.statusText}}。</p>{{#if ret.refunded}}<p>退款金额：<b>{{ret.refunded}}</b>，将退回您的原付款方式。</p>{{/if}}{{#if ret.reason}}<p>原因：{{ret.reason}}</p>{{/if}}${TRACKING_HTML['zh-CN']}`,
    },
    en: {
      subject: 'Your return {{ret.number}}: {{ret.statusText}}',
      text: `Dear {{customer.name}},\n\nyour return {{ret.number}} of order {{order.number}} ({{#each ret.lines}}{{#unless @first}}, {{/unless}}{{name}} × {{quantity}}{{/each}}): {{ret.statusText}}.{{#if ret.refunded}}\n\nAmount refunded: {{ret.refunded}}, to your original means of payment.{{/if}}{{#if ret.reason}}\n\nReason: {{ret.reason}}{{/if}}${TRACKING_TEXT.en}`,
      html: `<p>Dear {{customer.name}},</p><p>your return <b>{{ret.number}}</b> of order <b>{{order.number}}</b> ({{#each ret.lines}}{{#unless @first}}, {{/unless}}{{name}} × {{quantity}}{{/each}}): {{ret.statusText}}.</p>{{#if ret.refunded}}<p>Amount refunded: <b>{{ret.refunded}}</b>, to your original means of payment.</p>{{/if}}{{#if ret.reason}}<p>Reason: {{ret.reason}}</p>{{/if}}${TRACKING_HTML.en}`,
    },
  },
  'order.created': {
    'zh-CN': {
      subject: '订单确认 {{order.number}}',
      text: `{{customer.name}}，您好：\n\n我们已收到您的订单 {{order.number}}。\n\n${LINES_TEXT['zh-CN']}\n\n订单发货后我们会再通知您。${TRACKING_TEXT['zh-CN']}`,
      html: `<p>{{customer.name}}，您好：</p><p>我们已收到您的订单 <b>{{order.number}}</b>。</p>${LINES_HTML['zh-CN']}<p>订单发货后我们会再通知您。</p>${TRACKING_HTML['zh-CN']}`,
    },
    en: {
      subject: 'Order confirmation {{order.number}}',
      text: `Dear {{customer.name}},\n\nwe have received your order {{order.number}}.\n\n${LINES_TEXT.en}\n\nWe will write again when it ships.${TRACKING_TEXT.en}`,
      html: `<p>Dear {{customer.name}},</p><p>we have received your order <b>{{order.number}}</b>.</p>${LINES_HTML.en}<p>We will write again when it ships.</p>${TRACKING_HTML.en}`,
    },
  },
  'order.shipment': {
    'zh-CN': {
      subject: '您的订单 {{order.number}} 已部分发货（{{progress.shipped}}/{{progress.total}} 件）',
      text: `{{customer.name}}，您好：\n\n您的订单 {{order.number}} 的第 {{progress.parcels}} 个包裹已由 {{parcel.carrier}} 发出，运单号 {{parcel.trackingNumber}}。已发 {{progress.shipped}} 件，共 {{progress.total}} 件；其余发出时我们会再通知您。${TRACKING_TEXT['zh-CN']}`,
      html: `<p>{{customer.name}}，您好：</p><p>您的订单 <b>{{order.number}}</b> 的第 {{progress.parcels}} 个包裹已由 {{parcel.carrier}} 发出。</p><p>运单号：<code>{{parcel.trackingNumber}}</code></p><p>已发 {{progress.shipped}} 件，共 {{progress.total}} 件；其余发出时我们会再通知您。</p>${TRACKING_HTML['zh-CN']}`,
    },
    en: {
      subject:
        'Part of your order {{order.number}} has shipped ({{progress.shipped}} of {{progress.total}} units)',
      text: `Dear {{customer.name}},\n\nparcel {{progress.parcels}} of your order {{order.number}} left with {{parcel.carrier}}, tracking number {{parcel.trackingNumber}}. {{progress.shipped}} of {{progress.total}} units have shipped; we will write again when the rest does.${TRACKING_TEXT.en}`,
      html: `<p>Dear {{customer.name}},</p><p>parcel {{progress.parcels}} of your order <b>{{order.number}}</b> left with {{parcel.carrier}}.</p><p>Tracking number: <code>{{parcel.trackingNumber}}</code></p><p>{{progress.shipped}} of {{progress.total}} units have shipped; we will write again when the rest does.</p>${TRACKING_HTML.en}`,
    },
  },
  'order.shipped': {
    'zh-CN': {
      subject: '您的订单 {{order.number}} 已发货',
      text: `{{customer.name}}，您好：\n\n您的订单 {{order.number}} 已由 {{shipment.carrier}} 发出，运单号 {{shipment.trackingNumber}}。${TRACKING_TEXT['zh-CN']}`,
      html: `<p>{{customer.name}}，您好：</p><p>您的订单 <b>{{order.number}}</b> 已由 {{shipment.carrier}} 发出。</p><p>运单号：<code>{{shipment.trackingNumber}}</code></p>${TRACKING_HTML['zh-CN']}`,
    },
    en: {
      subject: 'Your order {{order.number}} has shipped',
      text: `Dear {{customer.name}},\n\nyour order {{order.number}} left with {{shipment.carrier}}, tracking number {{shipment.trackingNumber}}.${TRACKING_TEXT.en}`,
      html: `<p>Dear {{customer.name}},</p><p>your order <b>{{order.number}}</b> left with {{shipment.carrier}}.</p><p>Tracking number: <code>{{shipment.trackingNumber}}</code></p>${TRACKING_HTML.en}`,
    },
  },
  'order.completed': {
    'zh-CN': {
      subject: '您的订单 {{order.number}} 已完成',
      text: `{{customer.name}}，您好：\n\n您的订单 {{order.number}}（{{order.amount}}）已签收。感谢您的惠顾！${TRACKING_TEXT['zh-CN']}`,
      html: `<p>{{customer.name}}，您好：</p><p>您的订单 <b>{{order.number}}</b>（{{order.amount}}）已签收。感谢您的惠顾！</p>${TRACKING_HTML['zh-CN']}`,
    },
    en: {
      subject: 'Your order {{order.number}} is complete',
      text: `Dear {{customer.name}},\n\nyour order {{order.number}} ({{order.amount}}) was delivered. Thank you for your order!${TRACKING_TEXT.en}`,
      html: `<p>Dear {{customer.name}},</p><p>your order <b>{{order.number}}</b> ({{order.amount}}) was delivered. Thank you for your order!</p>${TRACKING_HTML.en}`,
    },
  },
};

/** The HTML document around every message body; `content` is the already rendered (escaped) body. */
export const HTML_LAYOUT: Record<Language, string> = {
  'zh-CN':
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{subject}}</title></head><body>{{{content}}}<hr><p><small>本邮件由订单管理系统自动发送，订单号 {{order.number}}。</small></p></body></html>',
  en: '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{subject}}</title></head><body>{{{content}}}<hr><p><small>Sent automatically by the order management system about order {{order.number}}.</small></p></body></html>',
};

/**
 * The daily digest for staff who chose `digest`: what reached their inbox since the last one, newest last.
 * `items` are `{at, title}` with `at` already formatted in the reader's language; `more` counts those left
 * out of a long day.
 */
export const DIGEST_TEMPLATES: Record<Language, MessageTemplate> = {
  'zh-CN': {
    subject: '每日通知摘要：{{count}} 条',
    text: '{{name}}，您好：\n\n自上次摘要以来您有 {{count}} 条通知：\n\n{{#each items}}- {{at}} {{title}}\n{{/each}}{{#if more}}……另有 {{more}} 条，请在系统的通知页查看。\n{{/if}}',
    html: '<p>{{name}}，您好：</p><p>自上次摘要以来您有 {{count}} 条通知：</p><ul>{{#each items}}<li>{{at}} {{title}}</li>{{/each}}</ul>{{#if more}}<p>……另有 {{more}} 条，请在系统的通知页查看。</p>{{/if}}',
  },
  en: {
    subject: 'Your daily summary: {{count}} notifications',
    text: 'Hello {{name}},\n\nyou have {{count}} notifications since your last summary:\n\n{{#each items}}- {{at}} {{title}}\n{{/each}}{{#if more}}… and {{more}} more on the notifications page.\n{{/if}}',
    html: '<p>Hello {{name}},</p><p>you have {{count}} notifications since your last summary:</p><ul>{{#each items}}<li>{{at}} {{title}}</li>{{/each}}</ul>{{#if more}}<p>… and {{more}} more on the notifications page.</p>{{/if}}',
  },
};

/** The HTML document around a digest (it is about no one order). */
export const DIGEST_LAYOUT: Record<Language, string> = {
  'zh-CN':
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{subject}}</title></head><body>{{{content}}}<hr><p><small>本邮件由订单管理系统每日发送；可在“我的设置”中更改邮件通知方式。</small></p></body></html>',
  en: '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{subject}}</title></head><body>{{{content}}}<hr><p><small>Sent daily by the order management system; change how you are e-mailed under My settings.</small></p></body></html>',
};
