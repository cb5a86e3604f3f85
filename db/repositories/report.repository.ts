import type { EntityManager } from '@mikro-orm/postgresql';
import type { OrderStatus } from '../../domain/order';
import { arrayLiteral, sqlOf } from './sql';
import { RETURN_WAITS, WAIT_THRESHOLDS, type WaitSubject } from '../../domain/waiting';
import { EXACT_PERCENTILES_UP_TO, percentileOf } from '../reports/percentiles';
import {
  CUSTOMER_RANKING,
  DAY,
  DIRECT_MAX_DAYS,
  END,
  MAX_CANDIDATES,
  PRODUCT_RANKING,
  START,
  bounds,
  compareBy,
  monthsTouched,
  numbered,
  rankKeys,
  summaryRows,
  type Candidate,
  type Candidates,
  type RankingSource,
  type Slices,
} from '../reports/ranking-plan';

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
  /** Of `orders`, those cancelled after part had shipped: they count what shipped (the rest refunded). */
  cancelledAfterShipping: number;
  /** Cancelled before anything shipped. */
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

/** The pipeline's shipping measures, per order (see `shippingTimes`). */
export const SHIPPING_MEASURES = [
  'processing-to-first-shipment',
  'first-to-last-shipment',
  'processing-to-last-shipment',
] as const;
export type ShippingMeasure = (typeof SHIPPING_MEASURES)[number];

export interface ShippingTimes {
  measure: ShippingMeasure;
  /** Orders measured. */
  count: number;
  /** Null when no order was measured. */
  medianMs: number | null;
  p90Ms: number | null;
}

export interface OpenOrder {
  id: string;
  number: string;
  status: OrderStatus;
  awaiting: string | null;
  since: string;
}

/** Read-only report queries over the summaries the mirror keeps (see the README's Reports section). */
export class ReportRepository {
  /**
   * `options.candidates`: how many candidates a ranking reads first from each bound list (default the
   * larger of 100 and five times the limit; 0: never by candidates, always the full sum);
   * `options.directMaxDays`: up to how many whole days a ranking uses the short-period way;
   * `options.exactPercentilesUpTo`: up to how many stays stage percentiles are exact. Tests set them small
   * to drive both ways on little data.
   */
  constructor(
    private readonly em: EntityManager,
    private readonly options: {
      candidates?: number;
      directMaxDays?: number;
      exactPercentilesUpTo?: number;
    } = {},
  ) {}

  /**
   * Orders placed per local period and currency. The periods are made first (local starts turned into
   * instants once each); each then sums the whole UTC days inside it from the day summary and the
   * part-days at its edges (none in UTC; under a day each elsewhere) from the quarter-hour buckets, all
   * through primary-key ranges: no time zone arithmetic per row, and a month is about 30 day rows instead
   * of 3,000 buckets. Every real zone's offset is a multiple of 15 minutes, so the edges are whole buckets.
   */
  /**
   * Quotes made in the period (local dates), per currency: how many were sent, accepted (each an order),
   * declined, expired (an open quote past `valid_until` reads expired, whether or not that was written), or
   * are still open, with their values.
   */
  async quoteConversion(period: Period): Promise<QuoteConversionRow[]> {
    const rows = await sqlOf(this.em)<Record<string, string>[]>(
      `with made as (
         select currency, total, sent_at,
                case when status in ('draft', 'sent') and valid_until <= now() then 'expired' else status end as status
           from quotes
          where created_at >= (?::date::timestamp at time zone ?)
            and created_at < ((?::date + 1)::timestamp at time zone ?))
       select currency, count(*) as quotes, count(*) filter (where sent_at is not null) as sent,
              count(*) filter (where status = 'accepted') as accepted,
              count(*) filter (where status = 'declined') as declined,
              count(*) filter (where status = 'expired') as expired,
              count(*) filter (where status in ('draft', 'sent')) as open,
              coalesce(sum(total), 0) as quoted_value,
              coalesce(sum(total) filter (where status = 'accepted'), 0) as accepted_value
         from made group by currency order by currency`,
      [period.from, period.timeZone, period.to, period.timeZone],
    );
    return rows.map((row) => ({
      currency: row.currency!,
      quotes: Number(row.quotes),
      sent: Number(row.sent),
      accepted: Number(row.accepted),
      declined: Number(row.declined),
      expired: Number(row.expired),
      open: Number(row.open),
      quotedValue: Number(row.quoted_value),
      acceptedValue: Number(row.accepted_value),
    }));
  }

