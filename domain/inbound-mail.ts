/**
 * The pure rules of mail that comes in (docs/inbound-mail.md): how the product's own Message-IDs look, what
 * in a message says which order it is about, and which messages were written by a machine.
 */

/**
 * The domain of the product's Message-IDs before they took the configured mail domain, and when the
 * configured From has none: replies to e-mail sent then still thread.
 */
export const LEGACY_MESSAGE_ID_DOMAIN = 'oms.local';

/**
 * The domain the product's Message-IDs carry: the one of its From address (OMS_MAIL_FROM), lower-case, so
 * that they are the installation's own; `oms.local` when the From's address has no domain with a dot
 * (the default `oms@localhost`).
 */
export function messageIdDomainOf(mailFrom: string): string {
  const address = /<([^<>]+)>\s*$/.exec(mailFrom)?.[1] ?? mailFrom;
  const domain = /@([a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+)\s*$/i.exec(
    address.trim(),
  )?.[1];
  return domain ? domain.toLowerCase() : LEGACY_MESSAGE_ID_DOMAIN;
}

/** The Message-ID of the e-mail sent for one delivery (an outbox row): `<deliveryId@domain>`. */
export function messageIdOf(deliveryId: string, domain: string = LEGACY_MESSAGE_ID_DOMAIN): string {
  return `<${deliveryId}@${domain}>`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The deliveries an incoming message answers, from its `In-Reply-To` and `References` (newest last, as
 * RFC 5322 orders them): the ids of the product's own Message-IDs among them (of the configured domain, or
 * the one used before it), nearest answer first.
 */
export function deliveryIdsAnswered(
  inReplyTo: string | null,
  references: readonly string[],
  domain: string = LEGACY_MESSAGE_ID_DOMAIN,
): string[] {
  const domains = new Set([domain.toLowerCase(), LEGACY_MESSAGE_ID_DOMAIN]);
  const ids: string[] = [];
  for (const messageId of [...(inReplyTo ? [inReplyTo] : []), ...[...references].reverse()]) {
    const match = /^<?([^@<>\s]+)@([^<>\s]+?)>?$/.exec(messageId.trim());
    if (!match || !domains.has(match[2]!.toLowerCase())) continue;
    const id = match[1]!.toLowerCase();
    if (UUID.test(id) && !ids.includes(id)) ids.push(id);
  }
  return ids;
}

/** Order numbers (`SO-2026-002732`) named in a subject, first one first. */
export function orderNumbersIn(subject: string): string[] {
  return [...new Set([...subject.matchAll(/\bSO-\d{4}-\d{6,}\b/gi)].map((m) => m[0].toUpperCase()))];
}

/** The headers that tell a machine-written message, lower-cased names as mailparser gives them. */
export interface AutomaticSigns {
  autoSubmitted?: string | null;
  precedence?: string | null;
  contentType?: string | null;
  returnPath?: string | null;
  from?: string | null;
  /** `X-Autoreply`, `X-Autorespond` or `X-Auto-Response-Suppress` was present. */
  autoreplyHeader?: boolean;
}

/**
 * True for automatic replies and bounces (RFC 3834 `Auto-Submitted` other than `no`, bulk/list/junk
 * precedence, delivery and disposition reports, the null sender, mailer-daemons): the product never
 * answers them, so two machines can never mail each other in a loop.
 */
export function isAutomatic(signs: AutomaticSigns): boolean {
  const autoSubmitted = signs.autoSubmitted?.trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== 'no') return true;
  if (signs.autoreplyHeader) return true;
  if (/^(bulk|list|junk|auto_reply)$/i.test(signs.precedence?.trim() ?? '')) return true;
  if (
    /multipart\/report|message\/delivery-status|message\/disposition-notification/i.test(
      signs.contentType ?? '',
    )
  )
    return true;
  if (signs.returnPath !== undefined && signs.returnPath !== null && /^<?>?$/.test(signs.returnPath.trim()))
    return true;
  return /^(mailer-daemon|postmaster)@/i.test(signs.from?.trim() ?? '');
}

/** What staff might file an unmatched message as: a hint for the list, never acted on by itself. */
export type InboundSuggestion = 'feedback' | 'order' | null;

/** A guess from the words of the subject and text (Chinese and English); null when nothing stands out. */
export function suggestionFor(subject: string, text: string): InboundSuggestion {
  const words = `${subject}\n${text.slice(0, 2000)}`;
  if (
    /\b(order|purchase order|PO)\b|订单|订购|采购|下单/i.test(words) &&
    /\b\d+\s*(x|pcs|units?|boxes)\b|数量|件|箱/i.test(words)
  )
    return 'order';
  if (/feedback|suggest|complain|建议|反馈|投诉|意见/i.test(words)) return 'feedback';
  return null;
}

/** The most a stored message's text holds; longer text is cut with a note (the source is not kept). */
export const MAX_STORED_TEXT = 100_000;

