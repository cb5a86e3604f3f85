import type { EntityManager } from '@mikro-orm/postgresql';
import type { OrderStatus } from '../../workflows/order.definitions';
import { sqlOf } from './sql';

/** A reporting period: local dates `from` to `to`, both included, in an IANA time zone. */
export interface Period {
  from: string;
  to: string;
  timeZone: string;
}

export type SalesGrouping = 'day' | 'week' | 'month';

export interface SalesRow {
  /** First local date of the day, ISO week (Monday) or month. */
  period: string;
  currency: string;
  orders: number;
  paidOrders: number;
  /** Captured minus refunded, minor units. */
  revenue: number;
  refunded: number;
  cancelled: number;
  rejected: number;
}

export interface RankedRow {
  id: string;
  name: string;
  currency: string;
  orders: number;
  quantity: number;
  revenue: number;
  revenueTotal: number;
  quantityTotal: number;
  /** Position by the requested measure within the currency, from 1. */
  rank: number;
}

export type Ranking = 'revenue' | 'quantity';

export interface StageTimes {
  stage: string;
  count: number;
  medianMs: number;
  p90Ms: number;
}

export interface OpenOrder {
  id: string;
  number: string;
  status: OrderStatus;
  awaiting: string | null;
  since: string;
}

/** The instants a period covers: `[start, end)` in SQL, from local midnights. */
const START = `(?::date)::timestamp at time zone ?`;
const END = `(?::date + 1)::timestamp at time zone ?`;
const bounds = (p: Period) => [p.from, p.timeZone, p.to, p.timeZone];

