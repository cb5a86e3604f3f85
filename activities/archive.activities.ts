import type { EntityManager } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { OrderArchiveRepository, OrderHistoryRepository } from '../db/repositories';
import { orderWorkflowId } from '../workflows/order.definitions';

export interface ArchiveActivityDeps {
  em: () => EntityManager;
  client: Client;
}

/** Keeps the permanent record of finished orders in PostgreSQL, so it outlives Temporal's retention. */
export function createArchiveActivities(deps: ArchiveActivityDeps) {
  const fetchHistory = async (orderId: string) => {
    const history = await deps.client.workflow.getHandle(orderWorkflowId(orderId)).fetchHistory();
    return { json: historyToJSON(history), events: history.events?.length ?? 0 };
  };

  return {
    /**
     * Stores the order's history as it stands (everything up to this activity). Kept for workflows that
     * reached their end before `archiveOrder` existed; idempotent.
     */
    async archiveHistory({ orderId }: { orderId: string }): Promise<void> {
      const history = await fetchHistory(orderId);
      await new OrderHistoryRepository(deps.em()).save(orderId, history.json, history.events);
    },

    /**
     * Writes the finished order's complete record: the order with its lines, approvals and shipment, the
     * payment ledger, the notifications and deliveries so far, and the workflow history up to this activity
     * (the API completes the history the first time it reads the closed workflow). One compressed JSON
     * document with a SHA-256; running it again replaces the record only with a longer history.
     */
    async archiveOrder({ orderId }: { orderId: string }): Promise<{ events: number; bytes: number }> {
      const em = deps.em();
      const history = await fetchHistory(orderId);
      const parts = await new OrderArchiveRepository(em).collect(orderId);
      if (!parts) throw new Error(`order ${orderId} has no row to archive`);
      const record = JSON.stringify({
        orderId,
        order: parts.order,
        lines: parts.lines,
        approvals: parts.order.snapshot.approvals ?? [],
        shipment: parts.order.snapshot.shipment ?? null,
        payments: parts.payments,
        notifications: parts.notifications,
        deliveries: parts.deliveries,
        history: JSON.parse(history.json) as unknown,
      });
      await new OrderArchiveRepository(em).save(orderId, record, history.events);
      await new OrderHistoryRepository(em).save(orderId, history.json, history.events);
      return { events: history.events, bytes: Buffer.byteLength(record) };
    },
  };
}
