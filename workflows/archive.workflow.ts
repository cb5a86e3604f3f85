import { proxyLocalActivities } from '@temporalio/workflow';
import type * as activities from '../activities';

type Activities = ReturnType<typeof activities.createActivities>;

const { archiveClosedOrder, archiveClosedReturn } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '1 minute',
  // Until the order's workflow has closed (it closes right after starting this one), and through outages.
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

/**
 * Archives a finished order once its workflow has closed, so that the record holds the order's complete
 * history, its close included. Orders started it as their last step until their archive was queued in
 * PostgreSQL instead (activities/archive.queue.ts); it stays registered for the ones still running.
 */
export async function orderArchiveWorkflow(orderId: string): Promise<void> {
  await archiveClosedOrder({ orderId });
}

/**
 * Adds a return that has ended to its order's archived record, once the return's workflow has closed (so the
 * record holds its complete history). The return's workflow starts it as its last step.
 */
export async function returnArchiveWorkflow(returnId: string, orderId: string): Promise<void> {
  await archiveClosedReturn({ returnId, orderId });
}
