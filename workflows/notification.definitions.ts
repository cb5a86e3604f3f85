/** What the API and the worker share about the delivery workflow: its name, ID, input and start options. */
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
