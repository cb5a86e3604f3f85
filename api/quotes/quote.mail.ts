/**
 * The e-mail that sends a customer their quote: the lines, the total, until when it holds, and the signed
 * link where they accept or decline it. Simplified Chinese and English like the other customer e-mails;
 * handlebars in strict mode (a missing value is an error, never a blank); the HTML part escapes every value.
 */
import { render } from '../../activities/notification.render';
import type { Language } from '../../domain/people';
import type { Quote } from '../../db/repositories';
import { quoteFacts } from './quote.page';

interface MailTemplate {
  subject: string;
  text: string;
  html: string;
}

const TEMPLATES: Record<Language, MailTemplate> = {
  'zh-CN': {
    subject: '您的报价单 {{number}}',
    text: '{{customerName}}，您好：\n\n这是您的报价单 {{number}}：\n\n{{#each lines}}- {{name}} × {{quantity}}：{{lineTotal}}\n{{/each}}合计：{{total}}\n\n报价有效期至 {{validUntil}}。{{#if notes}}\n\n备注：{{notes}}{{/if}}\n\n查看并接受或拒绝报价：{{url}}',
    html: '<p>{{customerName}}，您好：</p><p>这是您的报价单 <b>{{number}}</b>：</p><table><tr><th>商品</th><th>数量</th><th>单价</th><th>小计</th></tr>{{#each lines}}<tr><td>{{name}}</td><td>{{quantity}}</td><td>{{unitPrice}}</td><td>{{lineTotal}}</td></tr>{{/each}}<tr><td colspan="3">合计</td><td>{{total}}</td></tr></table><p>报价有效期至 {{validUntil}}。</p>{{#if notes}}<p>备注：{{notes}}</p>{{/if}}<p><a href="{{url}}">查看并接受或拒绝报价</a></p>',
  },
  en: {
    subject: 'Your quote {{number}}',
    text: 'Dear {{customerName}},\n\nhere is your quote {{number}}:\n\n{{#each lines}}- {{name}} x {{quantity}}: {{lineTotal}}\n{{/each}}Total: {{total}}\n\nThe quote holds until {{validUntil}}.{{#if notes}}\n\nNotes: {{notes}}{{/if}}\n\nSee it and accept or decline it: {{url}}',
    html: '<p>Dear {{customerName}},</p><p>here is your quote <b>{{number}}</b>:</p><table><tr><th>Item</th><th>Qty</th><th>Unit price</th><th>Amount</th></tr>{{#each lines}}<tr><td>{{name}}</td><td>{{quantity}}</td><td>{{unitPrice}}</td><td>{{lineTotal}}</td></tr>{{/each}}<tr><td colspan="3">Total</td><td>{{total}}</td></tr></table><p>The quote holds until {{validUntil}}.</p>{{#if notes}}<p>Notes: {{notes}}</p>{{/if}}<p><a href="{{url}}">See it and accept or decline it</a></p>',
  },
};

const LAYOUT: Record<Language, string> = {
  'zh-CN':
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{subject}}</title></head><body>{{{content}}}<hr><p><small>本邮件由订单管理系统自动发送，报价单号 {{number}}。</small></p></body></html>',
  en: '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{subject}}</title></head><body>{{{content}}}<hr><p><small>Sent automatically by the order management system about quote {{number}}.</small></p></body></html>',
};

/** The quote's e-mail to its customer, in their language, with the link `url`; dates in the business's zone. */
export function renderQuoteMail(
  quote: Quote,
  customer: { name: string; language: Language },
  url: string,
  timeZone: string,
): { subject: string; text: string; html: string } {
  const { language } = customer;
  const data = { ...quoteFacts(quote, language, timeZone), customerName: customer.name, url };
  const template = TEMPLATES[language];
  const subject = render(template.subject, data, false);
  const content = render(template.html, data, true);
  return {
    subject,
    text: render(template.text, data, false),
    html: render(LAYOUT[language], { subject, content, number: quote.number }, true),
  };
}
