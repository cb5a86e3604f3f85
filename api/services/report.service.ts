import { Injectable } from '@nestjs/common';
import { EscalationRepository, ReportRepository, type Period, type RankedRow } from '../../db/repositories';
import type {
  PipelineReportDto,
  QuoteReportDto,
  ReturnReportDto,
  RankingQueryDto,
  RankingReportDto,
  ReportQueryDto,
  SalesQueryDto,
  SalesReportDto,
  WaitingReportDto,
} from '../dtos/report.dto';
import { invalidField } from '../errors/domain.error';
import { WAIT_BUCKETS, WAIT_ROWS } from '../../domain/waiting';
import { isTimeZone } from './time-zone';

const DAY_MS = 86_400_000;
/** The longest period a report covers, so one request cannot ask the database for decades. */
const MAX_DAYS = 3 * 366;
const SLOWEST = 20;
/** Default periods, in days: a month for sales and rankings, the last week for the pipeline's flow. */
const DEFAULT_DAYS = 30;
const PIPELINE_DAYS = 7;

/** Today's date in a time zone, `YYYY-MM-DD`. */
function localToday(timeZone: string, now: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
const isDate = (date: string) => {
  const ms = Date.parse(`${date}T00:00:00Z`);
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === date;
};
const share = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : 0);

/** Sales, customer, product and pipeline reports over the summaries kept by the mirror write. */
@Injectable()
export class ReportService {
  constructor(
    private readonly reports: ReportRepository,
    private readonly escalation: EscalationRepository,
  ) {}

  /**
   * Where orders and returns wait now, by stage and by how long (the waiting heat map): every stage a row,
   * also when nothing waits there, each bucket a column.
   */
  async waiting(now = new Date()): Promise<WaitingReportDto> {
    const counts = await this.reports.waitingCounts();
    const buckets = WAIT_BUCKETS.map(({ key, underSeconds }, index) => ({
      key,
      fromSeconds: index === 0 ? 0 : (WAIT_BUCKETS[index - 1]?.underSeconds ?? 0),
      toSeconds: underSeconds,
    }));
    const rows = WAIT_ROWS.map(({ subject, stage }) => {
      const cells = counts.filter((cell) => cell.subject === subject && cell.stage === stage);
      const perBucket = buckets.map((_bucket, index) =>
        cells.filter((cell) => cell.bucket === index).reduce((sum, cell) => sum + cell.count, 0),
      );
      const oldest = cells.reduce<Date | null>(
        (min, cell) => (min === null || cell.oldest < min ? cell.oldest : min),
        null,
      );
      return {
        subject,
        stage,
        counts: perBucket,
        total: perBucket.reduce((sum, count) => sum + count, 0),
        oldestSince: oldest?.toISOString() ?? null,
      };
    });
    return { generatedAt: now.toISOString(), buckets, rows };
  }

  /** Orders, revenue (refunds netted), average order value, cancellations and rejections per period and currency. */
  async sales(query: SalesQueryDto): Promise<SalesReportDto> {
    const period = await this.period(query);
    const rows = await this.reports.sales(period, query.groupBy);
    return {
      ...period,
      groupBy: query.groupBy,
      items: rows.map((row) => ({
        period: row.period,
        currency: row.currency,
        orders: row.orders,
        paidOrders: row.paidOrders,
        revenue: row.revenue,
        refunded: row.refunded,
        averageOrderValue: row.paidOrders > 0 ? Math.round(row.revenue / row.paidOrders) : 0,
        cancelledAfterShipping: row.cancelledAfterShipping,
        cancelled: row.cancelled,
        rejected: row.rejected,
      })),
    };
  }

  /** Quotes made in the period and what became of them, per currency: the quote-to-order conversion. */
  async quotes(query: ReportQueryDto): Promise<QuoteReportDto> {
    const period = await this.period(query);
    const rows = await this.reports.quoteConversion(period);
    return {
      ...period,
      items: rows.map((row) => ({
        ...row,
        conversionRate: row.sent > 0 ? Math.round((row.accepted / row.sent) * 10_000) / 10_000 : null,
      })),
    };
  }

