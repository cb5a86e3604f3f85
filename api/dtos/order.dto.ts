import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import type { Order } from '../../db/entities';
import {
  AWAITING_VALUES,
  ORDER_STATUSES,
  type Awaiting,
  type OrderStatus,
} from '../../workflows/order.definitions';
import { MAX_QUANTITY } from './validators';

export class OrderLineInputDto {
  @ApiProperty({ example: 'TEA-001' })
  @IsString()
  @Length(1, 64)
  sku!: string;

  @ApiProperty({ example: 2, minimum: 1, maximum: MAX_QUANTITY })
  @IsInt()
  @Min(1)
  @Max(MAX_QUANTITY)
  quantity!: number;
}

export class CreateOrderDto {
  @ApiProperty({ format: 'uuid' })
  @IsString()
  @Length(1, 64)
  customerId!: string;

  @ApiProperty({ type: [OrderLineInputDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => OrderLineInputDto)
  lines!: OrderLineInputDto[];

  @ApiPropertyOptional({ example: 'Deliver to the back door' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  notes?: string;
}

export class ApproveOrderDto {
  @ApiPropertyOptional({ example: 'Checked with the customer' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}

export class ShipOrderDto {
  @ApiProperty({ example: 'SF Express' })
  @IsString()
  @Length(1, 100)
  carrier!: string;

  @ApiProperty({ example: 'SF1234567890' })
  @IsString()
  @Length(1, 100)
  trackingNumber!: string;
}

export class CompleteOrderDto {}

export class OrderLineDto {
  @ApiProperty() sku!: string;
  @ApiProperty() name!: string;
  @ApiProperty() quantity!: number;
  @ApiProperty({ description: 'Minor units.' }) unitPrice!: number;
  @ApiProperty({ description: 'Minor units.' }) lineTotal!: number;
}

export class ActorDto {
  @ApiProperty() id!: string;
  @ApiProperty() username!: string;
}

export class ApprovalDto {
  @ApiProperty({ type: ActorDto }) by!: ActorDto;
  @ApiProperty({ type: String, nullable: true }) comment!: string | null;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class ShipmentDto {
  @ApiProperty() carrier!: string;
  @ApiProperty() trackingNumber!: string;
  @ApiProperty({ format: 'date-time' }) shippedAt!: string;
}

export class PaymentDto {
  @ApiProperty() status!: string;
  @ApiProperty() amount!: number;
}

export class OrderDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'SO-2026-000123' }) number!: string;
  @ApiProperty({ enum: ORDER_STATUSES }) status!: OrderStatus;
  @ApiProperty({ enum: AWAITING_VALUES, nullable: true }) awaiting!: Awaiting | null;
  @ApiProperty({ format: 'uuid' }) customerId!: string;
  @ApiProperty({ type: [OrderLineDto] }) lines!: OrderLineDto[];
  @ApiProperty({ description: 'Minor units.' }) total!: number;
  @ApiProperty() currency!: string;
  @ApiProperty({ type: String, nullable: true }) notes!: string | null;
  @ApiProperty({ type: [ApprovalDto] }) approvals!: ApprovalDto[];
  @ApiProperty({ type: ShipmentDto, nullable: true }) shipment!: ShipmentDto | null;
  @ApiProperty({ type: PaymentDto, nullable: true, description: 'Not yet tracked: always null for now.' })
  payment!: PaymentDto | null;
  @ApiProperty({ format: 'date-time', nullable: true }) completedAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;

  static from(order: Order): OrderDto {
    return {
      id: order.id,
      number: order.number,
      status: order.status,
      awaiting: order.awaiting,
      customerId: order.customer.id,
      lines: order.lines.getItems().map(({ sku, name, quantity, unitPrice, lineTotal }) => ({
        sku,
        name,
        quantity,
        unitPrice,
        lineTotal,
      })),
      total: order.total,
      currency: order.currency,
      notes: order.notes,
      approvals: order.approvals.map(({ by, comment, at }) => ({
        by: { id: by.id, username: by.username },
        comment,
        at,
      })),
      shipment:
        order.carrier && order.trackingNumber && order.shippedAt
          ? {
              carrier: order.carrier,
              trackingNumber: order.trackingNumber,
              shippedAt: order.shippedAt.toISOString(),
            }
          : null,
      payment: null,
      completedAt: order.completedAt?.toISOString() ?? null,
      createdAt: order.createdAt.toISOString(),
      updatedAt: order.updatedAt.toISOString(),
    };
  }
}