  /**
   * Returns requested in the period (local dates), rejected ones left out, per product: units returned
   * (and of them received damaged), how many returns, and the units the product shipped in the same period,
   * so the rate reads "returned of shipped"; and per reason (as typed, compared without case or outer
   * spaces): returns and units.
   */
  async returnRates(period: Period): Promise<{ products: ReturnRateRow[]; reasons: ReturnReasonRow[] }> {
    const sql = sqlOf(this.em);
    const within = (column: string) =>
      `${column} >= (?::date::timestamp at time zone ?) and ${column} < ((?::date + 1)::timestamp at time zone ?)`;
    const bounds = [period.from, period.timeZone, period.to, period.timeZone];
    const products = await sql<Record<string, string>[]>(
      `with returned as (
         select l.product_id, l.sku, l.quantity, r.id as return_id,
                coalesce((select sum((d->>'quantity')::int) from jsonb_array_elements(rr.lines) d
                           where d->>'sku' = l.sku and d->>'condition' = 'damaged'), 0) as damaged
           from order_returns r
           join order_return_lines l on l.return_id = r.id
           left join return_receipts rr on rr.return_id = r.id
          where r.status <> 'rejected' and ${within('r.created_at')}),
       shipped as (
         select sl.product_id, sum(sl.quantity) as units
           from order_shipments s join order_shipment_lines sl on sl.shipment_id = s.id
          where ${within('s.shipped_at')}
          group by sl.product_id)
       select p.id as product_id, p.sku, p.name, sum(returned.quantity) as returned_units,
              count(distinct returned.return_id) as returns, sum(returned.damaged) as damaged_units,
              coalesce(max(shipped.units), 0) as shipped_units
         from returned
         join products p on p.id = returned.product_id
         left join shipped on shipped.product_id = returned.product_id
        group by p.id, p.sku, p.name
        order by returned_units desc, p.sku`,
      [...bounds, ...bounds],
    );
    const reasons = await sql<Record<string, string>[]>(
      `select lower(btrim(r.snapshot->>'reason')) as reason, count(distinct r.id) as returns, sum(l.quantity) as units
         from order_returns r join order_return_lines l on l.return_id = r.id
        where r.status <> 'rejected' and ${within('r.created_at')}
        group by 1 order by returns desc, units desc, reason`,
      bounds,
    );
    return {
      products: products.map((row) => ({
        productId: row.product_id!,
        sku: row.sku!,
        name: row.name!,
        returnedUnits: Number(row.returned_units),
        returns: Number(row.returns),
        damagedUnits: Number(row.damaged_units),
        shippedUnits: Number(row.shipped_units),
      })),
      reasons: reasons.map((row) => ({
        reason: row.reason!,
        returns: Number(row.returns),
        units: Number(row.units),
      })),
    };
  }

