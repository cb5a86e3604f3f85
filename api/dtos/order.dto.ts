import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  AWAITING_VALUES,
  MAX_EXTERNAL_REF_LENGTH,
  ORDER_SOURCES,
  ORDER_STATUSES,
  PERMANENT_FAILURES,
  type OrderSource,
  type Awaiting,
  type OrderShipment,
  type OrderSnapshot,
  type OrderStatus,
  type Actor,
} from '../../domain/order';
import { actionsFor, ORDER_ACTIONS, type OrderAction } from '../../domain/order.state';
import {
  MAIN_LOCATION,
  reservedQuantities,
  shipmentsOf,
  shippedQuantities,
} from '../../domain/shipment.rules';
import { ListQueryDto } from './list.dto';
import { MAX_AMOUNT, MAX_QUANTITY } from './validators';
import { MultiLine } from '../errors/input-boundary';

export class OrderLineInputDto {
  @ApiProperty({ example: 'TEA-001' })
  @IsString()
  @Length(1, 64)
  sku!: string;

  @ApiProperty({ type: 'integer', example: 2, minimum: 1, maximum: MAX_QUANTITY })
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
  @MultiLine()
  notes?: string;

  @ApiPropertyOptional({
    example: 'CRM-2026-0042',
    maxLength: MAX_EXTERNAL_REF_LENGTH,
    description:
      "The sender's own order reference, unique per source: placing an order again with a reference already " +
      'used answers the existing order (200) instead of creating a second one.',
  })
  @IsOptional()
  @IsString()
  @Length(1, MAX_EXTERNAL_REF_LENGTH)
  externalRef?: string;

  @ApiPropertyOptional({
    description:
      'Default false. Reserve and ship what is available now, line by line; the rest waits for stock (the order awaits ' +
      '`stock` only while nothing reserved is left to ship). Without it the order reserves all its lines or ' +
      'waits for all of them.',
  })
  @IsOptional()
  @IsBoolean()
  allowPartial?: boolean;
}

export class EditOrderDto {
  @ApiPropertyOptional({ type: [OrderLineInputDto], description: 'Replaces all lines.' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => OrderLineInputDto)
  lines?: OrderLineInputDto[];

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @MultiLine()
  notes?: string | null;
}

export class ListOrdersQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: ORDER_STATUSES })
  @IsOptional()
  @IsIn(ORDER_STATUSES)
  status?: OrderStatus;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  customerId?: string;

  @ApiPropertyOptional({ description: 'Matches order number, customer name and notes.' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  q?: string;

  @ApiPropertyOptional({ enum: AWAITING_VALUES, description: 'What the order waits for now.' })
  @IsOptional()
  @IsIn(AWAITING_VALUES)
  awaiting?: Awaiting;

  @ApiPropertyOptional({ format: 'date-time', description: 'Created at or after this instant.' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'createdFrom must be an ISO 8601 date-time' })
  createdFrom?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Created before this instant.' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'createdTo must be an ISO 8601 date-time' })
  createdTo?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description:
      "Waiting since this instant or later (the order's `awaitingSince`): the heat map's time buckets.",
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'awaitingSinceFrom must be an ISO 8601 date-time' })
  awaitingSinceFrom?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Waiting since before this instant.' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'awaitingSinceTo must be an ISO 8601 date-time' })
  awaitingSinceTo?: string;

  @ApiPropertyOptional({ type: 'integer', description: 'Total at least this, minor units.', minimum: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_AMOUNT)
  minTotal?: number;

  @ApiPropertyOptional({ type: 'integer', description: 'Total at most this, minor units.', minimum: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_AMOUNT)
  maxTotal?: number;

  @ApiPropertyOptional({
    description:
      'true: orders part of which has shipped and the rest not yet (`processing` with at least one shipment); ' +
      'false: every other order.',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'partlyShipped must be true or false' })
  partlyShipped?: boolean;

  @ApiPropertyOptional({ description: "The sender's own reference (`externalRef`), exactly." })
  @IsOptional()
  @IsString()
  @Length(1, MAX_EXTERNAL_REF_LENGTH)
  externalRef?: string;
}

export class ApproveOrderDto {
  @ApiPropertyOptional({ example: 'Checked with the customer' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @MultiLine()
  comment?: string;
}

export class ReasonDto {
  @ApiProperty({ example: 'Customer changed their mind' })
  @IsString()
  @Length(1, 2000)
  @MultiLine()
  reason!: string;
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

export class ShipmentLineInputDto {
  @ApiProperty({ example: 'TEA-001', description: 'A line of the order.' })
  @IsString()
  @Length(1, 64)
  sku!: string;

  @ApiProperty({ type: 'integer', example: 8, minimum: 1, maximum: MAX_QUANTITY })
  @IsInt()
  @Min(1)
  @Max(MAX_QUANTITY)
  quantity!: number;
}

export class CreateShipmentDto {
  @ApiProperty({ type: [ShipmentLineInputDto], description: "Units of the order's lines that leave now." })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ShipmentLineInputDto)
  lines!: ShipmentLineInputDto[];

  @ApiPropertyOptional({
    example: MAIN_LOCATION,
    description:
      "The stock location it leaves from (a code from `GET /api/locations` or `GET /api/orders/:id/fulfilment`); by default the first location, in the managers' order of preference, that holds all of its units (`MAIN` when none does, and then a 409 naming `location`).",
  })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  location?: string;

  @ApiProperty({ example: 'SF Express' })
  @IsString()
  @Length(1, 100)
  carrier!: string;

  @ApiProperty({ example: 'SF1234567890' })
  @IsString()
  @Length(1, 100)
  trackingNumber!: string;
}

export class EmptyDto {}

export class OrderLineDto {
  @ApiProperty() sku!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: 'integer' }) quantity!: number;
  @ApiProperty({ type: 'integer', description: 'Minor units.' }) unitPrice!: number;
  @ApiProperty({ type: 'integer', description: 'Minor units.' }) lineTotal!: number;
  @ApiProperty({ type: 'integer', description: 'Units of this line shipped so far.' })
  shippedQuantity!: number;
  @ApiProperty({
    type: 'integer',
    description:
      'Units of this line reserved for the order and not shipped yet (ready to ship); the rest of what has ' +
      'not shipped waits for stock.',
  })
  reservedQuantity!: number;
}

export class ShipmentLineDto {
  @ApiProperty() sku!: string;
  @ApiProperty({ type: 'integer' }) quantity!: number;
}

export class ActorDto {
  @ApiProperty() id!: string;
  @ApiProperty() username!: string;
}

export class ApprovalDto {
  @ApiProperty({ type: ActorDto }) by!: ActorDto;
  @ApiProperty({ type: String, nullable: true }) comment!: string | null;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ type: 'integer', description: 'The total approved, minor units.' }) amount!: number;
  @ApiProperty({ description: 'Approved by the system under the approval rule.' }) automatic!: boolean;
  @ApiProperty({ type: 'integer' }) ruleVersion!: number;
}

