import type { EntityManager } from '@mikro-orm/postgresql';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { KeyRing } from '../config/keys';
import { ArchiveQueueRepository, OrderArchiveRepository, type ArchivedHistory } from '../db/repositories';
import { orderWorkflowId } from '../workflows/order.definitions';
import {
  RETURN_ARCHIVE_WORKFLOW,
  returnArchiveStart,
  returnWorkflowId,
} from '../workflows/return.definitions';
import { fetchOrderRuns, type History } from './order-runs';

export interface ArchiveActivityDeps {
  em: () => EntityManager;
  client: Client;
  /** The archive's seal keys: records are sealed with the current one. */
  archiveSealKeys: KeyRing;
  /** The task queue the archiving workflow starts on: the worker's own (OMS_TASK_QUEUE). */
  taskQueue: string;
}

/**
 * How long after it is queued an order's archive is first tried: the order's workflow closes right after
 * its last step queues it, in the same workflow task.
 */
export const ARCHIVE_FIRST_TRY_MS = 500;

/**
 * Keeps the permanent record of finished orders in PostgreSQL, so it outlives Temporal's retention. The
 * order's workflow queues its archive as its last step (`startArchive`); the worker's archiver writes the
 * record once the order's workflow has closed (`archiveClosedOrder`), as did the archiving workflow each
 * order started before the queue (`orderArchiveWorkflow`, kept for those still running). Nothing else
 * writes it.
 */
export function createArchiveActivities(deps: ArchiveActivityDeps) {
  /** A return's workflow history as Temporal holds it now; null once Temporal has removed it. */
  async function returnHistory(returnId: string): Promise<History | null> {
    try {
      return await deps.client.workflow.getHandle(returnWorkflowId(returnId)).fetchHistory();
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return null;
      throw error;
    }
  }

  /** Whether the workflow is still running (a missing one is not). */
  async function running(workflowId: string): Promise<boolean> {
    try {
      return (await deps.client.workflow.getHandle(workflowId).describe()).status.name === 'RUNNING';
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return false;
      throw error;
    }
  }

  /**
   * Writes the finished order's complete record: the order with its lines, approvals and shipment, the
   * payment ledger, the notifications and deliveries so far, its returns (events, credit note and workflow
   * history) and every run of its workflow history as it stands. One compressed JSON document with a SHA-256
   * and a keyed seal; `events` counts the order's and its returns' history events, so running it again adds
   * a record only when a history has grown (a return moved on or ended since).
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
    const returnHistories = await Promise.all(parts.returns.map((row) => returnHistory(row.id)));
    const returns = parts.returns.map((row, i) => {
      const history = returnHistories[i];
      return { ...row, history: history ? (JSON.parse(historyToJSON(history)) as unknown) : null };
    });
    const events = [...runs, ...returnHistories].reduce((sum, run) => sum + (run?.events?.length ?? 0), 0);
    const record = JSON.stringify({
      orderId,
      order: parts.order,
      lines: parts.lines,
      approvals: parts.order.snapshot.approvals ?? [],
      shipment: parts.order.snapshot.shipment ?? null,
      payments: parts.payments,
      notifications: parts.notifications,
      deliveries: parts.deliveries,
      returns,
      ...histories,
    });
    await new OrderArchiveRepository(em).save(orderId, record, events, deps.archiveSealKeys.current);
    return { events, bytes: Buffer.byteLength(record) };
  }

  return {
    /**
     * Queues the order's archive, which the worker's archiver writes once the order's workflow has closed
     * (activities/archive.queue.ts); idempotent. The order runs this as its last step, just before it closes.
     */
    async startArchive({ orderId }: { orderId: string }): Promise<void> {
      await new ArchiveQueueRepository(deps.em()).enqueue(orderId, ARCHIVE_FIRST_TRY_MS);
    },

    /**
     * Archives the order once its workflow has closed; until then it fails (`OrderOpen`), to be tried again.
     * The archiver runs it for each queued order, as do the archiving workflows started before the queue.
     */
    async archiveClosedOrder({ orderId }: { orderId: string }): Promise<void> {
      if (await running(orderWorkflowId(orderId)))
        throw ApplicationFailure.retryable(
          `the workflow of order ${orderId} has not closed yet`,
          'OrderOpen',
        );
      await archiveOrder({ orderId });
    },

    /** Starts archiving the order again once the return's workflow has closed (a return ended); idempotent. */
    async startReturnArchive({ returnId, orderId }: { returnId: string; orderId: string }): Promise<void> {
      try {
        await deps.client.workflow.start(
          RETURN_ARCHIVE_WORKFLOW,
          returnArchiveStart(deps.taskQueue, returnId, orderId),
        );
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      }
    },

    /**
     * Once the return's workflow has closed (until then it fails, to be retried), adds the order's record
     * with the return in its final state, when the order's own workflow has closed; while the order still
     * runs, the record it writes when it closes holds the return.
     */
    async archiveClosedReturn({ returnId, orderId }: { returnId: string; orderId: string }): Promise<void> {
      if (await running(returnWorkflowId(returnId)))
        throw ApplicationFailure.retryable(
          `the workflow of return ${returnId} has not closed yet`,
          'ReturnOpen',
        );
      if (await running(orderWorkflowId(orderId))) return;
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