  /** Returns of the period: the rate per product (returned of shipped) and the reasons given. */
  async returns(query: ReportQueryDto): Promise<ReturnReportDto> {
    const period = await this.period(query);
    const { products, reasons } = await this.reports.returnRates(period);
    const share = (part: number, whole: number) =>
      whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null;
    return {
      ...period,
      items: products.map((row) => ({ ...row, returnRate: share(row.returnedUnits, row.shippedUnits) })),
      reasons,
    };
  }

  /** Customers ranked by revenue or quantity within each currency, with their share of the period. */
  async customers(query: RankingQueryDto): Promise<RankingReportDto> {
    const period = await this.period(query);
    return this.ranking(period, query, await this.reports.customers(period, query.rankBy, query.limit));
  }

  /** Products ranked by revenue or quantity within each currency, with their share of the period. */
  async products(query: RankingQueryDto): Promise<RankingReportDto> {
    const period = await this.period(query);
    return this.ranking(period, query, await this.reports.products(period, query.rankBy, query.limit));
  }

  /**
   * Counts per status now (and how many processing orders are partly shipped); time per stage, per order to
   * its first and last shipment, escalation breaches over the period; the slowest open orders.
   */
  async pipeline(query: ReportQueryDto, now = new Date()): Promise<PipelineReportDto> {
    const period = await this.period(query, now, PIPELINE_DAYS);
    const [statuses, partlyShipped, stages, shipping, breaches, slowest] = [
      await this.reports.statusCounts(),
      await this.reports.partlyShippedCount(),
      await this.reports.stageTimes(period),
      await this.reports.shippingTimes(period),
      await this.reports.breaches(period),
      await this.reports.slowestOpen(SLOWEST),
    ];
    return {
      ...period,
      statuses,
      partlyShipped,
      stages,
      shipping,
      breaches,
      slowest: slowest.map((order) => ({
        ...order,
        waitedMs: Math.max(0, now.getTime() - Date.parse(order.since)),
        link: `/api/orders/${order.id}`,
      })),
    };
  }

  private ranking(period: Period, query: RankingQueryDto, rows: RankedRow[]): RankingReportDto {
    return {
      ...period,
      rankBy: query.rankBy,
      items: rows.map((row) => ({
        rank: row.rank,
        id: row.id,
        name: row.name,
        currency: row.currency,
        orders: row.orders,
        quantity: row.quantity,
        revenue: row.revenue,
        revenueShare: share(row.revenue, row.revenueTotal),
        quantityShare: share(row.quantity, row.quantityTotal),
      })),
    };
  }

  /** The period asked for, in the caller's time zone or the business calendar's; 400 naming the field. */
  private async period(query: ReportQueryDto, now = new Date(), days = DEFAULT_DAYS): Promise<Period> {
    const timeZone = query.timeZone ?? (await this.escalation.calendar()).timeZone;
    if (!isTimeZone(timeZone)) throw invalidField('timeZone', `"${timeZone}" is not an IANA time zone`);
    for (const field of ['from', 'to'] as const) {
      const value = query[field];
      if (value !== undefined && !isDate(value))
        throw invalidField(field, `"${value}" is not a calendar date`);
    }
    const to = query.to ?? localToday(timeZone, now);
    const from = query.from ?? new Date((dayNumber(to) - days + 1) * DAY_MS).toISOString().slice(0, 10);
    if (dayNumber(from) > dayNumber(to)) throw invalidField('from', `(${from}) must not be after to (${to})`);
    if (dayNumber(to) - dayNumber(from) >= MAX_DAYS) {
      throw invalidField('from', `a report covers at most ${MAX_DAYS} days`);
    }
    return { from, to, timeZone };
  }
}
