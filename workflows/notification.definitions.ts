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

/** Sends one planned delivery (an e-mail or a webhook call), retrying with backoff, apart from any order. */
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

/**
 * Where and how the delivery workflow of one delivery is started (by the worker, or the API on a resend):
 * on the installation's task queue (OMS_TASK_QUEUE).
 */
export function deliveryStart(
  taskQueue: string,
  deliveryId: string,
  attempts: number,
  retryIntervalMs: number,
) {
  const input: DeliveryInput = { deliveryId, maxAttempts: attempts, initialIntervalMs: retryIntervalMs };
  return { taskQueue, workflowId: deliveryWorkflowId(deliveryId), args: [input] };
}
