import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { orderWorkflowId } from '../workflows/order.definitions';

export type History = temporal.api.history.v1.IHistory;

/** The run a history continues (its workflow continued as new), or null for an order's first run. */
export function continuedFrom(history: History): string | null {
  return history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || null;
}

/**
 * Every run of an order's workflow as Temporal holds it, oldest first: an order that waits long continues
 * as new under the same workflow id, and each run's first event names the run it continues.
 */
export async function fetchOrderRuns(client: Client, orderId: string): Promise<History[]> {
  const workflowId = orderWorkflowId(orderId);
  const runs = [await client.workflow.getHandle(workflowId).fetchHistory()];
  for (let previous = continuedFrom(runs[0]!); previous; previous = continuedFrom(runs[0]!))
    runs.unshift(await client.workflow.getHandle(workflowId, previous).fetchHistory());
  return runs;
}