  async sales(period: Period, groupBy: SalesGrouping): Promise<SalesRow[]> {
    const rows = await sqlOf(this.em)<Record<string, string>[]>(
      `with periods as (
         select local_start,
                greatest(local_start, ?::date::timestamp) at time zone ? as starts,
                least(local_start + ?::interval, ?::date + 1) at time zone ? as ends
           from generate_series(date_trunc(?, ?::date::timestamp), ?::date::timestamp, ?::interval) as local_start),
       cut as (
         select local_start, starts, ends, first_day, last_day, first_day < last_day as has_days
           from (select local_start, starts, ends,
                        case when date_trunc('day', starts, 'UTC') = starts then starts
                             else date_trunc('day', starts, 'UTC') + interval '24 hours' end as first_day,
                        date_trunc('day', ends, 'UTC') as last_day
                   from periods) p),
       figures as (
         select c.local_start, d.currency, d.outcome, d.orders, d.paid_orders, d.captured, d.refunded
           from cut c join sales_bucket_days d
             on c.has_days and d.day >= (c.first_day at time zone 'UTC')::date
            and d.day < (c.last_day at time zone 'UTC')::date
         union all
         select c.local_start, b.currency, b.outcome, b.orders, b.paid_orders, b.captured, b.refunded
           from cut c join sales_buckets b
             on b.bucket >= c.starts and b.bucket < case when c.has_days then c.first_day else c.ends end
         union all
         select c.local_start, b.currency, b.outcome, b.orders, b.paid_orders, b.captured, b.refunded
           from cut c join sales_buckets b on c.has_days and b.bucket >= c.last_day and b.bucket < c.ends)
       select to_char(f.local_start, 'YYYY-MM-DD') as period, f.currency,
              coalesce(sum(f.orders) filter (where f.outcome in ('active', 'partly_shipped')), 0) as orders,
              coalesce(sum(f.paid_orders) filter (where f.outcome in ('active', 'partly_shipped')), 0) as paid_orders,
              coalesce(sum(f.captured - f.refunded) filter (where f.outcome in ('active', 'partly_shipped')), 0) as revenue,
              coalesce(sum(f.refunded) filter (where f.outcome in ('active', 'partly_shipped')), 0) as refunded,
              coalesce(sum(f.orders) filter (where f.outcome = 'partly_shipped'), 0) as cancelled_after_shipping,
              coalesce(sum(f.orders) filter (where f.outcome = 'cancelled'), 0) as cancelled,
              coalesce(sum(f.orders) filter (where f.outcome = 'rejected'), 0) as rejected
         from figures f
        group by f.local_start, f.currency having sum(f.orders) > 0
        order by f.local_start, f.currency`,
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
      cancelledAfterShipping: Number(row.cancelled_after_shipping),
      cancelled: Number(row.cancelled),
      rejected: Number(row.rejected),
    }));
  }

  /** Customers of orders placed in the period (not cancelled or rejected), top `limit` per currency. */
  async customers(period: Period, rankBy: Ranking, limit: number): Promise<RankedRow[]> {
    return this.ranked(CUSTOMER_RANKING, period, rankBy, limit);
  }

  /** Products on lines of orders placed in the period (not cancelled or rejected), top `limit` per currency. */
  async products(period: Period, rankBy: Ranking, limit: number): Promise<RankedRow[]> {
    return this.ranked(PRODUCT_RANKING, period, rankBy, limit);
  }

  /**
   * The period's instants cut into whole UTC days (read from the day summaries) and the parts before the
   * first and after the last whole day (read from the raw rows): exact in every time zone.
   */
  private async slices(period: Period): Promise<Slices> {
    const [row] = await sqlOf(this.em)<{ starts: Date; ends: Date }[]>(
      `select ${START} as starts, ${END} as ends`,
      bounds(period),
    );
    const starts = new Date(row!.starts).getTime();
    const ends = new Date(row!.ends).getTime();
    const firstDay = Math.ceil(starts / DAY) * DAY;
    const lastDay = Math.floor(ends / DAY) * DAY;
    const iso = (ms: number) => new Date(ms).toISOString();
    if (firstDay >= lastDay) {
      const today = iso(firstDay).slice(0, 10);
      return {
        days: [today, today],
        edges: [iso(starts), iso(ends), iso(ends), iso(ends)],
        dayCount: 0,
      };
    }
    return {
      days: [iso(firstDay).slice(0, 10), iso(lastDay).slice(0, 10)],
      edges: [iso(starts), iso(firstDay), iso(lastDay), iso(ends)],
      dayCount: (lastDay - firstDay) / DAY,
    };
  }

  /**
   * The top `limit` per currency by the measure, with each currency's period totals for the shares, all
   * exact. Customers: candidates are read from the top of upper bounds (per UTC month the period touches,
   * up to two months; all-time ones beyond) and their exact period figures summed; when the `limit`-th of
   * those beats the most any customer not read can have, that is the answer; otherwise more candidates,
   * then the full sum. Products (and customers when candidates prove nothing): every one's period figures
   * summed from the day (and month) summaries and the edge rows, then each currency takes its top rows.
   */
  private async ranked(
    source: RankingSource,
    period: Period,
    rankBy: Ranking,
    limit: number,
  ): Promise<RankedRow[]> {
    const slices = await this.slices(period);
    const long = slices.dayCount > (this.options.directMaxDays ?? DIRECT_MAX_DAYS);
    const byCandidates =
      this.options.candidates === 0
        ? null
        : long && source.bounded
          ? await this.rankedByBounds(source, slices, rankBy, limit, (currency, count) =>
              this.allTimeCandidates(source, rankBy, currency, count),
            )
          : !long && source.monthBounds
            ? await this.rankedByBounds(source, slices, rankBy, limit, (currency, count) =>
                this.monthCandidates(source.monthBounds!, source.key, slices, rankBy, currency, count),
              )
            : null;
    const rows = byCandidates ?? (await this.rankedBySum(source, slices, rankBy, limit));
    const names = new Map(
      (
        await sqlOf(this.em)<{ id: string; name: string }[]>(
          `select id, name from ${source.names} where id = any(?::uuid[])`,
          [arrayLiteral([...new Set(rows.map((row) => row.id))])],
        )
      ).map((row) => [row.id, row.name]),
    );
    return rows.map((row) => ({ ...row, name: names.get(row.id) ?? '' }));
  }

  /** Every customer's (product's) period figures summed, then the top `limit` per currency. */
  private async rankedBySum(
    source: RankingSource,
    slices: Slices,
    rankBy: Ranking,
    limit: number,
  ): Promise<Omit<RankedRow, 'name'>[]> {
    const keys = rankKeys(rankBy);
    const summary = summaryRows(source, slices);
    return this.em.transactional(async (em) => {
      // A year of customers is tens of thousands of groups: hash them in memory, not in batches on disk.
      await sqlOf(em)(`set local work_mem = '64MB'`);
      const rows = await sqlOf(em)<Record<string, string>[]>(
        `with scoped as materialized (
           select id, currency, sum(orders) as orders, sum(quantity) as quantity, sum(revenue) as revenue
             from (${summary.sql}
                   union all ${source.raw('?', '?')}
                   union all ${source.raw('?', '?')}) x
            group by 1, 2 having sum(orders) > 0),
         totals as (select currency, sum(revenue) as revenue_total, sum(quantity) as quantity_total
                      from scoped group by currency)
         select s.*, t.revenue_total, t.quantity_total
           from totals t
           cross join lateral (select * from scoped s where s.currency = t.currency order by ${keys.join(', ')} limit ?) s
          order by t.currency, ${keys.map((key) => `s.${key}`).join(', ')}`,
        [...summary.params, ...slices.edges, limit],
      );
      return numbered(
        rows.map((row) => ({
          id: row.id!,
          currency: row.currency!,
          orders: Number(row.orders),
          quantity: Number(row.quantity),
          revenue: Number(row.revenue),
          revenueTotal: Number(row.revenue_total),
          quantityTotal: Number(row.quantity_total),
        })),
      );
    });
  }

  /**
   * The top `limit` per currency from candidates taken by `read` from upper bounds; null when the
   * candidates cannot prove the answer (then the caller sums everything).
   */
  private async rankedByBounds(
    source: RankingSource,
    slices: Slices,
    rankBy: Ranking,
    limit: number,
    read: (currency: string, count: number) => Promise<Candidates>,
  ): Promise<Omit<RankedRow, 'name'>[] | null> {
    const sql = sqlOf(this.em);
    const totals = await sql<{ currency: string; quantity: string; revenue: string }[]>(
      `select currency, sum(quantity) as quantity, sum(revenue) as revenue
         from (select currency, quantity, ${source.dayRevenue} as revenue from sales_days
                where day >= ?::date and day < ?::date
               union all select currency, quantity, revenue from (${source.raw('?', '?')}) a
               union all select currency, quantity, revenue from (${source.raw('?', '?')}) b) x
        group by currency order by currency`,
      [...slices.days, ...slices.edges],
    );
    const out: Omit<RankedRow, 'name'>[] = [];
    for (const total of totals) {
      let top: Candidate[] | null = null;
      const first = this.options.candidates ?? Math.max(100, limit * 5);
      for (let count = first; count <= Math.max(first, MAX_CANDIDATES) && !top; count *= 8) {
        top = await this.provenTop(
          source,
          slices,
          rankBy,
          limit,
          total.currency,
          await read(total.currency, count),
        );
      }
      if (!top) return null;
      out.push(
        ...numbered(
          top.map((row) => ({
            ...row,
            currency: total.currency,
            revenueTotal: Number(total.revenue),
            quantityTotal: Number(total.quantity),
          })),
        ),
      );
    }
    return out;
  }

  /**
   * The `count` customers (products) of the currency with the highest all-time bound: figures never
   * exceed bounds, since the bounds sum each order's (line's) figures counted as at least 0 over all time.
   */
  private async allTimeCandidates(
    source: RankingSource,
    rankBy: Ranking,
    currency: string,
    count: number,
  ): Promise<Candidates> {
    const rows = await sqlOf(this.em)<{ id: string; bound: string }[]>(
      `select ${source.key} as id, ${rankBy} as bound from ${source.totals}
        where currency = ? order by ${rankBy} desc limit ?`,
      [currency, count],
    );
    return {
      ids: rows.map((row) => row.id),
      unread: rows.length < count ? null : Number(rows[rows.length - 1]!.bound),
    };
  }

  /**
   * The `count` customers of the currency with the highest bound in each UTC month the period touches.
   * One not read has at most the `count`-th bound in each month (none in a month whose list was read to
   * the end), so at most their sum in the period.
   */
  private async monthCandidates(
    table: string,
    key: string,
    slices: Slices,
    rankBy: Ranking,
    currency: string,
    count: number,
  ): Promise<Candidates> {
    const rows = await sqlOf(this.em)<{ month: string; id: string; bound: string }[]>(
      `select m.month::text as month, b.id, b.bound
         from unnest(?::date[]) as m(month)
        cross join lateral (select ${key} as id, ${rankBy} as bound from ${table}
                             where currency = ? and month = m.month order by ${rankBy} desc limit ?) b`,
      [arrayLiteral(monthsTouched(slices.edges[0], slices.edges[3])), currency, count],
    );
    const lastOfMonth = new Map<string, { read: number; bound: number }>();
    for (const row of rows) {
      const seen = lastOfMonth.get(row.month);
      lastOfMonth.set(row.month, { read: (seen?.read ?? 0) + 1, bound: Number(row.bound) });
    }
    const full = [...lastOfMonth.values()].filter((month) => month.read === count);
    return {
      ids: [...new Set(rows.map((row) => row.id))],
      unread: full.length === 0 ? null : full.reduce((sum, month) => sum + month.bound, 0),
    };
  }

  /**
   * The candidates' exact period figures, and their top `limit` if provably the answer: the `limit`-th
   * figure is above the most any one not read can have (or all were read). The day rows are read per
   * candidate from the primary key, which carries the figures (index-only); a filter on the day index
   * would walk every customer's rows of the period.
   */
  private async provenTop(
    source: RankingSource,
    slices: Slices,
    rankBy: Ranking,
    limit: number,
    currency: string,
    candidates: Candidates,
  ): Promise<Candidate[] | null> {
    const ids = arrayLiteral(candidates.ids);
    const rows = await sqlOf(this.em)<{ id: string; orders: string; quantity: string; revenue: string }[]>(
      `select id, sum(orders) as orders, sum(quantity) as quantity, sum(revenue) as revenue
         from (select d.${source.key} as id, d.currency, d.orders, d.quantity, d.revenue
                 from unnest(?::uuid[]) as c(id) join ${source.days} d on d.${source.key} = c.id
                where d.currency = ? and d.day >= ?::date and d.day < ?::date
               union all select * from (${source.raw('?', '?')}) a where id = any(?::uuid[]) and currency = ?
               union all select * from (${source.raw('?', '?')}) b where id = any(?::uuid[]) and currency = ?) x
        group by id having sum(orders) > 0`,
      [
        ids,
        currency,
        ...slices.days,
        ...slices.edges.slice(0, 2),
        ids,
        currency,
        ...slices.edges.slice(2),
        ids,
        currency,
      ],
    );
    const found = rows
      .map((row) => ({
        id: row.id,
        orders: Number(row.orders),
        quantity: Number(row.quantity),
        revenue: Number(row.revenue),
      }))
      .sort(compareBy(rankBy));
    if (candidates.unread === null) return found.slice(0, limit);
    const last = found[limit - 1];
    return last && last[rankBy] > candidates.unread ? found.slice(0, limit) : null;
  }

  /** How many orders are in each status now. */
  async statusCounts(): Promise<{ status: OrderStatus; count: number }[]> {
    const rows = await sqlOf(this.em)<{ status: OrderStatus; count: string }[]>(
      `select status, count from order_status_counts where count > 0 order by status`,
    );
    return rows.map((row) => ({ status: row.status, count: Number(row.count) }));
  }

  /**
   * Median and 90th percentile time spent per stage, over the stays that ended in the period: from the
   * per-day duration histogram for whole UTC days and the transitions themselves for the edges, so within
   * the histogram's precision (see `percentileOf`); counts are exact. Periods with few stays are answered
   * exactly (`EXACT_PERCENTILES_UP_TO`).
   */
  async stageTimes(period: Period): Promise<StageTimes[]> {
    const slices = await this.slices(period);
    const rows = await sqlOf(this.em)<{ stage: string; bucket: number; stays: string }[]>(
      `select stage, bucket, sum(stays) as stays
         from (select stage, bucket, stays from stage_duration_days where day >= ?::date and day < ?::date
               union all
               select stage, stage_duration_bucket(entered_at, left_at), 1 from order_transitions
                where left_at >= ? and left_at < ?
               union all
               select stage, stage_duration_bucket(entered_at, left_at), 1 from order_transitions
                where left_at >= ? and left_at < ?) x
        group by stage, bucket having sum(stays) > 0 order by stage, bucket`,
      [...slices.days, ...slices.edges],
    );
    const stages = new Map<string, { bucket: number; stays: number }[]>();
    for (const row of rows)
      stages.set(row.stage, [
        ...(stages.get(row.stage) ?? []),
        { bucket: row.bucket, stays: Number(row.stays) },
      ]);
    const times = [...stages.entries()].map(([stage, histogram]) => ({
      stage,
      count: histogram.reduce((sum, b) => sum + b.stays, 0),
      medianMs: Math.round(percentileOf(histogram, 0.5)),
      p90Ms: Math.round(percentileOf(histogram, 0.9)),
    }));
    // Few stays (a small business, a short period): exact percentiles from the transitions cost little.
    const stays = times.reduce((sum, time) => sum + time.count, 0);
    const exactUpTo = this.options.exactPercentilesUpTo ?? EXACT_PERCENTILES_UP_TO;
    return stays > 0 && stays <= exactUpTo ? this.exactStageTimes(period) : times;
  }

  /** Median and 90th percentile per stage computed exactly from the transitions (`percentile_cont`). */
  private async exactStageTimes(period: Period): Promise<StageTimes[]> {
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

  /**
   * Per order, over its shipments (`order_shipping_times`, kept by the mirror write), exact
   * (`percentile_cont`): `processing-to-first-shipment`, from entering processing to its first shipment, over
   * orders whose first shipment left in the period; `first-to-last-shipment`, from the first shipment to the
   * one that took the last unit, over orders shipped in more than one shipment whose last unit left in the
   * period; `processing-to-last-shipment`, from entering processing to the last unit's shipment, over every
   * order whose last unit left in the period (one shipment or several). An order's time in processing from
   * before transitions were recorded is unknown: such orders count in `first-to-last-shipment` only. Each
   * reads an index range of the period (index-only), a row per order.
   */
  async shippingTimes(period: Period): Promise<ShippingTimes[]> {
    const ms = (from: string, to: string) => `greatest(extract(epoch from ${to} - ${from}), 0) * 1000`;
    const figures = (value: string) =>
      `count(*) as count, percentile_cont(0.5) within group (order by ${value}) as median,
       percentile_cont(0.9) within group (order by ${value}) as p90`;
    const rows = await sqlOf(this.em)<
      { measure: ShippingMeasure; count: string; median: number | null; p90: number | null }[]
    >(
      `with first_shipped as (
         select processing_at, first_shipped_at from order_shipping_times
          where first_shipped_at >= ${START} and first_shipped_at < ${END}),
       last_shipped as (
         select processing_at, first_shipped_at, last_shipped_at, shipments from order_shipping_times
          where last_shipped_at >= ${START} and last_shipped_at < ${END})
       select 'processing-to-first-shipment' as measure, ${figures(ms('processing_at', 'first_shipped_at'))}
         from first_shipped where processing_at is not null
       union all
       select 'first-to-last-shipment', ${figures(ms('first_shipped_at', 'last_shipped_at'))}
         from last_shipped where shipments > 1
       union all
       select 'processing-to-last-shipment', ${figures(ms('processing_at', 'last_shipped_at'))}
         from last_shipped where processing_at is not null`,
      [...bounds(period), ...bounds(period)],
    );
    return SHIPPING_MEASURES.map((measure) => {
      const row = rows.find((r) => r.measure === measure);
      const count = Number(row?.count ?? 0);
      const round = (value: number | null | undefined) =>
        count > 0 && value !== null && value !== undefined ? Math.round(Number(value)) : null;
      return { measure, count, medianMs: round(row?.median), p90Ms: round(row?.p90) };
    });
  }

  /** Orders processing now part of which has shipped (the rest not yet). */
  async partlyShippedCount(): Promise<number> {
    const [row] = await sqlOf(this.em)<{ count: string }[]>(
      `select count(*) as count from order_shipping_times s join orders o on o.id = s.order_id
        where s.last_shipped_at is null and o.status = 'processing'`,
    );
    return Number(row?.count ?? 0);
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

  /**
   * What waits now, counted by subject (order, return), stage and wait bucket (`bucket` indexes
   * WAIT_BUCKETS), with the oldest wait of each cell. Orders wait where their mirror says (`awaiting`, since
   * `awaiting_since`); returns at their open statuses, since their last change.
   */
  async waitingCounts(): Promise<WaitingCount[]> {
    const rows = await sqlOf(this.em)<
      { subject: WaitSubject; stage: string; bucket: number; count: number; oldest: Date | string }[]
    >(
      `select subject, stage, width_bucket(extract(epoch from now() - since), ?::float8[]) as bucket,
              count(*)::int as count, min(since) as oldest
         from (select 'order' as subject, o.awaiting as stage, coalesce(o.awaiting_since, o.updated_at) as since
                 from orders o where o.awaiting is not null
               union all
               select 'return', (?::jsonb)->>r.status, r.updated_at
                 from order_returns r where r.status = any(?::text[])) waiting
        group by subject, stage, bucket`,
      [arrayLiteral(WAIT_THRESHOLDS), JSON.stringify(RETURN_WAITS), arrayLiteral(Object.keys(RETURN_WAITS))],
    );
    return rows.map((row) => ({ ...row, bucket: Number(row.bucket), oldest: new Date(row.oldest) }));
  }
}

/** One cell of the waiting report. */
export interface WaitingCount {
  subject: WaitSubject;
  stage: string;
  bucket: number;
  count: number;
  oldest: Date;
}

/** One currency's quotes of a period (`quoteConversion`). */
export interface QuoteConversionRow {
  currency: string;
  quotes: number;
  sent: number;
  accepted: number;
  declined: number;
  expired: number;
  open: number;
  quotedValue: number;
  acceptedValue: number;
}

/** One product's returns of a period (`returnRates`). */
export interface ReturnRateRow {
  productId: string;
  sku: string;
  name: string;
  returnedUnits: number;
  returns: number;
  damagedUnits: number;
  shippedUnits: number;
}

/** One reason's returns of a period (`returnRates`). */
export interface ReturnReasonRow {
  reason: string;
  returns: number;
  units: number;
}
