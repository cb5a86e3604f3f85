/**
 * The notification vocabulary the API, the workflows and the activities share: the kinds, the languages, and
 * which kinds a customer hears of. Pure definitions only.
 */
export const NOTIFICATION_KINDS = [
  'order.created',
  'order.processing',
  'order.shipped',
  'order.completed',
  'order.cancelled',
  'order.rejected',
  'order.escalated',
  /** A step of the order failed for good and needs a person; sent to managers and admins. */
  'order.problem',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** The kinds a customer may be told about, by e-mail: confirmation, shipment, completion. */
export const CUSTOMER_KINDS = ['order.created', 'order.shipped', 'order.completed'] as const;
export type CustomerKind = (typeof CUSTOMER_KINDS)[number];
export const isCustomerKind = (kind: string): kind is CustomerKind =>
  (CUSTOMER_KINDS as readonly string[]).includes(kind);

export { LANGUAGES, type Language } from './people.definitions';

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

/**
 * The task queue of the deliveries' own worker, beside the installation's (OMS_TASK_QUEUE): what it runs
 * (the daily digest) never takes an order's workflow-task or activity slot.
 */
export function deliveryTaskQueue(taskQueue: string): string {
  return `${taskQueue}-deliveries`;
}

/** The daily e-mail digest: the Temporal Schedule that starts it and the workflow it starts. */
export const DIGEST_SCHEDULE_ID = 'oms-notification-digest';
export const DIGEST_WORKFLOW = 'notificationDigestWorkflow';

/** The kind of a digest e-mail, which is about no one order. */
export const DIGEST_KIND = 'digest';

/** What a delivery may be about: a notification kind, or the daily digest. */
export const DELIVERY_KINDS = [...NOTIFICATION_KINDS, DIGEST_KIND] as const;

/**
 * Sends one planned delivery (an e-mail or a webhook call), retrying with backoff, apart from any order.
 * Deliveries planned before the outbox each had one; those still running hand their delivery to the outbox.
 */
export const DELIVERY_WORKFLOW = 'deliveryWorkflow';

/** One workflow per delivery: starting it twice for the same delivery is refused, so it is sent once. */
export function deliveryWorkflowId(deliveryId: string): string {
  return `delivery:${deliveryId}`;
}

export interface DeliveryInput {
  deliveryId: string;
  /** Attempts before the delivery is marked failed. */
  maxAttempts: number;
  /** Wait before the first retry, in milliseconds; doubled after each further failure. */
  initialIntervalMs: number;
}