export class ApprovalRuleDto {
  @ApiProperty({ type: 'integer' }) version!: number;
  @ApiProperty({ type: 'integer' }) autoApproveBelow!: number;
  @ApiProperty({ type: 'integer' }) staffApprovalLimit!: number;
  @ApiProperty() currency!: string;
}

export class ShipmentDto {
  @ApiProperty() carrier!: string;
  @ApiProperty() trackingNumber!: string;
  @ApiProperty({ format: 'date-time' }) shippedAt!: string;
}

export class OrderShipmentDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: [ShipmentLineDto] }) lines!: ShipmentLineDto[];
  @ApiProperty({ example: MAIN_LOCATION }) location!: string;
  @ApiProperty() carrier!: string;
  @ApiProperty() trackingNumber!: string;
  @ApiProperty({ format: 'date-time' }) shippedAt!: string;

  static from(shipment: OrderShipment): OrderShipmentDto {
    const { id, lines, location, carrier, trackingNumber, shippedAt } = shipment;
    return {
      id,
      lines: lines.map(({ sku, quantity }) => ({ sku, quantity })),
      location,
      carrier,
      trackingNumber,
      shippedAt,
    };
  }
}

export class PaymentDto {
  @ApiProperty({ enum: ['captured', 'failed', 'refunded'] }) status!: string;
  @ApiProperty({ type: 'integer', description: 'Net amount held (captured minus refunded), minor units.' })
  amount!: number;
  @ApiProperty({ type: String, nullable: true, description: 'Why the last charge failed.' }) lastError!:
    string | null;
}

export class StockShortageDto {
  @ApiProperty() sku!: string;
  @ApiProperty({ type: 'integer' }) requested!: number;
  @ApiProperty({ type: 'integer' }) available!: number;
}

export class ClosureDto {
  @ApiProperty({ type: ActorDto }) by!: ActorDto;
  @ApiProperty() reason!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class OrderProblemDto {
  @ApiProperty({ example: 'chargePayment', description: 'The step that failed.' }) step!: string;
  @ApiProperty({ enum: Object.values(PERMANENT_FAILURES) }) kind!: string;
  @ApiProperty() message!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class AssigneeDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'clerk' }) username!: string;
  @ApiProperty({ example: '王小明' }) displayName!: string;
}

export class AssignOrderDto {
  @ApiProperty({ format: 'uuid', description: 'The user who is to work on the order.' })
  @IsString()
  @Length(1, 64)
  userId!: string;
}

