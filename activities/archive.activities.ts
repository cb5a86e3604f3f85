import type { EntityManager } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { OrderHistoryRepository } from '../db/repositories';
import { orderWorkflowId } from '../workflows/order.definitions';

export interface ArchiveActivityDeps {
  em: () => EntityManager;
  client: Client;
}

/** Keeps a copy of an order's workflow history in PostgreSQL, so it outlives Temporal's retention. */
export function createArchiveActivities(deps: ArchiveActivityDeps) {
  return {
    /**
     * Stores the order's history as it stands (everything up to this activity); the API replaces it with
     * the complete history the first time it reads the finished order. Idempotent.
     */
    async archiveHistory({ orderId }: { orderId: string }): Promise<void> {
      const history = await deps.client.workflow.getHandle(orderWorkflowId(orderId)).fetchHistory();
      await new OrderHistoryRepository(deps.em()).save(
        orderId,
        historyToJSON(history),
        history.events?.length ?? 0,
      );
    },
  };
}
