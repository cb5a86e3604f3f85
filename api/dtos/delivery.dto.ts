import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  MaxLength,
} from 'class-validator';
import { ROLES, type Role } from '../../db/entities';
import {
  BREAKER_STATES,
  CHANNELS,
  DELIVERY_KINDS,
  DELIVERY_STATUSES,
  NOTIFICATION_KINDS,
  type BreakerState,
  type Channel,
  type DeliveryStatus,
} from '../../domain/notifications';
import { ListQueryDto } from './list.dto';

export class DeliveryQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'orderId must be a UUID' })
  orderId?: string;

  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;

  @ApiPropertyOptional({ enum: CHANNELS })
  @IsOptional()
  @IsIn(CHANNELS)
  channel?: Channel;
}

export class DeliveryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'Null for a message about no one order (the daily digest).',
  })
  orderId!: string | null;
  @ApiProperty({ enum: DELIVERY_KINDS }) kind!: string;
  @ApiProperty({ enum: CHANNELS }) channel!: Channel;
  @ApiProperty({
    example: 'customer:6f1c…',
    description: '`user:<username>`, `customer:<id>` or `webhook:<id>`.',
  })
  recipient!: string;
  @ApiProperty({
    description:
      "E-mail address or webhook URL. A webhook's URL is whole for admins only; others see its origin followed by `/…` (its path and query may carry a token).",
  })
  address!: string;
  @ApiProperty({ type: String, nullable: true }) subject!: string | null;
  @ApiProperty({
    enum: DELIVERY_STATUSES,
    description:
      '`unconfirmed`: an attempt stopped mid-send and the e-mail was not sent again, so it may or may not have arrived.',
  })
  status!: DeliveryStatus;
  @ApiProperty({ type: 'integer' }) attempts!: number;
  @ApiProperty({ type: String, nullable: true }) lastError!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) sentAt!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'smtp',
    description:
      '`smtp` or `webhook:<host[:port]>`: the destination whose circuit breaker it waits behind (null on ' +
      'deliveries settled before the outbox).',
  })
  destination!: string | null;
  @ApiProperty({ format: 'date-time', description: 'While it waits: when it is due to be sent.' })
  nextAttemptAt!: string;
}

export class DeliveryPageDto {
  @ApiProperty({ type: [DeliveryDto] }) items!: DeliveryDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class DestinationPauserDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() username!: string;
}

export class DestinationDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'smtp', description: '`smtp` (the SMTP server) or `webhook:<host[:port]>`.' })
  name!: string;
  @ApiProperty({ enum: CHANNELS }) channel!: Channel;
  @ApiProperty({
    enum: BREAKER_STATES,
    description:
      'The circuit breaker: `closed` sends; `open` sends nothing until its next probe (the destination ' +
      'failed); `half_open` has its one probe in flight.',
  })
  state!: BreakerState;
  @ApiProperty({ description: 'Paused by a manager: nothing is sent to it, not even a probe.' })
  paused!: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) pausedAt!: string | null;
  @ApiProperty({ type: DestinationPauserDto, nullable: true }) pausedBy!: DestinationPauserDto | null;
  @ApiProperty({ description: 'Deliveries waiting in the outbox for it.' }) waiting!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) oldestWaitingAt!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'How long the oldest has waited, in seconds.' })
  oldestWaitingSeconds!: number | null;
  @ApiProperty({ description: 'Consecutive failures.' }) failures!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) openedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) nextProbeAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) lastError!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastFailureAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastSuccessAt!: string | null;
}

export class DestinationListDto {
  @ApiProperty({ type: [DestinationDto] }) items!: DestinationDto[];
}

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://erp.example.com/hooks/oms' })
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'url must be an http:// or https:// URL' },
  )
  @MaxLength(2000)
  url!: string;

  @ApiPropertyOptional({
    enum: NOTIFICATION_KINDS,
    isArray: true,
    description: 'The kinds to receive; absent or empty: every kind.',
  })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(NOTIFICATION_KINDS, { each: true })
  kinds?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;
}

export class WebhookDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ enum: NOTIFICATION_KINDS, isArray: true }) kinds!: string[];
  @ApiProperty({ type: String, nullable: true }) description!: string | null;
  @ApiProperty() active!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class CreatedWebhookDto extends WebhookDto {
  @ApiProperty({
    description:
      'The signing key, shown only here. Each call carries `X-OMS-Signature: t=<unix seconds>,v1=<hex>`, the ' +
      'HMAC-SHA256 of `<t>.<body>` with this key.',
  })
  secret!: string;
}

export class WebhookListDto {
  @ApiProperty({ type: [WebhookDto] }) items!: WebhookDto[];
}

export class RecipientSettingInputDto {
  @ApiProperty({
    enum: ROLES,
    isArray: true,
    description: 'Staff roles told of this kind (inbox, and e-mail).',
  })
  @IsArray()
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles!: Role[];

  @ApiPropertyOptional({
    description:
      "Whether the order's customer is e-mailed; only for order.created, order.shipment, order.shipped, order.completed, return.updated.",
  })
  @IsOptional()
  @IsBoolean()
  customer?: boolean;
}

export class RecipientSettingDto {
  @ApiProperty({ enum: NOTIFICATION_KINDS }) kind!: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles!: Role[];
  @ApiProperty() customer!: boolean;
}

export class RecipientSettingListDto {
  @ApiProperty({ type: [RecipientSettingDto] }) items!: RecipientSettingDto[];
}