/** Read-only report queries over the summaries the mirror keeps (see the README's Reports section). */
export class ReportRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * Orders placed per local period and currency from the quarter-hour sales summary. The periods are made
   * first (local starts turned into instants once each), then each sums its buckets through the primary
   * key's range: no time zone arithmetic per bucket.
   */
  async sales(period: Period, groupBy: SalesGrouping): Promise<SalesRow[]> {
    const rows = await sqlOf(this.em)<Record<string, string>[]>(
      `with periods as (
         select local_start,
                greatest(local_start, ?::date::timestamp) at time zone ? as starts,
                least(local_start + ?::interval, ?::date + 1) at time zone ? as ends
           from generate_series(date_trunc(?, ?::date::timestamp), ?::date::timestamp, ?::interval) as local_start)
       select to_char(p.local_start, 'YYYY-MM-DD') as period, b.currency,
              coalesce(sum(b.orders) filter (where b.outcome = 'active'), 0) as orders,
              coalesce(sum(b.paid_orders) filter (where b.outcome = 'active'), 0) as paid_orders,
              coalesce(sum(b.captured - b.refunded) filter (where b.outcome = 'active'), 0) as revenue,
              coalesce(sum(b.refunded) filter (where b.outcome = 'active'), 0) as refunded,
              coalesce(sum(b.orders) filter (where b.outcome = 'cancelled'), 0) as cancelled,
              coalesce(sum(b.orders) filter (where b.outcome = 'rejected'), 0) as rejected
         from periods p join sales_buckets b on b.bucket >= p.starts and b.bucket < p.ends
        group by p.local_start, b.currency having sum(b.orders) > 0
        order by p.local_start, b.currency`,
      [
        period.from,
        period.timeZone,
        `1 ${groupBy}`,
        period.to,
        period.timeZone,
        groupBy,
        period.from,
        period.to,
        `1 ${groupBy}`,
      ],
    );
    return rows.map((row) => ({
      period: row.period!,
      currency: row.currency!,
      orders: Number(row.orders),
      paidOrders: Number(row.paid_orders),
      revenue: Number(row.revenue),
      refunded: Number(row.refunded),
      cancelled: Number(row.cancelled),
      rejected: Number(row.rejected),
    }));
  }

  /** Customers of orders placed in the period (not cancelled or rejected), top `limit` per currency. */
  async customers(period: Period, rankBy: Ranking, limit: number): Promise<RankedRow[]> {
    return this.ranked(
      `select customer_id as id, currency, count(*) as orders, sum(items) as quantity,
              sum(captured - refunded) as revenue
         from orders
        where created_at >= ${START} and created_at < ${END} and status not in ('cancelled', 'rejected')
        group by 1, 2`,
      `customers`,
      period,
      rankBy,
      limit,
    );
  }

  /** Products on lines of orders placed in the period (not cancelled or rejected), top `limit` per currency. */
  async products(period: Period, rankBy: Ranking, limit: number): Promise<RankedRow[]> {
    return this.ranked(
      `select product_id as id, currency, count(*) as orders, sum(quantity) as quantity,
              sum(line_total) as revenue
         from order_lines
        where created_at >= ${START} and created_at < ${END} and active
        group by 1, 2`,
      `products`,
      period,
      rankBy,
      limit,
    );
  }

  /**
   * The top `limit` per currency by the measure, with the currency's totals for the shares: the period is
   * aggregated once, then each currency takes its top rows (a top-N sort, not a rank over every group).
   */
  private async ranked(
    scoped: string,
    names: 'customers' | 'products',
    period: Period,
    rankBy: Ranking,
    limit: number,
  ): Promise<RankedRow[]> {
    const keys =
      rankBy === 'revenue'
        ? ['revenue desc', 'quantity desc', 'id']
        : ['quantity desc', 'revenue desc', 'id'];
    const order = keys.join(', ');
    const rows = await sqlOf(this.em)<Record<string, string>[]>(
      `with scoped as materialized (${scoped}),
       totals as (select currency, sum(revenue) as revenue_total, sum(quantity) as quantity_total
                    from scoped group by currency)
       select s.*, t.revenue_total, t.quantity_total, n.name
         from totals t
         cross join lateral (select * from scoped s where s.currency = t.currency order by ${order} limit ?) s
         join ${names} n on n.id = s.id
        order by t.currency, ${keys.map((key) => `s.${key}`).join(', ')}`,
      [...bounds(period), limit],
    );
    let rank = 0;
    let currency = '';
    return rows.map((row) => {
      rank = row.currency === currency ? rank + 1 : 1;
      currency = row.currency!;
      return {
        id: row.id!,
        name: row.name!,
        currency: row.currency!,
        orders: Number(row.orders),
        quantity: Number(row.quantity),
        revenue: Number(row.revenue),
        revenueTotal: Number(row.revenue_total),
        quantityTotal: Number(row.quantity_total),
        rank,
      };
    });
  }

  /** How many orders are in each status now. */
  async statusCounts(): Promise<{ status: OrderStatus; count: number }[]> {
    const rows = await sqlOf(this.em)<{ status: OrderStatus; count: string }[]>(
      `select status, count from order_status_counts where count > 0 order by status`,
    );
    return rows.map((row) => ({ status: row.status, count: Number(row.count) }));
  }

  /** Median and 90th percentile time spent per stage, over the stays that ended in the period. */
  async stageTimes(period: Period): Promise<StageTimes[]> {
    const rows = await sqlOf(this.em)<{ stage: string; count: string; median: number; p90: number }[]>(
      `select stage, count(*) as count,
              percentile_cont(0.5) within group (order by extract(epoch from left_at - entered_at)) * 1000 as median,
              percentile_cont(0.9) within group (order by extract(epoch from left_at - entered_at)) * 1000 as p90
         from order_transitions
        where left_at >= ${START} and left_at < ${END}
        group by stage order by stage`,
      bounds(period),
    );
    return rows.map((row) => ({
      stage: row.stage,
      count: Number(row.count),
      medianMs: Math.round(Number(row.median)),
      p90Ms: Math.round(Number(row.p90)),
    }));
  }

  /** Orders whose wait reached each escalation level, per stage, for levels reached in the period. */
  async breaches(period: Period): Promise<{ stage: string; level: number; orders: number }[]> {
    const rows = await sqlOf(this.em)<{ stage: string; level: number; orders: string }[]>(
      `select stage, level, count(distinct order_id) as orders from escalation_breaches
        where at >= ${START} and at < ${END}
        group by stage, level order by stage, level`,
      bounds(period),
    );
    return rows.map((row) => ({ stage: row.stage, level: row.level, orders: Number(row.orders) }));
  }

  /** Open orders that have been in their current stage longest. */
  async slowestOpen(limit: number): Promise<OpenOrder[]> {
    const rows = await sqlOf(this.em)<
      { id: string; number: string; status: OrderStatus; awaiting: string | null; since: Date }[]
    >(
      `select id, number, status, awaiting, coalesce(awaiting_since, updated_at) as since from orders
        where status in ('created', 'processing', 'shipped')
        order by coalesce(awaiting_since, updated_at), id limit ?`,
      [limit],
    );
    return rows.map((row) => ({ ...row, since: new Date(row.since).toISOString() }));
  }
}
