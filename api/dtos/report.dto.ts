import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { AWAITING_VALUES, ORDER_STATUSES, type OrderStatus } from '../../domain/order';
import { WAIT_BUCKETS, type WaitBucket, type WaitSubject } from '../../domain/waiting';
import { SHIPPING_MEASURES, type ShippingMeasure } from '../../db/repositories';

export const REPORT_FORMATS = ['json', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A period of local dates and the answer's format. */
export class ReportQueryDto {
  @ApiPropertyOptional({
    example: '2026-11-01',
    description: 'First local date (default: 29 days before `to`; for the pipeline 6).',
  })
  @IsOptional()
  @Matches(DATE, { message: 'from must be a date YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-11-30', description: 'Last local date, included (default: today).' })
  @IsOptional()
  @Matches(DATE, { message: 'to must be a date YYYY-MM-DD' })
  to?: string;

  @ApiPropertyOptional({
    example: 'Asia/Shanghai',
    description: "IANA time zone of the dates and periods (default: the business calendar's).",
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timeZone?: string;

  @ApiPropertyOptional({ enum: REPORT_FORMATS, default: 'json', description: '`csv`: UTF-8 with a BOM.' })
  @IsOptional()
  @IsIn(REPORT_FORMATS)
  format: ReportFormat = 'json';
}

export const SALES_GROUPINGS = ['day', 'week', 'month'] as const;

export class SalesQueryDto extends ReportQueryDto {
  @ApiPropertyOptional({ enum: SALES_GROUPINGS, default: 'day', description: 'Weeks start on Monday.' })
  @IsOptional()
  @IsIn(SALES_GROUPINGS)
  groupBy: (typeof SALES_GROUPINGS)[number] = 'day';
}

export const RANKINGS = ['revenue', 'quantity'] as const;

export class RankingQueryDto extends ReportQueryDto {
  @ApiPropertyOptional({ enum: RANKINGS, default: 'revenue' })
  @IsOptional()
  @IsIn(RANKINGS)
  rankBy: (typeof RANKINGS)[number] = 'revenue';

  @ApiPropertyOptional({
    type: 'integer',
    default: 20,
    minimum: 1,
    maximum: 500,
    description: 'How many per currency.',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit: number = 20;
}

export class ReportPeriodDto {
  @ApiProperty({ example: '2026-11-01' }) from!: string;
  @ApiProperty({ example: '2026-11-30' }) to!: string;
  @ApiProperty({ example: 'Asia/Shanghai' }) timeZone!: string;
}

export class SalesItemDto {
  @ApiProperty({ example: '2026-11-02', description: 'First local date of the day, week or month.' })
  period!: string;
  @ApiProperty({ example: 'CNY' }) currency!: string;
  @ApiProperty({
    type: 'integer',
    description:
      'Orders placed, not cancelled or rejected; an order cancelled after part of it had shipped counts ' +
      '(`cancelledAfterShipping`).',
  })
  orders!: number;
  @ApiProperty({
    type: 'integer',
    description: 'Of those, orders with money held (captured more than refunded).',
  })
  paidOrders!: number;
  @ApiProperty({
    type: 'integer',
    description: 'Captured minus refunded, minor units; per currency, never summed across.',
  })
  revenue!: number;
  @ApiProperty({
    type: 'integer',
    description: 'Refunds already netted from revenue (partial refunds after edits).',
  })
  refunded!: number;
  @ApiProperty({ type: 'integer', description: 'revenue / paidOrders, rounded; 0 without paid orders.' })
  averageOrderValue!: number;
  @ApiProperty({
    type: 'integer',
    description:
      'Of `orders`, those cancelled after part of them had shipped: their revenue is the value of what ' +
      'shipped (the rest was refunded, netted).',
  })
  cancelledAfterShipping!: number;
  @ApiProperty({
    type: 'integer',
    description: 'Orders placed in the period and cancelled since, before anything shipped; never revenue.',
  })
  cancelled!: number;
  @ApiProperty({
    type: 'integer',
    description: 'Orders placed in the period and rejected since; never revenue.',
  })
  rejected!: number;
}

export class SalesReportDto extends ReportPeriodDto {
  @ApiProperty({ enum: SALES_GROUPINGS }) groupBy!: string;
  @ApiProperty({ type: [SalesItemDto] }) items!: SalesItemDto[];
}

export class RankedItemDto {
  @ApiProperty({ type: 'integer', description: 'Rank by the requested measure within the currency.' })
  rank!: number;
  @ApiProperty({ description: 'Customer or product id.' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() currency!: string;
  @ApiProperty({ type: 'integer' }) orders!: number;
  @ApiProperty({ type: 'integer', description: 'Units ordered.' }) quantity!: number;
  @ApiProperty({
    type: 'integer',
    description: 'Minor units: net captured for customers, line totals for products.',
  })
  revenue!: number;
  @ApiProperty({ description: "Share of the period's revenue in this currency, 0..1." })
  revenueShare!: number;
  @ApiProperty({ description: "Share of the period's units in this currency, 0..1." }) quantityShare!: number;
}

export class RankingReportDto extends ReportPeriodDto {
  @ApiProperty({ enum: RANKINGS }) rankBy!: string;
  @ApiProperty({ type: [RankedItemDto] }) items!: RankedItemDto[];
}

export class StatusCountDto {
  @ApiProperty({ enum: ORDER_STATUSES }) status!: OrderStatus;
  @ApiProperty({ type: 'integer', description: 'Orders in this status now.' }) count!: number;
}

export class StageTimeDto {
  @ApiProperty({ example: 'processing/shipment', description: 'Status, and what it waited for.' })
  stage!: string;
  @ApiProperty({ type: 'integer', description: 'Stays in the stage that ended in the period.' })
  count!: number;
  @ApiProperty({ description: 'Median time spent, milliseconds.' }) medianMs!: number;
  @ApiProperty({ description: '90th percentile of time spent, milliseconds.' }) p90Ms!: number;
}

export class ShippingTimeDto {
  @ApiProperty({
    enum: SHIPPING_MEASURES,
    description:
      '`processing-to-first-shipment`: from entering processing to the first shipment, orders whose first ' +
      'shipment left in the period; `first-to-last-shipment`: from the first shipment to the one that took ' +
      'the last unit, orders shipped in more than one shipment whose last unit left in the period; ' +
      '`processing-to-last-shipment`: from entering processing to the last unit, every order whose last ' +
      'unit left in the period.',
  })
  measure!: ShippingMeasure;
  @ApiProperty({ type: 'integer', description: 'Orders measured.' }) count!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Median, milliseconds; null when count is 0.' })
  medianMs!: number | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: '90th percentile, milliseconds; null when count is 0.',
  })
  p90Ms!: number | null;
}

export class BreachCountDto {
  @ApiProperty({ example: 'approval' }) stage!: string;
  @ApiProperty({ type: 'integer', example: 1 }) level!: number;
  @ApiProperty({ type: 'integer', description: 'Orders whose wait reached this level in the period.' })
  orders!: number;
}

export class SlowOrderDto {
  @ApiProperty() id!: string;
  @ApiProperty() number!: string;
  @ApiProperty({ enum: ORDER_STATUSES }) status!: OrderStatus;
  @ApiProperty({ enum: AWAITING_VALUES, nullable: true }) awaiting!: string | null;
  @ApiProperty({ format: 'date-time', description: 'When its current stage began.' }) since!: string;
  @ApiProperty({ type: 'integer', description: 'Time in the current stage so far, milliseconds.' })
  waitedMs!: number;
  @ApiProperty({ example: '/api/orders/…' }) link!: string;
}

export class PipelineReportDto extends ReportPeriodDto {
  @ApiProperty({ type: [StatusCountDto] }) statuses!: StatusCountDto[];
  @ApiProperty({
    type: 'integer',
    description: 'Of the orders processing now, those part of which has shipped (the rest not yet).',
  })
  partlyShipped!: number;
  @ApiProperty({ type: [StageTimeDto] }) stages!: StageTimeDto[];
  @ApiProperty({
    type: [ShippingTimeDto],
    description:
      'Per order, over its shipments: the three measures, always, in this order. A stay in ' +
      '`processing/shipment` ends at the last unit (or a wait for stock); these say when the first parcel left.',
  })
  shipping!: ShippingTimeDto[];
  @ApiProperty({ type: [BreachCountDto] }) breaches!: BreachCountDto[];
  @ApiProperty({ type: [SlowOrderDto], description: 'Open orders longest in their current stage.' })
  slowest!: SlowOrderDto[];
}

export class WaitBucketDto {
  @ApiProperty({ enum: WAIT_BUCKETS.map((bucket) => bucket.key) }) key!: WaitBucket;
  @ApiProperty({ type: 'integer', description: 'Waited at least this long, seconds.' }) fromSeconds!: number;
  @ApiProperty({ type: 'integer', nullable: true, description: 'And less than this; null: no upper bound.' })
  toSeconds!: number | null;
}

export class WaitingRowDto {
  @ApiProperty({ enum: ['order', 'return'] }) subject!: WaitSubject;
  @ApiProperty({
    example: 'approval',
    description:
      'Orders: what they wait for (`awaiting`); returns: `approval`, `receipt` or `refund`. The board shows ' +
      'an order row with `GET /api/orders?awaiting=<stage>`.',
  })
  stage!: string;
  @ApiProperty({ type: [Number], description: 'How many wait there, per bucket, in the order of `buckets`.' })
  counts!: number[];
  @ApiProperty({ type: 'integer' }) total!: number;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Since when the oldest waits.',
  })
  oldestSince!: string | null;
}

export class WaitingReportDto {
  @ApiProperty({ format: 'date-time' }) generatedAt!: string;
  @ApiProperty({ type: [WaitBucketDto], description: 'The heat map’s columns.' }) buckets!: WaitBucketDto[];
  @ApiProperty({
    type: [WaitingRowDto],
    description: 'The heat map’s rows: every order stage, then every return stage, also when nothing waits.',
  })
  rows!: WaitingRowDto[];
}

export class QuoteConversionItemDto {
  @ApiProperty() currency!: string;
  @ApiProperty({ type: 'integer', description: 'Quotes made in the period.' }) quotes!: number;
  @ApiProperty({ type: 'integer', description: 'Of them, sent to the customer.' }) sent!: number;
  @ApiProperty({ type: 'integer', description: 'Of them, accepted: each became an order.' })
  accepted!: number;
  @ApiProperty({ type: 'integer' }) declined!: number;
  @ApiProperty({ type: 'integer', description: 'Unanswered at `validUntil`.' }) expired!: number;
  @ApiProperty({ type: 'integer', description: 'Still a draft or sent, and valid.' }) open!: number;
  @ApiProperty({
    type: 'number',
    nullable: true,
    description: 'Accepted of sent, 0..1 (null when none was sent).',
  })
  conversionRate!: number | null;
  @ApiProperty({ type: 'integer', description: 'Minor units: the totals of all the quotes.' })
  quotedValue!: number;
  @ApiProperty({ type: 'integer', description: 'Minor units: the totals of the accepted ones.' })
  acceptedValue!: number;
}

export class QuoteReportDto extends ReportPeriodDto {
  @ApiProperty({ type: [QuoteConversionItemDto] }) items!: QuoteConversionItemDto[];
}

export class ReturnRateItemDto {
  @ApiProperty({ format: 'uuid' }) productId!: string;
  @ApiProperty() sku!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: 'integer', description: 'Units in returns requested in the period (not rejected).' })
  returnedUnits!: number;
  @ApiProperty({ type: 'integer', description: 'Returns naming the product.' }) returns!: number;
  @ApiProperty({ type: 'integer', description: 'Of the returned units, those received damaged.' })
  damagedUnits!: number;
  @ApiProperty({ type: 'integer', description: 'Units of the product shipped in the period.' })
  shippedUnits!: number;
  @ApiProperty({
    type: 'number',
    nullable: true,
    description: 'Returned of shipped in the period, 0.. (null when none shipped in it).',
  })
  returnRate!: number | null;
}

export class ReturnReasonItemDto {
  @ApiProperty({ description: 'The reason as given, in lower case without outer spaces.' }) reason!: string;
  @ApiProperty({ type: 'integer' }) returns!: number;
  @ApiProperty({ type: 'integer' }) units!: number;
}

export class ReturnReportDto extends ReportPeriodDto {
  @ApiProperty({ type: [ReturnRateItemDto], description: 'Per product, most units returned first.' })
  items!: ReturnRateItemDto[];
  @ApiProperty({ type: [ReturnReasonItemDto], description: 'Per reason, most returns first (JSON only).' })
  reasons!: ReturnReasonItemDto[];
}
