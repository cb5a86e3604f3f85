import type {
  PipelineReportDto,
  QuoteReportDto,
  RankingReportDto,
  ReturnReportDto,
  SalesReportDto,
} from '../dtos/report.dto';
import { toCsv } from './report.csv';

/** Each report as one CSV table, column names as in the JSON answer. */
export const reportCsv = {
  returns: (report: ReturnReportDto): string =>
    toCsv(
      ['sku', 'name', 'returnedUnits', 'returns', 'damagedUnits', 'shippedUnits', 'returnRate'],
      report.items.map((i) => [
        i.sku,
        i.name,
        i.returnedUnits,
        i.returns,
        i.damagedUnits,
        i.shippedUnits,
        i.returnRate ?? '',
      ]),
    ),
  quotes: (report: QuoteReportDto): string =>
    toCsv(
      [
        'currency',
        'quotes',
        'sent',
        'accepted',
        'declined',
        'expired',
        'open',
        'conversionRate',
        'quotedValue',
        'acceptedValue',
      ],
      report.items.map((i) => [
        i.currency,
        i.quotes,
        i.sent,
        i.accepted,
        i.declined,
        i.expired,
        i.open,
        i.conversionRate ?? '',
        i.quotedValue,
        i.acceptedValue,
      ]),
    ),
  sales: (report: SalesReportDto): string =>
    toCsv(
      [
        'period',
        'currency',
        'orders',
        'paidOrders',
        'revenue',
        'refunded',
        'averageOrderValue',
        'cancelledAfterShipping',
        'cancelled',
        'rejected',
      ],
      report.items.map((i) => [
        i.period,
        i.currency,
        i.orders,
        i.paidOrders,
        i.revenue,
        i.refunded,
        i.averageOrderValue,
        i.cancelledAfterShipping,
        i.cancelled,
        i.rejected,
      ]),
    ),
  ranking: (report: RankingReportDto): string =>
    toCsv(
      ['rank', 'id', 'name', 'currency', 'orders', 'quantity', 'revenue', 'revenueShare', 'quantityShare'],
      report.items.map((i) => [
        i.rank,
        i.id,
        i.name,
        i.currency,
        i.orders,
        i.quantity,
        i.revenue,
        i.revenueShare,
        i.quantityShare,
      ]),
    ),
  /**
   * The pipeline's parts as sections of one table: `section` says which (`partlyShipped`: one row, named
   * `processing`; `shipping`: one row per measure).
   */
  pipeline: (report: PipelineReportDto): string =>
    toCsv(
      ['section', 'name', 'level', 'count', 'medianMs', 'p90Ms', 'orderId', 'since'],
      [
        ...report.statuses.map((s) => ['status', s.status, null, s.count, null, null, null, null]),
        ['partlyShipped', 'processing', null, report.partlyShipped, null, null, null, null],
        ...report.stages.map((s) => ['stage', s.stage, null, s.count, s.medianMs, s.p90Ms, null, null]),
        ...report.shipping.map((s) => [
          'shipping',
          s.measure,
          null,
          s.count,
          s.medianMs,
          s.p90Ms,
          null,
          null,
        ]),
        ...report.breaches.map((b) => ['breach', b.stage, b.level, b.orders, null, null, null, null]),
        ...report.slowest.map((o) => ['slowest', o.number, null, null, null, null, o.id, o.since]),
      ],
    ),
};
