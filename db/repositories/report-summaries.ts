import type { OrderSnapshot, OrderStatus } from '../../workflows/order.definitions';
import type { Sql } from './sql';

/** What an order adds to the sales summary: where it falls and what it counts. */
export interface SalesContribution {
  createdAt: string | Date;
  currency: string;
  status: OrderStatus;
  captured: number;
  refunded: number;
}

/** The row an order's status puts it in: cancelled and rejected orders never count as revenue. */
export function outcomeOf(status: OrderStatus): 'active' | 'cancelled' | 'rejected' {
  return status === 'cancelled' || status === 'rejected' ? status : 'active';
}

/** The pipeline stage a status and wait make up, e.g. `processing/stock`. */
export function stageName(status: string, awaiting: string | null): string {
  return awaiting ? `${status}/${awaiting}` : status;
}

/** Adds (sign 1) or removes (sign -1) one order's contribution to its quarter-hour sales bucket. */
async function applySales(sql: Sql, order: SalesContribution, sign: 1 | -1): Promise<void> {
  const paid = order.captured > order.refunded ? 1 : 0;
  await sql(
    `insert into sales_buckets as s (bucket, currency, outcome, orders, paid_orders, captured, refunded)
     values (date_bin('15 minutes', ?::timestamptz, timestamptz '2000-01-01 00:00:00+00'), ?, ?, ?, ?, ?, ?)
     on conflict (bucket, currency, outcome) do update set
       orders = s.orders + excluded.orders, paid_orders = s.paid_orders + excluded.paid_orders,
       captured = s.captured + excluded.captured, refunded = s.refunded + excluded.refunded`,
    [
      order.createdAt,
      order.currency,
      outcomeOf(order.status),
      sign,
      sign * paid,
      sign * order.captured,
      sign * order.refunded,
    ],
  );
}

const sameContribution = (a: SalesContribution, b: SalesContribution) =>
  outcomeOf(a.status) === outcomeOf(b.status) &&
  a.currency === b.currency &&
  a.captured === b.captured &&
  a.refunded === b.refunded;

/**
 * Moves an order's contribution in the sales summary from what it was to what it is; run in the mirror's
 * transaction with the order row locked, so concurrent writes of one order cannot count it twice.
 */
export async function moveSales(
  sql: Sql,
  before: SalesContribution | null,
  after: SalesContribution,
): Promise<void> {
  if (before && sameContribution(before, after)) return;
  if (before) await applySales(sql, before, -1);
  await applySales(sql, after, 1);
}

/** Captured and refunded so far, from the payments ledger. */
export async function ledgerTotals(
  sql: Sql,
  orderId: string,
): Promise<{ captured: number; refunded: number }> {
  const [row] = await sql<{ captured: string; refunded: string }[]>(
    `select coalesce(sum(amount) filter (where kind = 'capture'), 0) as captured,
            coalesce(sum(amount) filter (where kind = 'refund'), 0) as refunded
       from payments where order_id = ? and status = 'succeeded'`,
    [orderId],
  );
  return { captured: Number(row?.captured ?? 0), refunded: Number(row?.refunded ?? 0) };
}

/**
 * Records a change of status or awaiting as a transition keyed by the snapshot version, with the
 * workflow's own time, and closes the transition it ends. A retried write of the same version adds nothing.
 */
export async function recordTransition(sql: Sql, order: OrderSnapshot): Promise<void> {
  const at = (order.awaiting && order.awaitingSince) || order.updatedAt;
  await sql(
    `update order_transitions set left_at = ? where order_id = ? and left_at is null and version < ?`,
    [at, order.orderId, order.version],
  );
  await sql(
    `insert into order_transitions (order_id, version, status, awaiting, stage, entered_at)
     values (?, ?, ?, ?, ?, ?) on conflict do nothing`,
    [order.orderId, order.version, order.status, order.awaiting, stageName(order.status, order.awaiting), at],
  );
}

/** Records each escalation level the order's current wait has reached, once per wait and level. */
export async function recordBreaches(sql: Sql, order: OrderSnapshot): Promise<void> {
  const escalation = order.escalation;
  if (!escalation || escalation.level < 1) return;
  await sql(
    `insert into escalation_breaches (order_id, stage, since, level, at)
     select ?, ?, ?, level, ? from generate_series(1, ?) as level on conflict do nothing`,
    [
      order.orderId,
      escalation.stage,
      escalation.since,
      escalation.escalatedAt ?? order.updatedAt,
      escalation.level,
    ],
  );
}

/** Moves one order from its previous status's count to its new one (null: a new order). */
export async function moveStatusCount(
  sql: Sql,
  before: OrderStatus | null,
  after: OrderStatus,
): Promise<void> {
  if (before === after) return;
  if (before) await sql(`update order_status_counts set count = count - 1 where status = ?`, [before]);
  await sql(
    `insert into order_status_counts as c (status, count) values (?, 1)
     on conflict (status) do update set count = c.count + 1`,
    [after],
  );
}
