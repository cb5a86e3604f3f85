import type { EntityManager } from '@mikro-orm/postgresql';
import { Context } from '@temporalio/activity';
import { EscalationRepository, OrderRepository } from '../db/repositories';
import { toPlan, type EscalationPlan, type EscalationStage } from '../domain/escalation';
import type { FoundBeyond, OrderSnapshot } from '../domain/order';

export interface RecordOrderInput {
  order: OrderSnapshot;
  /** The wait the order has just entered, when its escalation policy is wanted with the answer. */
  planFor: EscalationStage | null;
}

/** What `recordOrder` answers: the snapshot as written (the audit trail reads it from the history) and the plan. */
export interface RecordOrderResult {
  order: OrderSnapshot;
  plan: EscalationPlan | null;
  /** Writes of the order a run its history does not keep left (see `OrderRepository.mirror`); absent when none. */
  found?: FoundBeyond;
}

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
      await mirror(order);
    },

    /**
     * The workflow's one bookkeeping step per change (a local activity): mirrors the snapshot like
     * `mirrorOrder` and, when the order has entered a watched wait, answers the escalation policy in force
     * for it, so entering a wait costs no second step. A local activity's input is not kept in the history,
     * so the snapshot comes back in the result, where the order's audit trail reads it.
     */
    async recordOrder({ order, planFor }: RecordOrderInput): Promise<RecordOrderResult> {
      const found = await mirror(order);
      const recorded = found ? { order, found } : { order };
      if (planFor === null) return { ...recorded, plan: null };
      const escalations = new EscalationRepository(deps.em());
      return { ...recorded, plan: toPlan(await escalations.policy(planFor), await escalations.calendar()) };
    },
  };

  async function mirror(order: OrderSnapshot): Promise<FoundBeyond | null> {
    const { left, found } = await new OrderRepository(deps.em()).mirror(order);
    if (found)
      Context.current().log.warn('order has writes its workflow history does not keep', {
        orderId: order.orderId,
        version: order.version,
        rowVersion: found.version,
        shipments: found.shipments.map((shipment) => shipment.id),
      });
    if (!left) return found;
    const context = Context.current();
    context.log.info('order moved', {
      orderId: order.orderId,
      from: { status: left.status, awaiting: left.awaiting },
      to: { status: order.status, awaiting: order.awaiting },
    });
    if (left.sinceMs === null) return found;
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
    return found;
  }
}
