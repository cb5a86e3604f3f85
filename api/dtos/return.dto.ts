import { PickType, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import type { Actor } from '../../domain/order';
import { MAIN_LOCATION } from '../../domain/shipment.rules';
import {
  RETURN_ACTIONS,
  RETURN_RESOLUTIONS,
  RETURN_STATUSES,
  UNIT_CONDITIONS,
  returnActionsFor,
  type ReturnAction,
  type ReturnResolution,
  type ReturnSnapshot,
  type ReturnStatus,
  type UnitCondition,
} from '../../domain/return';
import { MultiLine } from '../errors/input-boundary';
import { ActorDto, AssigneeDto, ShipmentLineInputDto } from './order.dto';
import { MAX_AMOUNT } from './validators';

export class ReturnSettingsDto {
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    maximum: 3650,
    example: 30,
    description: 'Days after a unit shipped during which it may be returned.',
  })
  @IsInt()
  @Min(0)
  @Max(3650)
  windowDays!: number;

  @ApiProperty({
    description:
      'Whether customers may request a return from the tracking page (`POST /track/:token/returns`).',
  })
  @IsBoolean()
  customerMayRequest!: boolean;
}

/** A line of the order and how many of its shipped units come back. */
export class ReturnLineInputDto extends ShipmentLineInputDto {}

export class CreateReturnDto {
  @ApiProperty({ type: [ReturnLineInputDto], description: 'Shipped units of the order that come back.' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ReturnLineInputDto)
  lines!: ReturnLineInputDto[];

  @ApiProperty({ example: 'Wrong size' })
  @IsString()
  @Length(1, 2000)
  @MultiLine()
  reason!: string;

  @ApiProperty({
    enum: RETURN_RESOLUTIONS,
    description:
      '`refund`: the received units are refunded (`POST /api/returns/{id}/refund`). `exchange`: receiving the units places a replacement order of them at no charge (`replacement`), which reserves, waits for stock and ships as any order; the return becomes `exchanged`.',
  })
  @IsIn(RETURN_RESOLUTIONS)
  resolution!: ReturnResolution;
}

export class ReceiveLineInputDto extends ReturnLineInputDto {
  @ApiProperty({
    enum: UNIT_CONDITIONS,
    description: 'Resellable units go back on hand; damaged ones do not.',
  })
  @IsIn(UNIT_CONDITIONS)
  condition!: UnitCondition;
}

export class ReceiveReturnDto {
  @ApiProperty({
    type: [ReceiveLineInputDto],
    description: 'Units received, per SKU and condition; at most the units of the return.',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(400)
  @ValidateNested({ each: true })
  @Type(() => ReceiveLineInputDto)
  lines!: ReceiveLineInputDto[];

  @ApiPropertyOptional({
    example: MAIN_LOCATION,
    description:
      'The stock location the units came back to (a code from `GET /api/locations`); resellable units are stocked there. Default `MAIN`.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  location?: string;
}

export class RefundReturnDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_AMOUNT,
    description:
      'Minor units; by default the value of the received units. Never more than the order paid minus earlier refunds.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_AMOUNT)
  amount?: number;
}

export class ListReturnsQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  orderId?: string;

  @ApiPropertyOptional({ enum: RETURN_STATUSES })
  @IsOptional()
  @IsIn(RETURN_STATUSES)
  status?: ReturnStatus;
}

export class ReturnLineDto {
  @ApiProperty() sku!: string;
  @ApiProperty({ type: 'integer' }) quantity!: number;
  @ApiProperty({ type: 'integer', description: 'What the order charged per unit, minor units.' })
  unitPrice!: number;
}

export class ReceivedLineDto {
  @ApiProperty() sku!: string;
  @ApiProperty({ type: 'integer' }) quantity!: number;
  @ApiProperty({ enum: UNIT_CONDITIONS }) condition!: UnitCondition;
}

export class ReturnRejectionDto {
  @ApiProperty() reason!: string;
  @ApiProperty({ type: ActorDto }) by!: ActorDto;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class ReturnReplacementDto {
  @ApiProperty({ format: 'uuid' }) orderId!: string;
  @ApiProperty({ example: 'SO-2026-000042' }) number!: string;
}

export class ReturnDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'RT-2026-000001' }) number!: string;
  @ApiProperty({ format: 'uuid' }) orderId!: string;
  @ApiProperty({ enum: RETURN_STATUSES }) status!: ReturnStatus;
  @ApiProperty({ type: [ReturnLineDto] }) lines!: ReturnLineDto[];
  @ApiProperty({ enum: RETURN_RESOLUTIONS }) resolution!: ReturnResolution;
  @ApiProperty() reason!: string;
  @ApiProperty({ example: 'CNY' }) currency!: string;
  @ApiProperty({ type: [ReceivedLineDto], description: 'Empty until the units are received.' })
  received!: ReceivedLineDto[];
  @ApiProperty({ type: 'integer', nullable: true, description: 'Minor units refunded, once refunded.' })
  refundedAmount!: number | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: MAIN_LOCATION,
    description: 'The stock location the units came back to; null until received.',
  })
  receivedLocation!: string | null;
  @ApiProperty({ type: ReturnRejectionDto, nullable: true }) rejection!: ReturnRejectionDto | null;
  @ApiProperty({
    type: ReturnReplacementDto,
    nullable: true,
    description:
      'An exchange: the order that ships the replacement units (source `exchange`), once the units are received; null otherwise.',
  })
  replacement!: ReturnReplacementDto | null;
  @ApiProperty({ type: ActorDto }) createdBy!: ActorDto;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({
    enum: RETURN_ACTIONS,
    isArray: true,
    description: 'What the signed-in user may do with the return now.',
  })
  actions!: ReturnAction[];
  @ApiProperty({
    type: AssigneeDto,
    nullable: true,
    description: 'Who works on the return (claimed, or assigned by a manager); null when nobody does.',
  })
  assignee!: AssigneeDto | null;

  static from(
    snapshot: ReturnSnapshot,
    viewer: Pick<Actor, 'roles'>,
    assignee: AssigneeDto | null,
  ): ReturnDto {
    return {
      id: snapshot.returnId,
      number: snapshot.number,
      orderId: snapshot.orderId,
      status: snapshot.status,
      lines: snapshot.lines.map(({ sku, quantity, unitPrice }) => ({ sku, quantity, unitPrice })),
      resolution: snapshot.resolution,
      reason: snapshot.reason,
      currency: snapshot.currency,
      received: snapshot.received.map(({ sku, quantity, condition }) => ({ sku, quantity, condition })),
      refundedAmount: snapshot.refundedAmount,
      receivedLocation: snapshot.receivedLocation ?? (snapshot.received.length > 0 ? MAIN_LOCATION : null),
      rejection: snapshot.rejection,
      replacement: snapshot.replacement ?? null,
      createdBy: snapshot.createdBy,
      createdAt: snapshot.createdAt,
      updatedAt: snapshot.updatedAt,
      actions: returnActionsFor(snapshot.status, viewer),
      assignee,
    };
  }
}

