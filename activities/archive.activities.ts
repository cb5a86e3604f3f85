import type { EntityManager } from '@mikro-orm/postgresql';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { KeyRing } from '../config/keys';
import { OrderArchiveRepository, type ArchivedHistory } from '../db/repositories';
import { ORDER_ARCHIVE_WORKFLOW, orderArchiveStart, orderWorkflowId } from '../workflows/order.definitions';
import { fetchOrderRuns } from './order-runs';

export interface ArchiveActivityDeps {
  em: () => EntityManager;
  client: Client;
  /** The archive's seal keys: records are sealed with the current one. */
  archiveSealKeys: KeyRing;
  /** The task queue the archiving workflow starts on: the worker's own (OMS_TASK_QUEUE). */
  taskQueue: string;
}

/**
 * Keeps the permanent record of finished orders in PostgreSQL, so it outlives Temporal's retention. The
 * order's workflow starts the archiving as its last step (`startArchive`); `orderArchiveWorkflow` writes the
 * record once the order's workflow has closed (`archiveClosedOrder`). Nothing else writes it.
 */
export function createArchiveActivities(deps: ArchiveActivityDeps) {
  /**
   * Writes the finished order's complete record: the order with its lines, approvals and shipment, the
   * payment ledger, the notifications and deliveries so far, and every run of its workflow history as it
   * stands. One compressed JSON document with a SHA-256 and a keyed seal; running it again adds a record
   * only when the history has grown.
   */
  async function archiveOrder({ orderId }: { orderId: string }): Promise<{ events: number; bytes: number }> {
    const em = deps.em();
    const runs = await fetchOrderRuns(deps.client, orderId);
    const parts = await new OrderArchiveRepository(em).collect(orderId);
    if (!parts) throw new Error(`order ${orderId} has no row to archive`);
    const [history, ...earlier] = runs.map((run) => JSON.parse(historyToJSON(run)) as unknown).reverse();
    const histories: ArchivedHistory = {
      history,
      ...(earlier.length ? { earlierRuns: earlier.reverse() } : {}),
    };
    const record = JSON.stringify({
      orderId,
      order: parts.order,
      lines: parts.lines,
      approvals: parts.order.snapshot.approvals ?? [],
      shipment: parts.order.snapshot.shipment ?? null,
      payments: parts.payments,
      notifications: parts.notifications,
      deliveries: parts.deliveries,
      ...histories,
    });
    const events = runs.reduce((sum, run) => sum + (run.events?.length ?? 0), 0);
    await new OrderArchiveRepository(em).save(orderId, record, events, deps.archiveSealKeys.current);
    return { events, bytes: Buffer.byteLength(record) };
  }

  return {
    /** Starts the order's archiving, which waits for the order's workflow to close; idempotent. */
    async startArchive({ orderId }: { orderId: string }): Promise<void> {
      try {
        await deps.client.workflow.start(ORDER_ARCHIVE_WORKFLOW, orderArchiveStart(deps.taskQueue, orderId));
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      }
    },

    /** Archives the order once its workflow has closed; until then it fails, to be retried. */
    async archiveClosedOrder({ orderId }: { orderId: string }): Promise<void> {
      const { status } = await deps.client.workflow.getHandle(orderWorkflowId(orderId)).describe();
      if (status.name === 'RUNNING')
        throw ApplicationFailure.retryable(
          `the workflow of order ${orderId} has not closed yet`,
          'OrderOpen',
        );
      await archiveOrder({ orderId });
    },

    /**
     * Archives at once, with the history up to this step: what orders whose workflows predate
     * `startArchive` run as their last step.
     */
    archiveOrder,
    /** The same record, under the name that workflows finished before `archiveOrder` existed still call. */
    async archiveHistory({ orderId }: { orderId: string }): Promise<void> {
      await archiveOrder({ orderId });
    },
  };
}
