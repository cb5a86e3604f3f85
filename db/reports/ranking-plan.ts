/**
 * How the reports plan their reads of the summaries: which whole days, month rows and edge instants a period
 * covers, which candidates a ranking reads before it sums everything, and in which order rows rank. Pure
 * functions and SQL fragments; the queries themselves are in `db/repositories/report.repository.ts`.
 */
import type { Period, Ranking } from '../repositories/report.repository';
import { arrayLiteral } from '../repositories/sql';

/** The instants a period covers: `[start, end)` in SQL, from local midnights. */
export const START = `(?::date)::timestamp at time zone ?`;
export const END = `(?::date + 1)::timestamp at time zone ?`;
export const bounds = (p: Period) => [p.from, p.timeZone, p.to, p.timeZone];

export const DAY = 86_400_000;
/**
 * Up to this many whole days, a ranking takes its candidates by per-month bounds (customers) or sums
 * every one's day rows (products); beyond, by all-time bounds (customers) or from month rows (products).
 */
export const DIRECT_MAX_DAYS = 62;
/** The most candidates a ranking reads (per bound list) before it sums everything instead. */
export const MAX_CANDIDATES = 6400;

/** A period as whole UTC days `[days[0], days[1])` and two edge ranges of instants `[e0, e1)`, `[e2, e3)`. */
export interface Slices {
  days: [string, string];
  edges: [string, string, string, string];
  dayCount: number;
}

export interface RankingSource {
  /** Day summary, all-time bounds, the table of names, and the key column of the first two. */
  days: string;
  totals: string;
  names: 'customers' | 'products';
  key: string;
  /** Month summary (UTC months), read by `monthPlan` when there is one. */
  months?: string;
  /** Whether long periods take candidates by all-time bounds (else they sum everything). */
  bounded: boolean;
  /** Per UTC month upper bounds (key, currency, month, quantity, revenue) for periods up to two months. */
  monthBounds?: string;
  /** The `sales_days` column that sums this ranking's revenue. */
  dayRevenue: string;
  /** The raw rows (id, currency, orders, quantity, revenue) placed in `[from, to)`. */
  raw: (from: string, to: string) => string;
}

export const CUSTOMER_RANKING: RankingSource = {
  days: 'customer_sales_days',
  totals: 'customer_sales_totals',
  names: 'customers',
  key: 'customer_id',
  bounded: true,
  monthBounds: 'customer_sales_month_bounds',
  dayRevenue: 'revenue',
  raw: (from, to) =>
    `select customer_id as id, currency, 1 as orders, items::bigint as quantity, captured - refunded as revenue
       from orders where created_at >= ${from}::timestamptz and created_at < ${to}::timestamptz
        and status not in ('cancelled', 'rejected')`,
};

export const PRODUCT_RANKING: RankingSource = {
  days: 'product_sales_days',
  totals: 'product_sales_totals',
  names: 'products',
  key: 'product_id',
  months: 'product_sales_months',
  bounded: false,
  dayRevenue: 'line_revenue',
  raw: (from, to) =>
    `select product_id as id, currency, 1 as orders, quantity::bigint as quantity, line_total as revenue
       from order_lines where created_at >= ${from}::timestamptz and created_at < ${to}::timestamptz and active`,
};

/**
 * How to read whole UTC days `[from, to)` from a month summary and a day summary with the fewest rows: a
 * whole month from its month row; a partial month either as its days in the period or, when fewer, as the
 * month row minus its days outside the period.
 */
export function monthPlan(from: string, to: string): { months: string[]; plus: string[]; minus: string[] } {
  const plan = { months: [] as string[], plus: [] as string[], minus: [] as string[] };
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  const dates = (a: number, b: number) => {
    const out: string[] = [];
    for (let t = a; t < b; t += DAY) out.push(new Date(t).toISOString().slice(0, 10));
    return out;
  };
  for (
    let month = Date.UTC(new Date(start).getUTCFullYear(), new Date(start).getUTCMonth(), 1);
    month < end;
  ) {
    const next = Date.UTC(new Date(month).getUTCFullYear(), new Date(month).getUTCMonth() + 1, 1);
    const inside = [Math.max(month, start), Math.min(next, end)] as const;
    const daysIn = (inside[1] - inside[0]) / DAY;
    const daysOut = (next - month) / DAY - daysIn;
    if (daysOut < daysIn) {
      plan.months.push(new Date(month).toISOString().slice(0, 10));
      plan.minus.push(...dates(month, inside[0]), ...dates(inside[1], next));
    } else plan.plus.push(...dates(inside[0], inside[1]));
    month = next;
  }
  return plan;
}

/**
 * The summary rows of a period's whole days, as (id, currency, orders, quantity, revenue): from the day
 * summary, or, when the source has a month summary, by `monthPlan` (rows subtracted carry negative figures).
 */
export function summaryRows(source: RankingSource, slices: Slices): { sql: string; params: string[] } {
  const columns = `${source.key} as id, currency, orders, quantity, revenue`;
  const [from, to] = slices.days;
  if (!source.months)
    return {
      sql: `select ${columns} from ${source.days} where day >= ?::date and day < ?::date`,
      params: [from, to],
    };
  const plan = monthPlan(from, to);
  return {
    sql: `select ${columns} from ${source.months} where month = any(?::date[])
          union all select ${columns} from ${source.days} where day = any(?::date[])
          union all select ${source.key}, currency, -orders, -quantity, -revenue from ${source.days}
                     where day = any(?::date[])`,
    params: [arrayLiteral(plan.months), arrayLiteral(plan.plus), arrayLiteral(plan.minus)],
  };
}

export interface Candidate {
  id: string;
  orders: number;
  quantity: number;
  revenue: number;
}

/**
 * Candidates read from the top of upper-bound lists, and the most any one not read can have in the period
 * (null: every one with figures was read).
 */
export interface Candidates {
  ids: string[];
  unread: number | null;
}

/** The first days of the UTC months that instants `[from, to)` touch. */
export function monthsTouched(from: string, to: string): string[] {
  const months: string[] = [];
  const last = new Date(Date.parse(to) - 1);
  const end = Date.UTC(last.getUTCFullYear(), last.getUTCMonth(), 1);
  const start = new Date(from);
  for (let m = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), 1); m <= end;) {
    months.push(new Date(m).toISOString().slice(0, 10));
    m = Date.UTC(new Date(m).getUTCFullYear(), new Date(m).getUTCMonth() + 1, 1);
  }
  return months;
}

/** Ranking order in SQL: the measure, then the other one, then the id. */
export const rankKeys = (rankBy: Ranking) =>
  rankBy === 'revenue' ? ['revenue desc', 'quantity desc', 'id'] : ['quantity desc', 'revenue desc', 'id'];

/** The same order in JavaScript (uuids in their text form sort as PostgreSQL sorts them). */
export const compareBy =
  (rankBy: Ranking) =>
  (a: Candidate, b: Candidate): number => {
    const other = rankBy === 'revenue' ? 'quantity' : 'revenue';
    return b[rankBy] - a[rankBy] || b[other] - a[other] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  };

/** Ranks from 1 within each currency, in the order given. */
export function numbered<T extends { currency: string }>(rows: T[]): (T & { rank: number })[] {
  let rank = 0;
  let currency = '';
  return rows.map((row) => {
    rank = row.currency === currency ? rank + 1 : 1;
    currency = row.currency;
    return { ...row, rank };
  });
}
