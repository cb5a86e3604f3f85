import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { MAX_QUOTE_LINES, QUOTE_STATUSES, type QuoteStatus } from '../../domain/quote';
import type { Quote } from '../../db/repositories';
import { MultiLine } from '../errors/input-boundary';
import { LimitQueryDto } from './list.dto';
import { ActorDto, OrderLineInputDto } from './order.dto';

export class CreateQuoteDto {
  @ApiProperty({ format: 'uuid' })
  @IsString()
  @Length(1, 64)
  customerId!: string;

  @ApiProperty({
    type: [OrderLineInputDto],
    description: 'Priced from the catalogue when the quote is made.',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_QUOTE_LINES)
  @ValidateNested({ each: true })
  @Type(() => OrderLineInputDto)
  lines!: OrderLineInputDto[];

  @ApiProperty({
    format: 'date-time',
    example: '2026-12-31T16:00:00.000Z',
    description: 'When the quote expires: it may be accepted until just before this instant. In the future.',
  })
  @IsString()
  @MaxLength(64)
  validUntil!: string;

  @ApiPropertyOptional({ example: 'Prices include delivery' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @MultiLine()
  notes?: string;
}

export class ListQuotesQueryDto extends LimitQueryDto {
  @ApiPropertyOptional({ enum: QUOTE_STATUSES })
  @IsOptional()
  @IsIn(QUOTE_STATUSES)
  status?: QuoteStatus;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  customerId?: string;
}

export class QuoteLineDto {
  @ApiProperty({ format: 'uuid' }) productId!: string;
  @ApiProperty() sku!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: 'integer' }) quantity!: number;
  @ApiProperty({ type: 'integer', description: 'Minor units, from the product when the quote was made.' })
  unitPrice!: number;
  @ApiProperty({ type: 'integer', description: 'Minor units.' }) lineTotal!: number;
}

/** What the customer sees of a quote (`GET /q/:token` as JSON): no staff names, no internal ids but the order's. */
export class QuotePublicDto {
  @ApiProperty({ example: 'Q-2026-000001' }) number!: string;
  @ApiProperty({ enum: QUOTE_STATUSES }) status!: QuoteStatus;
  @ApiProperty({ type: [QuoteLineDto] }) lines!: QuoteLineDto[];
  @ApiProperty({ type: 'integer', description: 'Minor units.' }) total!: number;
  @ApiProperty({ example: 'CNY' }) currency!: string;
  @ApiProperty({ format: 'date-time' }) validUntil!: string;
  @ApiProperty({ type: String, nullable: true }) notes!: string | null;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The order an accepted quote became.',
  })
  orderId!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'SO-2026-000123' }) orderNumber!: string | null;

  static from(quote: Quote, orderNumber: string | null): QuotePublicDto {
    return {
      number: quote.number,
      status: quote.status,
      lines: quote.lines.map(lineOf),
      total: quote.total,
      currency: quote.currency,
      validUntil: quote.validUntil.toISOString(),
      notes: quote.notes,
      orderId: quote.orderId,
      orderNumber,
    };
  }
}

export class QuoteDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'Q-2026-000001' }) number!: string;
  @ApiProperty({
    enum: QUOTE_STATUSES,
    description: 'An unanswered quote reads `expired` from `validUntil` on.',
  })
  status!: QuoteStatus;
  @ApiProperty({ format: 'uuid' }) customerId!: string;
  @ApiProperty({ type: [QuoteLineDto] }) lines!: QuoteLineDto[];
  @ApiProperty({ type: 'integer', description: 'Minor units.' }) total!: number;
  @ApiProperty({ example: 'CNY' }) currency!: string;
  @ApiProperty({ format: 'date-time' }) validUntil!: string;
  @ApiProperty({ type: String, nullable: true }) notes!: string | null;
  @ApiProperty({ type: ActorDto }) createdBy!: ActorDto;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) sentAt!: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When it was accepted or declined.',
  })
  answeredAt!: string | null;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The order an accepted quote became.',
  })
  orderId!: string | null;

  static from(quote: Quote): QuoteDto {
    return {
      id: quote.id,
      number: quote.number,
      status: quote.status,
      customerId: quote.customerId,
      lines: quote.lines.map(lineOf),
      total: quote.total,
      currency: quote.currency,
      validUntil: quote.validUntil.toISOString(),
      notes: quote.notes,
      createdBy: { id: quote.createdBy.id, username: quote.createdBy.username },
      createdAt: quote.createdAt.toISOString(),
      sentAt: quote.sentAt?.toISOString() ?? null,
      answeredAt: quote.answeredAt?.toISOString() ?? null,
      orderId: quote.orderId,
    };
  }
}

export class QuoteListDto {
  @ApiProperty({ type: [QuoteDto] }) items!: QuoteDto[];
}

const lineOf = (line: Quote['lines'][number]): QuoteLineDto => ({
  productId: line.productId,
  sku: line.sku,
  name: line.name,
  quantity: line.quantity,
  unitPrice: line.unitPrice,
  lineTotal: line.lineTotal,
});
