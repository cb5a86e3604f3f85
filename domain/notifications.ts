/**
 * The notification vocabulary the API, the workflows, the activities and the console share: the kinds, which
 * kinds a customer hears of, the channels and the delivery statuses. Pure definitions only.
 */
export const NOTIFICATION_KINDS = [
  'order.created',
  'order.processing',
  'order.shipped',
  /**
   * Part of the order left in a shipment and the rest follows ("8 of 10 units shipped"); the shipment that
   * takes the last unit is `order.shipped` (docs/shipments.md).
   */
  'order.shipment',
  'order.completed',
  'order.cancelled',
  'order.rejected',
  'order.escalated',
  /** A step of the order failed for good and needs a person; sent to managers and admins. */
  'order.problem',
  /**
   * A customer's e-mail joined the order's conversation (a reply, or the order named in its subject); sent
   * to the people responsible for the order, never to the customer (docs/inbound-mail.md).
   */
  'order.message',
  /** A return waited too long for approval or for its units, past its escalation policy (stage `return`). */
  'return.escalated',
  /**
   * A return changed: requested, approved, rejected, received, refunded (docs/returns.md); the customer is
   * e-mailed by default, staff only if a manager names their roles.
   */
  'return.updated',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** The kinds a customer may be told about, by e-mail: confirmation, shipments, completion, returns. */
export const CUSTOMER_KINDS = [
  'order.created',
  'order.shipment',
  'order.shipped',
  'order.completed',
  'return.updated',
] as const;
export type CustomerKind = (typeof CUSTOMER_KINDS)[number];
export const isCustomerKind = (kind: string): kind is CustomerKind =>
  (CUSTOMER_KINDS as readonly string[]).includes(kind);

export const CHANNELS = ['email', 'webhook'] as const;
export type Channel = (typeof CHANNELS)[number];

export const DELIVERY_STATUSES = ['pending', 'sending', 'retrying', 'sent', 'failed', 'unconfirmed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * Which e-mails a member of staff wants, besides the in-app inbox that always has everything addressed to
 * them: `all` of them, those `assigned` to them personally, a daily `digest`, or `none`.
 */
export const EMAIL_PREFERENCES = ['all', 'assigned', 'digest', 'none'] as const;
export type EmailPreference = (typeof EMAIL_PREFERENCES)[number];
export const DEFAULT_EMAIL_PREFERENCE: EmailPreference = 'assigned';

/**
 * A destination's circuit breaker: `closed` sends, `open` sends nothing until its next probe, `half_open` has
 * the one probe in flight.
 */
export const BREAKER_STATES = ['closed', 'half_open', 'open'] as const;
export type BreakerState = (typeof BREAKER_STATES)[number];

/** The kind of a digest e-mail, which is about no one order. */
export const DIGEST_KIND = 'digest';

/** The kind of an e-mail staff wrote to a customer from an order (docs/inbound-mail.md). */
export const ORDER_MESSAGE_KIND = 'order-message';

/** The kind of the e-mail that sends a customer their quote's link (docs/quotes.md). */
export const QUOTE_KIND = 'quote';

/**
 * What a delivery may be about: a notification kind, the daily digest, staff writing to a customer, or a
 * quote sent to one.
 */
export const DELIVERY_KINDS = [...NOTIFICATION_KINDS, DIGEST_KIND, ORDER_MESSAGE_KIND, QUOTE_KIND] as const;
