/**
 * What the API and the worker share about deliveries apart from the pure vocabulary (domain/notifications.ts):
 * the deliveries' own task queue, the digest's schedule and workflow, and the pre-outbox delivery workflow.
 */

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