export class OrderDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'SO-2026-000123' }) number!: string;
  @ApiProperty({ enum: ORDER_STATUSES }) status!: OrderStatus;
  @ApiProperty({ enum: AWAITING_VALUES, nullable: true }) awaiting!: Awaiting | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) awaitingSince!: string | null;
  @ApiProperty({ format: 'uuid' }) customerId!: string;
  @ApiProperty({ type: [OrderLineDto] }) lines!: OrderLineDto[];
  @ApiProperty({ type: 'integer', description: 'Minor units.' }) total!: number;
  @ApiProperty() currency!: string;
  @ApiProperty({ type: String, nullable: true }) notes!: string | null;
  @ApiProperty({
    description: 'Whether the order reserves and ships what is available now, the rest waiting for stock.',
  })
  allowPartial!: boolean;
  @ApiProperty({ enum: ORDER_SOURCES, description: 'Where the order came from.' }) source!: OrderSource;
  @ApiProperty({
    type: String,
    nullable: true,
    description: "The sender's own reference, unique per source.",
  })
  externalRef!: string | null;
  @ApiProperty({ type: ApprovalRuleDto, description: 'The rule this order is decided under.' })
  approvalRule!: ApprovalRuleDto;
  @ApiProperty({ type: [ApprovalDto] }) approvals!: ApprovalDto[];
  @ApiProperty({ type: [StockShortageDto], description: 'What is missing while awaiting stock.' })
  stockShortages!: StockShortageDto[];
  // The last shipment's carrier and tracking, once every unit has shipped (`shipments` lists them all).
  @ApiProperty({ type: ShipmentDto, nullable: true }) shipment!: ShipmentDto | null;
  @ApiProperty({ type: [OrderShipmentDto], description: 'Every shipment so far, oldest first.' })
  shipments!: OrderShipmentDto[];
  @ApiProperty({ type: PaymentDto, nullable: true }) payment!: PaymentDto | null;
  @ApiProperty({ type: ClosureDto, nullable: true }) cancellation!: ClosureDto | null;
  @ApiProperty({ type: ClosureDto, nullable: true }) rejection!: ClosureDto | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) completedAt!: string | null;
  @ApiProperty({
    type: OrderProblemDto,
    nullable: true,
    description:
      'A step that failed in a way retrying cannot fix; managers are told. The order can still be cancelled.',
  })
  problem!: OrderProblemDto | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({
    enum: ORDER_ACTIONS,
    isArray: true,
    description: 'What the signed-in user may do with the order now (from the rules the API enforces).',
  })
  actions!: OrderAction[];
  @ApiProperty({
    type: AssigneeDto,
    nullable: true,
    description: 'Who works on the order (claimed, or assigned by a manager); null when nobody does.',
  })
  assignee!: AssigneeDto | null;

  /** The public view of the workflow's snapshot (whether read from PostgreSQL or returned by an update). */
  static from(order: OrderSnapshot, viewer: Actor, assignee: AssigneeDto | null): OrderDto {
    const actor = ({ id, username }: ActorDto): ActorDto => ({ id, username });
    const closure = (c: OrderSnapshot['cancellation']) =>
      c ? { by: actor(c.by), reason: c.reason, at: c.at } : null;
    const shipped = shippedQuantities(order);
    const reserved = reservedQuantities(order);
    return {
      id: order.orderId,
      number: order.number,
      status: order.status,
      awaiting: order.awaiting,
      awaitingSince: order.awaitingSince,
      customerId: order.customerId,
      lines: order.lines.map(({ sku, name, quantity, unitPrice, lineTotal }) => ({
        sku,
        name,
        quantity,
        unitPrice,
        lineTotal,
        shippedQuantity: shipped.get(sku) ?? 0,
        reservedQuantity: reserved.get(sku) ?? 0,
      })),
      total: order.total,
      currency: order.currency,
      notes: order.notes,
      allowPartial: order.allowPartial ?? false,
      source: order.source ?? 'console',
      externalRef: order.externalRef ?? null,
      approvalRule: order.approvalRule,
      approvals: order.approvals.map((approval) => ({ ...approval, by: actor(approval.by) })),
      stockShortages: order.stockShortages,
      shipment: order.shipment,
      shipments: shipmentsOf(order).map((shipment) => OrderShipmentDto.from(shipment)),
      payment: order.payment,
      cancellation: closure(order.cancellation),
      rejection: closure(order.rejection),
      completedAt: order.completedAt,
      problem: order.problem ?? null,
      createdAt: order.createdAt,
      updatedAt: order.updatedAt,
      actions: actionsFor(order, viewer),
      assignee,
    };
  }
}

export class OrderPageDto {
  @ApiProperty({ type: [OrderDto] }) items!: OrderDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class WorkflowLinkDto {
  @ApiProperty({ example: 'order:7f0c2f7e-7a6b-4a8e-9b1f-2d3c4b5a6978' }) workflowId!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      "The workflow's page in the Temporal web UI (OMS_TEMPORAL_UI_URL); null when none is configured.",
  })
  url!: string | null;
}
