import type { OrderSnapshot, OrderStatus } from '../../domain/order';
import { arrayLiteral, type Sql } from '../repositories/sql';

/** What an order adds to the sales summary: where it falls and what it counts. */
export interface SalesContribution {
  createdAt: string | Date;
  currency: string;
  status: OrderStatus;
  captured: number;
  refunded: number;
  /** Whether any of it has shipped (a shipment in its snapshot). */
  shipped: boolean;
}

/** The row an order's status puts it in: cancelled and rejected orders never count as revenue. */
export function outcomeOf(status: OrderStatus): 'active' | 'cancelled' | 'rejected' {
  return status === 'cancelled' || status === 'rejected' ? status : 'active';
}

export type SalesOutcome = ReturnType<typeof outcomeOf> | 'partly_shipped';

/**
 * The sales row an order counts in: as `outcomeOf`, except that a cancelled order part of which had
 * shipped is `partly_shipped`. Its captured minus refunded is the value of what shipped (the cancel refunded
 * the rest), and the sales report counts that as revenue; other cancelled orders hold nothing.
 */
export function salesOutcomeOf(status: OrderStatus, shipped: boolean): SalesOutcome {
  return status === 'cancelled' && shipped ? 'partly_shipped' : outcomeOf(status);
}

/** Whether any part of the order has left the warehouse. */
export const hasShipped = (order: Pick<OrderSnapshot, 'shipment' | 'shipments'>): boolean =>
  (order.shipments?.length ?? 0) > 0 || Boolean(order.shipment);

/** The pipeline stage a status and wait make up, e.g. `processing/stock`. */
export function stageName(status: string, awaiting: string | null): string {
  return awaiting ? `${status}/${awaiting}` : status;
}

/**
 * Adds (sign 1) or removes (sign -1) one order's contribution to its quarter-hour sales bucket and to the
 * bucket's UTC day (`sales_bucket_days`), in one statement: the day row always equals the sum of its buckets.
 */
async function applySales(sql: Sql, order: SalesContribution, sign: 1 | -1): Promise<void> {
  const paid = order.captured > order.refunded ? 1 : 0;
  await sql(
    `with figures (at, currency, outcome, orders, paid_orders, captured, refunded) as (
       values (?::timestamptz, ?::text, ?::text, ?::int, ?::int, ?::bigint, ?::bigint)),
     bucket as (
       insert into sales_buckets as s (bucket, currency, outcome, orders, paid_orders, captured, refunded)
       select date_bin('15 minutes', at, timestamptz '2000-01-01 00:00:00+00'), currency, outcome, orders,
              paid_orders, captured, refunded
         from figures
       on conflict (bucket, currency, outcome) do update set
         orders = s.orders + excluded.orders, paid_orders = s.paid_orders + excluded.paid_orders,
         captured = s.captured + excluded.captured, refunded = s.refunded + excluded.refunded)
     insert into sales_bucket_days as d (day, currency, outcome, orders, paid_orders, captured, refunded)
     select (at at time zone 'UTC')::date, currency, outcome, orders, paid_orders, captured, refunded
       from figures
     on conflict (day, currency, outcome) do update set
       orders = d.orders + excluded.orders, paid_orders = d.paid_orders + excluded.paid_orders,
       captured = d.captured + excluded.captured, refunded = d.refunded + excluded.refunded`,
    [
      order.createdAt,
      order.currency,
      salesOutcomeOf(order.status, order.shipped),
      sign,
      sign * paid,
      sign * order.captured,
      sign * order.refunded,
    ],
  );
}

const sameContribution = (a: SalesContribution, b: SalesContribution) =>
  salesOutcomeOf(a.status, a.shipped) === salesOutcomeOf(b.status, b.shipped) &&
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

/** Select list and source of `captured` and `refunded` so far from the payments ledger, of the order `?` names. */
export const LEDGER_TOTALS = `coalesce(sum(amount) filter (where kind = 'capture'), 0) as captured,
       coalesce(sum(amount) filter (where kind = 'refund'), 0) as refunded
  from payments where order_id = ? and status = 'succeeded'`;

