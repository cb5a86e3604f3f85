import type { EntityManager } from '@mikro-orm/postgresql';
import { OrderRepository } from '../db/repositories';
import type { OrderSnapshot } from '../workflows/order.definitions';

export interface OrderActivityDeps {
  /** A fresh unit of work for each activity run. */
  em: () => EntityManager;
}

/** Activities that keep PostgreSQL in step with the order workflows. */
export function createOrderActivities(deps: OrderActivityDeps) {
  return {
    /**
     * Mirrors the workflow's snapshot into the orders tables. Safe to run twice or out of order: the
     * row only moves to a newer version.
     */
    async mirrorOrder(order: OrderSnapshot): Promise<void> {
      await new OrderRepository(deps.em()).mirror(order);
    },
  };
}
