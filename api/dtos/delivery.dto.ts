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
  CHANNELS,
  DELIVERY_STATUSES,
  NOTIFICATION_KINDS,
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
  @ApiProperty({ format: 'uuid' }) orderId!: string;
  @ApiProperty({ enum: NOTIFICATION_KINDS }) kind!: string;
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
}

export class DeliveryPageDto {
  @ApiProperty({ type: [DeliveryDto] }) items!: DeliveryDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
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
      "Whether the order's customer is e-mailed; only for order.created, order.shipped, order.completed.",
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