/** Captured and refunded so far, from the payments ledger. */
export async function ledgerTotals(
  sql: Sql,
  orderId: string,
): Promise<{ captured: number; refunded: number }> {
  const [row] = await sql<{ captured: string; refunded: string }[]>(`select ${LEDGER_TOTALS}`, [orderId]);
  return { captured: Number(row?.captured ?? 0), refunded: Number(row?.refunded ?? 0) };
}

/**
 * Records a change of status or awaiting as a transition keyed by the snapshot version, with the
 * workflow's own time, and closes the transition it ends (counting that stay in `stage_duration_days`). A retried write of the same version adds nothing.
 */
export async function recordTransition(sql: Sql, order: OrderSnapshot): Promise<void> {
  const at = (order.awaiting && order.awaitingSince) || order.updatedAt;
  // The stay it ends is counted in its stage's duration histogram for the UTC day it ended.
  // One statement: the stay it closes (with its histogram bucket), then the transition it opens. The
  // closing update sees the rows as they were before the statement, so it never closes the new one.
  await sql(
    `with closed as (
       update order_transitions set left_at = ? where order_id = ? and left_at is null and version < ?
       returning stage, entered_at, left_at),
     counted as (
       insert into stage_duration_days as h (day, stage, bucket, stays)
       select (left_at at time zone 'UTC')::date, stage, stage_duration_bucket(entered_at, left_at), count(*)
         from closed group by 1, 2, 3 order by 1, 2, 3
       on conflict (day, stage, bucket) do update set stays = h.stays + excluded.stays)
     insert into order_transitions (order_id, version, status, awaiting, stage, entered_at)
     values (?, ?, ?, ?, ?, ?) on conflict do nothing`,
    [
      at,
      order.orderId,
      order.version,
      order.orderId,
      order.version,
      order.status,
      order.awaiting,
      stageName(order.status, order.awaiting),
      at,
    ],
  );
}

/** When an order's shipments left: the first, the one that took the last unit (null until then), how many. */
export interface ShippingTimes {
  firstShippedAt: string;
  lastShippedAt: string | null;
  shipments: number;
}

/**
 * The order's shipping times from its snapshot, or null while nothing has shipped. `shipments` lists every
 * parcel (oldest first); a snapshot from before partial shipments has only `shipment`, its one parcel.
 * `shipment` is set once the last unit has left, with that parcel's time: the last shipment.
 */
export function shippingTimesOf(order: Pick<OrderSnapshot, 'shipment' | 'shipments'>): ShippingTimes | null {
  const parcels = order.shipments ?? [];
  const times = parcels.map((parcel) => Date.parse(parcel.shippedAt)).filter(Number.isFinite);
  const last = order.shipment?.shippedAt ?? null;
  if (times.length === 0) {
    return last
      ? {
          firstShippedAt: new Date(last).toISOString(),
          lastShippedAt: new Date(last).toISOString(),
          shipments: 1,
        }
      : null;
  }
  return {
    firstShippedAt: new Date(Math.min(...times)).toISOString(),
    lastShippedAt: last ? new Date(last).toISOString() : null,
    shipments: parcels.length,
  };
}

/**
 * Keeps the order's row in `order_shipping_times` (the pipeline report's shipping measures): written when
 * its first shipment appears and again when the figures change (another parcel, the last unit); other
 * writes find it equal and change nothing. When the order entered processing is read from its transitions
 * (recorded before this, in the same write) the first time.
 */
