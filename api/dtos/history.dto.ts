import { ApiProperty } from '@nestjs/swagger';
import { ORDER_STATUSES } from '../../domain/order';
import { ActorDto } from './order.dto';

export class HistoryStepDto {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({
    example: 'action.approve',
    description:
      'order.created, action.<update>, approval.automatic, status, stock.*, payment.*, activity.retried, ' +
      'activity.failed, timer.fired, signal.<name>, order.closed, return.<status> (a change of one of its returns)',
  })
  kind!: string;
  @ApiProperty({
    type: ActorDto,
    nullable: true,
    description: 'Who acted; the system for its own decisions.',
  })
  actor!: ActorDto | null;
  @ApiProperty({ enum: ORDER_STATUSES, description: 'The order status at this step.' }) status!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) details!: Record<string, unknown>;
}

export class HistoryDto {
  @ApiProperty({ type: [HistoryStepDto] }) items!: HistoryStepDto[];
}

export class VerifyResultDto {
  @ApiProperty() ok!: boolean;
  @ApiProperty({ type: 'integer', description: 'Number of events replayed.' }) events!: number;
  @ApiProperty() detail!: string;
}

export class OrderArchiveDto {
  @ApiProperty({ format: 'uuid' }) orderId!: string;
  @ApiProperty({ format: 'date-time' }) archivedAt!: string;
  @ApiProperty({ description: 'SHA-256 of the record JSON, checked on every read.' }) sha256!: string;
  @ApiProperty({
    type: 'integer',
    description:
      "Workflow history events in the record, over all the order's runs and its returns' histories.",
  })
  events!: number;
  @ApiProperty({
    type: 'integer',
    enum: [1, 2],
    description:
      '2: sealed with the archive key as well as its SHA-256; 1: archived before the keyed seal, checked by its SHA-256 only.',
  })
  sealVersion!: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'order, lines, approvals, shipment, payments (the ledger), notifications, deliveries, returns (each with its snapshot, events, credit_note and its workflow history; a record is added when a return ends after the order was archived), history (Temporal JSON of the last run, up to the archiving step) and, for an order that continued as new, earlierRuns (oldest first).',
  })
  record!: Record<string, unknown>;
}
