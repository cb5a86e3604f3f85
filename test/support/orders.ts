import type { Client } from '@temporalio/client';
import { orderWorkflowId } from '../../workflows/order.definitions';
import { eventually } from './fixtures';
import type { ApiClient } from './http';

export type OrderBody = {
  id: string;
  number: string;
  status: string;
  awaiting: string | null;
  total: number;
  createdAt: string;
  payment: { status: string; amount: number; lastError: string | null } | null;
  [key: string]: unknown;
};

/** Places an order through the API and fails the test unless it is created. */
export async function placeOrder(
  api: ApiClient,
  customerId: string,
  lines: { sku: string; quantity: number }[],
  headers?: Record<string, string>,
): Promise<OrderBody> {
  const response = await api.post<OrderBody>('/api/orders', { customerId, lines }, headers);
  if (response.status !== 201)
    throw new Error(`placing an order failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/**
 * Cancels orders left waiting at the end of a test, ten at a time: left waiting, their stock rechecks and
 * reminders would load the workers of the files that run after it (the default task queue is shared).
 */
export async function cancelLeftWaiting(api: ApiClient, orderIds: string[]): Promise<void> {
  for (let start = 0; start < orderIds.length; start += 10) {
    const cancelled = await Promise.all(
      orderIds
        .slice(start, start + 10)
        .map((id) => api.post(`/api/orders/${id}/cancel`, { reason: 'the test is over' })),
    );
    const refused = cancelled.filter((response) => response.status !== 200);
    if (refused.length > 0) throw new Error(`cancelling failed: ${JSON.stringify(refused[0]!.body)}`);
  }
}

/** The product's stock as the API reports it. */
export async function stockOf(api: ApiClient, productSku: string) {
  const page = await api.get<{
    items: { id: string; sku: string; stockOnHand: number; reserved: number; available: number }[];
  }>(`/api/products?q=${encodeURIComponent(productSku)}`);
  const product = page.body.items.find((item) => item.sku === productSku);
  if (!product) throw new Error(`no product ${productSku}`);
  return product;
}

/** Deletes the order's workflow from Temporal, as retention would, and waits until its history is gone. */
export async function deleteFromTemporal(
  temporal: Client,
  namespace: string,
  orderId: string,
): Promise<void> {
  const handle = temporal.workflow.getHandle(orderWorkflowId(orderId));
  const { runId } = await handle.describe();
  await temporal.workflowService.deleteWorkflowExecution({
    namespace,
    workflowExecution: { workflowId: orderWorkflowId(orderId), runId },
  });
  // Deletion is asynchronous in Temporal (it took up to ~35 s here).
  const gone = await eventually(
    () =>
      handle.fetchHistory().then(
        () => false,
        () => true,
      ),
    Boolean,
    90_000,
  );
  if (!gone) throw new Error(`Temporal still holds the workflow of order ${orderId}`);
}

/**
 * Waits until Temporal visibility lists the orders as running and waiting for approval (it is eventually
 * consistent); answers how many of them it lists.
 */
export async function visibleAsWaiting(temporal: Client, orderIds: string[]): Promise<number> {
  const ids = new Set(orderIds.map(orderWorkflowId));
  return eventually(
    async () => {
      let seen = 0;
      const query = `ExecutionStatus = 'Running' AND OrderAwaiting = 'approval'`;
      for await (const workflow of temporal.workflow.list({ query })) {
        if (ids.has(workflow.workflowId)) seen++;
      }
      return seen;
    },
    (count) => count === ids.size,
  );
}
