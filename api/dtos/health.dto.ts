import { ApiProperty } from '@nestjs/swagger';
import { BREAKER_STATES, type BreakerState } from '../../domain/notifications';

const CHECK = { enum: ['ok', 'down'] };

export class HealthChecksDto {
  @ApiProperty(CHECK) database!: 'ok' | 'down';
  @ApiProperty(CHECK) temporal!: 'ok' | 'down';
  @ApiProperty({ ...CHECK, description: 'The database listener behind /api/events.' }) events!: 'ok' | 'down';
}

export class DeliveryDestinationCheckDto {
  @ApiProperty({ example: 'smtp' }) name!: string;
  @ApiProperty({ enum: BREAKER_STATES }) state!: BreakerState;
  @ApiProperty() paused!: boolean;
  @ApiProperty({ type: 'integer', description: 'Deliveries waiting in the outbox for this destination.' })
  waiting!: number;
  @ApiProperty({ type: 'integer', nullable: true }) oldestWaitingSeconds!: number | null;
}

export class DeliveriesCheckDto {
  @ApiProperty({
    enum: ['ok', 'degraded', 'unknown'],
    description: '`degraded` while a destination is down or paused; `unknown` when PostgreSQL did not say.',
  })
  status!: 'ok' | 'degraded' | 'unknown';
  @ApiProperty({ type: [String], description: 'Destinations whose circuit breaker is open or probing.' })
  down!: string[];
  @ApiProperty({ type: [String], description: 'Destinations a manager paused.' }) paused!: string[];
  @ApiProperty({ type: [DeliveryDestinationCheckDto] }) destinations!: DeliveryDestinationCheckDto[];
}

export class InboundMailboxCheckDto {
  @ApiProperty({ example: 'orders@mail.example.com:993/INBOX', description: 'Without its password.' })
  name!: string;
  @ApiProperty({
    enum: ['unknown', 'ok', 'down'],
    description: '`unknown` until its reader has looked once.',
  })
  state!: 'unknown' | 'ok' | 'down';
  @ApiProperty({ type: String, nullable: true }) lastError!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) checkedAt!: string | null;
  @ApiProperty({ type: 'integer', description: 'Messages taken from it so far.' }) taken!: number;
}

export class InboundCheckDto {
  @ApiProperty({
    enum: ['ok', 'degraded', 'unknown'],
    description: '`degraded` while a mailbox cannot be read; `unknown` when PostgreSQL did not say.',
  })
  status!: 'ok' | 'degraded' | 'unknown';
  @ApiProperty({
    type: [InboundMailboxCheckDto],
    description: 'Each configured mailbox (OMS_INBOUND_IMAP_URL).',
  })
  mailboxes!: InboundMailboxCheckDto[];
}

export class HealthWithDeliveriesChecksDto extends HealthChecksDto {
  @ApiProperty({
    type: DeliveriesCheckDto,
    description:
      'Where e-mails and webhook calls go; never changes the status code (orders move regardless).',
  })
  deliveries!: DeliveriesCheckDto;
  @ApiProperty({
    type: InboundCheckDto,
    description: 'Mailboxes read for mail that comes in; never changes the status code, never in readiness.',
  })
  inbound!: InboundCheckDto;
}

export class HealthDto {
  @ApiProperty({ enum: ['ok', 'degraded'] }) status!: 'ok' | 'degraded';
  @ApiProperty({ type: HealthWithDeliveriesChecksDto }) checks!: HealthWithDeliveriesChecksDto;
}

export class ReadinessDto {
  @ApiProperty({ enum: ['ok', 'degraded'] }) status!: 'ok' | 'degraded';
  @ApiProperty({ type: HealthChecksDto }) checks!: HealthChecksDto;
  @ApiProperty({ description: 'The process has begun to shut down: it takes nothing new.' })
  draining!: boolean;
}

export class LivenessDto {
  @ApiProperty({ enum: ['ok'] }) status!: 'ok';
}
