/**
 * The pure rules of mail that comes in (docs/inbound-mail.md): how the product's own Message-IDs look, what
 * in a message says which order it is about, and which messages were written by a machine.
 */

/** The domain of the Message-IDs the product gives its e-mails: `<deliveryId@oms.local>`. */
export const MESSAGE_ID_DOMAIN = 'oms.local';

/** The Message-ID of the e-mail sent for one delivery (an outbox row). */
export function messageIdOf(deliveryId: string): string {
  return `<${deliveryId}@${MESSAGE_ID_DOMAIN}>`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The deliveries an incoming message answers, from its `In-Reply-To` and `References` (newest last, as
 * RFC 5322 orders them): the ids of the product's own Message-IDs among them, nearest answer first.
 */
export function deliveryIdsAnswered(inReplyTo: string | null, references: readonly string[]): string[] {
  const ids: string[] = [];
  for (const messageId of [...(inReplyTo ? [inReplyTo] : []), ...[...references].reverse()]) {
    const match = /^<?([^@<>\s]+)@([^<>\s]+?)>?$/.exec(messageId.trim());
    if (!match || match[2]!.toLowerCase() !== MESSAGE_ID_DOMAIN) continue;
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