export class AssignReturnDto {
  @ApiProperty({ format: 'uuid', description: 'The user who is to work on the return.' })
  @IsString()
  @Length(1, 64)
  userId!: string;
}

export class ReturnListDto {
  @ApiProperty({ type: [ReturnDto], description: 'Newest first, at most 200.' }) items!: ReturnDto[];
}

/** A return as the customer who asked for it sees it (no staff names, no actions). */
export class CustomerReturnDto extends PickType(ReturnDto, [
  'id',
  'number',
  'orderId',
  'status',
  'lines',
  'resolution',
  'reason',
  'createdAt',
] as const) {}

/** The customer's request from the tracking page: the staff request's fields, `resolution` optional. */
export class CustomerReturnRequestDto {
  @ApiProperty({ type: [ReturnLineInputDto], description: 'Shipped units of the order that come back.' })
  lines!: ReturnLineInputDto[];
  @ApiProperty({ example: 'Wrong size' }) reason!: string;
  @ApiPropertyOptional({ enum: RETURN_RESOLUTIONS, default: 'refund' }) resolution?: ReturnResolution;
}

/** The tracking page's form: units of each item by position (`item-1`, `item-2`, …) and the reason. */
export class CustomerReturnFormDto {
  @ApiProperty({ example: 'Wrong size' }) reason!: string;
  @ApiPropertyOptional({
    name: 'item-1',
    type: 'integer',
    minimum: 0,
    description: "Units of the order's first item; `item-2` for the second, and so on.",
  })
  'item-1'?: number;
}
