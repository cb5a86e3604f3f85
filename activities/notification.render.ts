/**
 * Rendering of notifications: the variables every template may use, in the reader's language, and the
 * subject, text and HTML of one kind for one audience. Pure; the activities call it.
 */
import Handlebars from 'handlebars';
import { isCustomerKind, type NotificationKind } from '../domain/notifications';
import { type Language } from '../domain/people';
import type { Awaiting, OrderSnapshot } from '../domain/order';
import type { ReturnSnapshot, ReturnStatus } from '../domain/return';
import {
  CUSTOMER_TEMPLATES,
  DIGEST_LAYOUT,
  DIGEST_TEMPLATES,
  HTML_LAYOUT,
  STAFF_TEMPLATES,
  type Audience,
  type MessageTemplate,
} from './notification.templates';

const AWAITING_TEXT: Record<Language, Record<Awaiting, string>> = {
  'zh-CN': {
    approval: '审批',
    manager_approval: '经理审批',
    stock: '库存',
    payment: '付款',
    shipment: '发货',
    delivery: '签收',
  },
  en: {
    approval: 'approval',
    manager_approval: 'manager approval',
    stock: 'stock',
    payment: 'payment',
    shipment: 'shipment',
    delivery: 'delivery',
  },
};

const compiled = new Map<string, HandlebarsTemplateDelegate>();
/**
 * A handlebars template in strict mode (a missing variable is an error), compiled once: HTML-escaped, or
 * not for subjects and plain text. Also renders the quote e-mail (api/quotes/quote.mail.ts).
 */
export function render(source: string, data: object, escape: boolean): string {
  const key = `${escape ? 'html' : 'text'}:${source}`;
  let template = compiled.get(key);
  if (!template) {
    template = Handlebars.compile(source, { strict: true, noEscape: !escape });
    compiled.set(key, template);
  }
  return template(data);
}

/** A wait's length for people: "2 hours 5 minutes", "2 小时 5 分钟"; seconds only under a minute. */
export function formatWait(ms: number, language: Language): string {
  const units: [number, string, string][] = [
    [86_400_000, '天', 'day'],
    [3_600_000, '小时', 'hour'],
    [60_000, '分钟', 'minute'],
  ];
  const parts: string[] = [];
  let rest = Math.max(0, ms);
  for (const [size, zh, en] of units) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0)
      parts.push(language === 'en' ? `${count} ${en}${count === 1 ? '' : 's'}` : `${count} ${zh}`);
  }
  if (parts.length === 0) {
    const seconds = Math.floor(rest / 1000);
    parts.push(language === 'en' ? `${seconds} second${seconds === 1 ? '' : 's'}` : `${seconds} 秒`);
  }
  return parts.join(language === 'en' ? ' ' : ' ');
}

/** What a notification of a customer's e-mail says about it (`order.message`). */
export interface MailNotice {
  /** The sender as the e-mail gave it (display name and address). */
  from: string;
  subject: string;
  /** The start of its text. */
  excerpt: string;
}

/** How much of a customer's e-mail its notification quotes: enough to know what it is about. */
export const MAIL_EXCERPT_CHARS = 500;

/** The start of an e-mail's text for a notification, cut at a word where it is long. */
export function mailExcerpt(text: string): string {
  const trimmed = text.trim();
  if (trimmed.length <= MAIL_EXCERPT_CHARS) return trimmed;
  const cut = trimmed.slice(0, MAIL_EXCERPT_CHARS);
  const space = cut.lastIndexOf(' ');
  return `${space > MAIL_EXCERPT_CHARS * 0.8 ? cut.slice(0, space) : cut}…`;
}

/** Formats minor units of a currency as the reader's language writes money. */
function moneyIn(currency: string, language: Language): (minor: number) => string {
  const amount = new Intl.NumberFormat(language, { style: 'currency', currency });
  const digits = amount.resolvedOptions().maximumFractionDigits ?? 2;
  return (minor) => amount.format(minor / 10 ** digits);
}

/** A return's status for staff ("Return RT-… approved"), and as a sentence to the customer. */
const RETURN_STATUS: Record<Language, Record<ReturnStatus, { label: string; text: string }>> = {
  'zh-CN': {
    requested: { label: '已申请', text: '我们已收到您的退货申请，审核后会再通知您' },
    approved: { label: '已批准', text: '已批准，请将商品寄回给我们' },
    rejected: { label: '未获批准', text: '很抱歉，未获批准' },
    received: { label: '已收货', text: '我们已收到退回的商品，正在办理' },
    refunded: { label: '已退款', text: '已为您退款' },
    exchanged: { label: '已换货', text: '换货商品将另行发出' },
    closed: { label: '已关闭', text: '已办结' },
  },
  en: {
    requested: {
      label: 'requested',
      text: 'we have received your request and will write again once it is reviewed',
    },
    approved: { label: 'approved', text: 'approved: please send the units back to us' },
    rejected: { label: 'rejected', text: 'we are sorry, it was not approved' },
    received: { label: 'received', text: 'we have received the units and are dealing with them' },
    refunded: { label: 'refunded', text: 'we have refunded you' },
    exchanged: { label: 'exchanged', text: 'the replacement will ship separately' },
    closed: { label: 'closed', text: 'it is closed' },
  },
};

