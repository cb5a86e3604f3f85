import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { LimitQueryDto } from './list.dto';

/** `?after=<id>&limit=`: the events after the one a poller read last. */
export class IntegrationEventQueryDto extends LimitQueryDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description:
      "The id of the last event read (an item's `id`, or the previous answer's `next`); without it the stream starts at its first event.",
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  after?: string;
}

export class OrderEventDataDto {
  @ApiProperty({ example: 'order.shipped' }) event!: string;
  @ApiProperty({ example: 'v5', description: 'Which occurrence of the kind this is.' }) occurrence!: string;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      "The order as it is now: id, number, status, awaiting, customerId, total, currency, lines, shipment (the last), source, externalRef (the sender's own reference) and shipments (each parcel: id, lines, carrier, trackingNumber, shippedAt).",
  })
  order!: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'integer', description: 'How long the order has waited (reminders).' })
  waitedMs?: number;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Which reminder (reminders).',
  })
  escalation?: Record<string, unknown>;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description:
      'The return as it is now (`return.updated`): id, number, status, resolution, reason, lines, received, refundedAmount, currency.',
  })
  return?: Record<string, unknown>;
}

/** One order event in CloudEvents 1.0 structured JSON form, as a webhook call carries it. */
export class CloudEventDto {
  @ApiProperty({ enum: ['1.0'] }) specversion!: '1.0';
  @ApiProperty({
    format: 'uuid',
    description: 'Unique per event; the same in every webhook call and poll of it.',
  })
  id!: string;
  @ApiProperty({ example: '/api/orders' }) source!: string;
  @ApiProperty({ example: 'order.shipped', description: 'The notification kind.' }) type!: string;
  @ApiProperty({ format: 'uuid', description: "The order's id." }) subject!: string;
  @ApiProperty({ format: 'date-time' }) time!: string;
  @ApiProperty({ enum: ['application/json'] }) datacontenttype!: 'application/json';
  @ApiProperty({ type: OrderEventDataDto }) data!: OrderEventDataDto;
}

export class IntegrationEventPageDto {
  @ApiProperty({ type: [CloudEventDto], description: 'Oldest first.' }) items!: CloudEventDto[];
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description:
      "What to pass as `after` next time: the last item's id, or the given `after` when nothing came after it (null when the stream is empty).",
  })
  next!: string | null;
}