/** The most candidate lines read from one message (the catalogue is asked about each). */
export const MAX_ORDER_LINE_CANDIDATES = 1000;

/** An order line as a customer wrote it in an e-mail: the line of the text it is on (from 1). */
export interface MailOrderLine {
  line: number;
  sku: string;
  quantity: number;
}

/** What may be a SKU in running text: letters, digits and `._/-` (the catalogue decides what is one). */
const SKU_TOKEN = String.raw`[\p{L}\p{N}][\p{L}\p{N}._/-]{0,63}`;
const QUANTITY = String.raw`\d{1,7}`;
const UNITS = String.raw`(?:pcs|pieces?|units?|boxes|box|件|箱|个|盒|套|包|瓶)`;
/** `TEA-001 x 2`, `TEA-001 × 2`, `TEA-001 * 2`, anywhere in a line, several per line. */
const SKU_TIMES = new RegExp(
  String.raw`(?<![\p{L}\p{N}._/-])(${SKU_TOKEN})\s*[x×*]\s*(${QUANTITY})(?!\d)`,
  'giu',
);
/** `2 x TEA-001`, `2 × TEA-001`, anywhere in a line. */
const TIMES_SKU = new RegExp(String.raw`(?<![\p{L}\p{N}])(${QUANTITY})\s*[x×*]\s*(${SKU_TOKEN})`, 'giu');
/** A line that is one item: `TEA-001: 2`, `TEA-001 qty 2`, `TEA-001 数量 2`, `TEA-001 2 boxes`, `TEA-001 2件`. */
const LINE_SKU_QUANTITY = new RegExp(
  String.raw`^(${SKU_TOKEN})\s*(?:[:：=,，]|qty\.?|quantity|数量[:：]?)?\s*(${QUANTITY})\s*${UNITS}?\.?$`,
  'iu',
);
/** A line that is one item the other way round: `2 boxes TEA-001`, `2件 TEA-001`, `2 of TEA-001`. */
const LINE_QUANTITY_SKU = new RegExp(
  String.raw`^(${QUANTITY})\s*(?:${UNITS}|of)\s*(?:of\s+)?(${SKU_TOKEN})\.?$`,
  'iu',
);
/** Where the customer's own words end and the quoted e-mail they answer begins. */
const QUOTE_STARTS = /^(?:-{2,}\s*original message|on .+ wrote:$|.+写道[:：]$|-----)/i;

/**
 * The order lines a customer may have meant in an e-mail's text (issue 33: an order by e-mail becomes an
 * import preview staff commit): `SKU x N` or `N x SKU` anywhere, or a line that is a SKU and a quantity.
 * Quoted text (`>` lines, and everything after "On … wrote:") is not read: a reply quotes the product's own
 * e-mail, which lists the order's lines. Only candidates: the caller keeps those whose SKU is in the
 * catalogue, so that an ordinary word next to a number is not taken for a product.
 */
export function orderLineCandidates(text: string): MailOrderLine[] {
  const found: MailOrderLine[] = [];
  const lines = text.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    // An order has at most 200 lines; a message with far more candidates is no order to guess at.
    if (found.length >= MAX_ORDER_LINE_CANDIDATES) break;
    const line = raw.trim();
    if (QUOTE_STARTS.test(line)) break;
    if (line.startsWith('>')) continue;
    // List markers: `- `, `* `, `• `, `1. `, `1) `.
    const item = line.replace(/^(?:[-*•·]|\d{1,3}[.)、])\s+/u, '');
    const add = (sku: string | undefined, quantity: string | undefined) => {
      if (sku && quantity) found.push({ line: index + 1, sku, quantity: Number(quantity) });
    };
    const before = found.length;
    for (const match of item.matchAll(SKU_TIMES)) add(match[1], match[2]);
    if (found.length === before) for (const match of item.matchAll(TIMES_SKU)) add(match[2], match[1]);
    if (found.length === before) {
      const skuFirst = LINE_SKU_QUANTITY.exec(item);
      if (skuFirst) add(skuFirst[1], skuFirst[2]);
      else {
        const quantityFirst = LINE_QUANTITY_SKU.exec(item);
        if (quantityFirst) add(quantityFirst[2], quantityFirst[1]);
      }
    }
  }
  return found;
}

/**
 * The candidates whose SKU the catalogue has (`known` answers the catalogue's spelling of a SKU, matched
 * without regard to case, or undefined), each product once: the same product named twice is one line with
 * the quantities added, on the line it was first named.
 */
export function recognisedOrderLines(
  candidates: readonly MailOrderLine[],
  known: (sku: string) => string | undefined,
): MailOrderLine[] {
  const lines = new Map<string, MailOrderLine>();
  for (const candidate of candidates) {
    const sku = known(candidate.sku);
    if (sku === undefined || candidate.quantity < 1) continue;
    const earlier = lines.get(sku);
    if (earlier) earlier.quantity += candidate.quantity;
    else lines.set(sku, { ...candidate, sku });
  }
  return [...lines.values()];
}