/** An exchange's replacement order, after the sentence that it ships separately. */
const REPLACEMENT_TEXT: Record<Language, (number: string) => string> = {
  'zh-CN': (number) => `（换货订单 ${number}）`,
  en: (number) => `, as order ${number}`,
};

/** The variables of `return.updated`: the order's, and the return's as it is now. */
export function returnMessageData(
  ret: ReturnSnapshot,
  order: OrderSnapshot,
  language: Language,
  extra: { customerName?: string } = {},
) {
  const money = moneyIn(ret.currency, language);
  const names = new Map(order.lines.map((line) => [line.sku, line.name]));
  const status = RETURN_STATUS[language][ret.status];
  return {
    ...messageData(order, language, extra),
    ret: {
      number: ret.number,
      statusLabel: status.label,
      statusText: ret.replacement
        ? `${status.text}${REPLACEMENT_TEXT[language](ret.replacement.number)}`
        : status.text,
      lines: ret.lines.map(({ sku, quantity }) => ({ name: names.get(sku) ?? sku, quantity })),
      refunded: ret.status === 'refunded' && ret.refundedAmount ? money(ret.refundedAmount) : null,
      reason: ret.status === 'rejected' ? (ret.rejection?.reason ?? null) : null,
    },
  };
}

/** The variables every template may use, in the reader's language. */
export function messageData(
  order: OrderSnapshot,
  language: Language,
  extra: {
    customerName?: string | undefined;
    waitedMs?: number | undefined;
    /** The customer's e-mail that joined the order (`order.message`). */
    mail?: MailNotice | undefined;
  } = {},
) {
  const money = moneyIn(order.currency, language);
  return {
    order: {
      number: order.number,
      amount: money(order.total),
      lineCount: order.lines.length,
      awaitingText: order.awaiting ? AWAITING_TEXT[language][order.awaiting] : '',
    },
    lines: order.lines.map((line) => ({
      name: line.name,
      sku: line.sku,
      quantity: line.quantity,
      lineTotal: money(line.lineTotal),
    })),
    shipment: order.shipment,
    // The latest parcel and how much of the order has left (`order.shipment`, several shipments).
    parcel: order.shipments?.at(-1) ?? null,
    progress: {
      parcels: order.shipments?.length ?? 0,
      shipped: (order.shipments ?? []).reduce(
        (sum, shipment) => sum + shipment.lines.reduce((units, line) => units + line.quantity, 0),
        0,
      ),
      total: order.lines.reduce((sum, line) => sum + line.quantity, 0),
    },
    reason: order.cancellation?.reason ?? order.rejection?.reason ?? null,
    problem: order.problem ?? null,
    ...(extra.customerName !== undefined ? { customer: { name: extra.customerName } } : {}),
    ...(extra.waitedMs !== undefined ? { waited: formatWait(extra.waitedMs, language) } : {}),
    ...(extra.mail !== undefined ? { mail: extra.mail } : {}),
  };
}

function templateFor(kind: NotificationKind, audience: Audience, language: Language): MessageTemplate {
  if (audience === 'customer') {
    if (!isCustomerKind(kind)) throw new Error(`customers are not told about ${kind}`);
    return CUSTOMER_TEMPLATES[kind][language];
  }
  return STAFF_TEMPLATES[kind][language];
}

/**
 * Renders one kind for one audience in one language: subject, plain text, and a whole HTML document in
 * which every value is escaped. Throws when the data lacks a variable the template uses.
 */
export function renderMessage(
  kind: NotificationKind,
  language: Language,
  data: object,
  audience: Audience = 'staff',
): MessageTemplate {
  const template = templateFor(kind, audience, language);
  const subject = render(template.subject, data, false);
  const content = render(template.html, data, true);
  return {
    subject,
    text: render(template.text, data, false),
    html: render(HTML_LAYOUT[language], { ...data, subject, content }, true),
  };
}

/** How many notifications a digest lists by title; the rest it only counts. */
export const DIGEST_ITEMS = 50;

/**
 * Renders a member of staff's daily digest from the notifications since their last one (oldest first), with
 * each time in their language and the business's time zone.
 */
export function renderDigest(
  language: Language,
  name: string,
  items: { title: string; createdAt: string }[],
  total: number,
  timeZone: string,
): MessageTemplate {
  const when = new Intl.DateTimeFormat(language, {
    timeZone,
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
  const data = {
    name,
    count: total,
    more: Math.max(0, total - items.length),
    items: items.map((item) => ({ at: when.format(new Date(item.createdAt)), title: item.title })),
  };
  const template = DIGEST_TEMPLATES[language];
  const subject = render(template.subject, data, false);
  const content = render(template.html, data, true);
  return {
    subject,
    text: render(template.text, data, false),
    html: render(DIGEST_LAYOUT[language], { subject, content }, true),
  };
}
