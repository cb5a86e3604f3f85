import type { EntityManager } from '@mikro-orm/postgresql';
import { Context } from '@temporalio/activity';
import { OrderRepository } from '../db/repositories';
import type { OrderSnapshot } from '../workflows/order.definitions';

export interface OrderActivityDeps {
  /** A fresh unit of work for each activity run. */
  em: () => EntityManager;
}

/** Bucket bounds (seconds) of the stage duration histogram: a second to a month. */
export const STAGE_DURATION_BUCKETS = [
  1, 10, 60, 300, 1800, 3600, 14_400, 86_400, 259_200, 604_800, 2_592_000,
];

/** Activities that keep PostgreSQL in step with the order workflows. */
export function createOrderActivities(deps: OrderActivityDeps) {
  return {
    /**
     * Mirrors the workflow's snapshot into the orders tables. Safe to run twice or out of order: the
     * row only moves to a newer version. When the order leaves a stage, records how long it stayed there
     * (workflow time, so a late mirror does not stretch it).
     */
    async mirrorOrder(order: OrderSnapshot): Promise<void> {
      const { left } = await new OrderRepository(deps.em()).mirror(order);
      if (!left) return;
      const context = Context.current();
      context.log.info('order moved', {
        orderId: order.orderId,
        from: { status: left.status, awaiting: left.awaiting },
        to: { status: order.status, awaiting: order.awaiting },
      });
      if (left.sinceMs === null) return;
      try {
        context.metricMeter
          .createHistogram('oms_order_stage_duration', 'float', 's', 'Time orders spent in a stage')
          .record(Math.max(0, (Date.parse(order.updatedAt) - left.sinceMs) / 1000), {
            status: left.status,
            awaiting: left.awaiting ?? '',
          });
      } catch (error) {
        // The order has moved; a metric that cannot be recorded must not make the activity retry.
        context.log.warn('stage duration not recorded', { error: String(error) });
      }
    },
  };
}
