/**
 * The envelope of what machine clients receive, by webhook and by polling `GET /api/integration/events`:
 * CloudEvents 1.0 in structured JSON mode (https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/spec.md).
 * Pure definitions only.
 */
export const CLOUD_EVENTS_VERSION = '1.0';

/** The media type of a structured-mode CloudEvent sent as an HTTP body. */
export const CLOUD_EVENTS_CONTENT_TYPE = 'application/cloudevents+json';

/** Where every order event comes from; with the subject (the order's id) it names `/api/orders/<id>`. */
export const ORDER_EVENTS_SOURCE = '/api/orders';

/** One event: `id` is unique per event and the same in every delivery and poll of it. */
export interface CloudEvent<T = unknown> {
  specversion: typeof CLOUD_EVENTS_VERSION;
  id: string;
  source: string;
  /** The notification kind, e.g. `order.shipped`. */
  type: string;
  /** The order's id. */
  subject: string;
  /** When it happened (RFC 3339). */
  time: string;
  datacontenttype: 'application/json';
  data: T;
}

/** Wraps what happened to an order in the envelope. */
export function orderEvent<T>(event: {
  id: string;
  type: string;
  orderId: string;
  time: string;
  data: T;
}): CloudEvent<T> {
  return {
    specversion: CLOUD_EVENTS_VERSION,
    id: event.id,
    source: ORDER_EVENTS_SOURCE,
    type: event.type,
    subject: event.orderId,
    time: event.time,
    datacontenttype: 'application/json',
    data: event.data,
  };
}

/** Whether a stored payload is already an envelope (webhook calls planned before CloudEvents are not). */
export function isCloudEvent(value: unknown): value is CloudEvent {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { specversion?: unknown }).specversion === CLOUD_EVENTS_VERSION
  );
}