export async function recordShipping(sql: Sql, order: OrderSnapshot): Promise<void> {
  const times = shippingTimesOf(order);
  if (!times) return;
  await sql(
    `insert into order_shipping_times as s (order_id, processing_at, first_shipped_at, last_shipped_at, shipments)
     values (?, (select min(entered_at) from order_transitions where order_id = ? and status = 'processing'),
             ?, ?, ?)
     on conflict (order_id) do update set
       first_shipped_at = excluded.first_shipped_at, last_shipped_at = excluded.last_shipped_at,
       shipments = excluded.shipments
     where (s.first_shipped_at, s.last_shipped_at, s.shipments)
           is distinct from (excluded.first_shipped_at, excluded.last_shipped_at, excluded.shipments)`,
    [order.orderId, order.orderId, times.firstShippedAt, times.lastShippedAt, times.shipments],
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
  const add = `insert into order_status_counts as c (status, count) values (?, 1)
     on conflict (status) do update set count = c.count + 1`;
  // One statement: the two rows differ, so the update and the insert never meet.
  if (before)
    await sql(`with leaving as (update order_status_counts set count = count - 1 where status = ?) ${add}`, [
      before,
      after,
    ]);
  else await sql(add, [after]);
}

/** What an order adds to the ranking summaries (only while it is not cancelled or rejected). */
export interface RankingContribution {
  customerId: string;
  currency: string;
  createdAt: string | Date;
  status: OrderStatus;
  /** Captured minus refunded. */
  revenue: number;
  /** Units on all lines. */
  items: number;
  lines: { productId: string; quantity: number; lineTotal: number }[];
}

/** The UTC date an instant falls on, as the day summaries key it. */
export const utcDay = (at: string | Date) => new Date(at).toISOString().slice(0, 10);

/** Signed changes to one summary row: its key, then the figures to add. */
interface Delta {
  key: string[];
  values: number[];
}

/** Adds deltas up per key and drops those that cancel out; sorted by key, so row locks come in order. */
function netted(deltas: Delta[]): Delta[] {
  const byKey = new Map<string, Delta>();
  for (const delta of deltas) {
    const id = delta.key.join(' ');
    const sum = byKey.get(id);
    if (sum) sum.values = sum.values.map((value, index) => value + delta.values[index]!);
    else byKey.set(id, { key: delta.key, values: [...delta.values] });
  }
  return [...byKey.entries()]
    .filter(([, delta]) => delta.values.some((value) => value !== 0))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, delta]) => delta);
}

/** A summary table: its key columns (name and SQL type) and the columns that deltas add to. */
interface Summary {
  table: string;
  keys: [string, string][];
  sums: string[];
}

const CUSTOMER_DAYS: Summary = {
  table: 'customer_sales_days',
  keys: [
    ['customer_id', 'uuid'],
    ['currency', 'text'],
    ['day', 'date'],
  ],
  sums: ['orders', 'quantity', 'revenue'],
};
const CUSTOMER_TOTALS: Summary = {
  table: 'customer_sales_totals',
  keys: [
    ['customer_id', 'uuid'],
    ['currency', 'text'],
  ],
  sums: ['quantity', 'revenue'],
};
const CUSTOMER_MONTH_BOUNDS: Summary = {
  ...CUSTOMER_TOTALS,
  table: 'customer_sales_month_bounds',
  keys: [...CUSTOMER_TOTALS.keys, ['month', 'date']],
};
const PRODUCT_DAYS: Summary = {
  ...CUSTOMER_DAYS,
  table: 'product_sales_days',
  keys: [['product_id', 'uuid'], ...CUSTOMER_DAYS.keys.slice(1)],
};
const PRODUCT_MONTHS: Summary = {
  ...PRODUCT_DAYS,
  table: 'product_sales_months',
  keys: [...PRODUCT_DAYS.keys.slice(0, 2), ['month', 'date']],
};
const PRODUCT_TOTALS: Summary = {
  ...CUSTOMER_TOTALS,
  table: 'product_sales_totals',
  keys: [['product_id', 'uuid'], ...CUSTOMER_TOTALS.keys.slice(1)],
};
const SALES_DAYS: Summary = {
  table: 'sales_days',
  keys: [
    ['day', 'date'],
    ['currency', 'text'],
  ],
  sums: ['quantity', 'revenue', 'line_revenue'],
};

/** The upsert that adds a summary's netted deltas to its rows (of unnested arrays); null when none change. */
function upsertOf(summary: Summary, deltas: Delta[]): { text: string; params: string[] } | null {
  const rows = netted(deltas);
  if (rows.length === 0) return null;
  const columns = [...summary.keys.map(([name]) => name), ...summary.sums];
  const types = [...summary.keys.map(([, type]) => type), ...summary.sums.map(() => 'bigint')];
  return {
    text: `insert into ${summary.table} as t (${columns.join(', ')})
     select * from unnest(${types.map((type) => `?::${type}[]`).join(', ')})`,
    params: columns.map((_, index) => arrayLiteral(rows.map((row) => [...row.key, ...row.values][index]!))),
  };
}

/**
 * Adds each summary's netted deltas to its rows, all in one statement. The tables are written in the order
 * given, as separate statements would (each upsert waits for the one before it: it reads how many rows that
 * one wrote), so two orders' writes take the rows' locks in one order and cannot deadlock.
 */
async function addTo(sql: Sql, changes: [Summary, Delta[]][]): Promise<void> {
  const upserts = changes.flatMap(([summary, deltas]) => {
    const upsert = upsertOf(summary, deltas);
    if (!upsert) return [];
    const conflict = `on conflict (${summary.keys.map(([name]) => name).join(', ')}) do update set
       ${summary.sums.map((column) => `${column} = t.${column} + excluded.${column}`).join(', ')}`;
    return [{ ...upsert, conflict }];
  });
  if (upserts.length === 0) return;
  const steps = upserts.map(({ text, conflict }, index) => {
    const after = index === 0 ? '' : ` where (select count(*) from w${index - 1}) >= 0`;
    return `${text}${after} ${conflict}`;
  });
  const last = steps.length - 1;
  const ctes = steps.slice(0, last).map((step, index) => `w${index} as (${step} returning 1)`);
  await sql(
    `${ctes.length ? `with ${ctes.join(', ')} ` : ''}${steps[last]}`,
    upserts.flatMap(({ params }) => params),
  );
}

/**
 * Moves an order's contribution in the ranking summaries from what it was to what it is: per UTC day and
 * customer, per UTC day and month and product, per UTC day and currency, and the per-month (customers)
 * and all-time upper bounds (each order's or line's revenue counted as at least 0). Only rows whose figures change are written, one
 * statement per table. Run in the mirror's transaction with the order row locked.
 */
export async function moveRankings(
  sql: Sql,
  before: RankingContribution | null,
  after: RankingContribution,
): Promise<void> {
  const sides = [
    { order: before, sign: -1 },
    { order: after, sign: 1 },
  ].filter(
    (side): side is { order: RankingContribution; sign: number } =>
      side.order !== null && outcomeOf(side.order.status) === 'active',
  );
  const customerDays: Delta[] = [];
  const customerTotals: Delta[] = [];
  const customerMonthBounds: Delta[] = [];
  const productDays: Delta[] = [];
  const productTotals: Delta[] = [];
  const productMonths: Delta[] = [];
  const days: Delta[] = [];
  for (const { order, sign } of sides) {
    const day = utcDay(order.createdAt);
    const month = `${day.slice(0, 7)}-01`;
    const lineRevenue = order.lines.reduce((sum, line) => sum + line.lineTotal, 0);
    const customer = order.customerId;
    customerDays.push({
      key: [customer, order.currency, day],
      values: [sign, sign * order.items, sign * order.revenue],
    });
    customerTotals.push({
      key: [customer, order.currency],
      values: [sign * order.items, sign * Math.max(order.revenue, 0)],
    });
    customerMonthBounds.push({
      key: [customer, order.currency, month],
      values: [sign * order.items, sign * Math.max(order.revenue, 0)],
    });
    days.push({
      key: [day, order.currency],
      values: [sign * order.items, sign * order.revenue, sign * lineRevenue],
    });
    for (const line of order.lines) {
      productDays.push({
        key: [line.productId, order.currency, day],
        values: [sign, sign * line.quantity, sign * line.lineTotal],
      });
      productMonths.push({
        key: [line.productId, order.currency, month],
        values: [sign, sign * line.quantity, sign * line.lineTotal],
      });
      productTotals.push({
        key: [line.productId, order.currency],
        values: [sign * line.quantity, sign * Math.max(line.lineTotal, 0)],
      });
    }
  }
  await addTo(sql, [
    [CUSTOMER_DAYS, customerDays],
    [CUSTOMER_TOTALS, customerTotals],
    [CUSTOMER_MONTH_BOUNDS, customerMonthBounds],
    [PRODUCT_DAYS, productDays],
    [PRODUCT_MONTHS, productMonths],
    [PRODUCT_TOTALS, productTotals],
    [SALES_DAYS, days],
  ]);
}
