import {
  applyDecorators,
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../../domain/order';
import { CurrentActor } from '../auth/actor.decorator';
import { ADMINS, ANYONE, OPERATORS, Roles } from '../auth/roles.decorator';
import {
  AssignOrderDto,
  ApproveOrderDto,
  CreateOrderDto,
  CreateShipmentDto,
  EditOrderDto,
  EmptyDto,
  ListOrdersQueryDto,
  OrderDto,
  OrderPageDto,
  OrderShipmentDto,
  ReasonDto,
  ShipOrderDto,
  WorkflowLinkDto,
} from '../dtos/order.dto';
import { ApiErrors, ApiOp, IdempotencyKey } from '../openapi/decorators';
import { BulkOrderActionDto, BulkResultDto } from '../dtos/bulk.dto';
import { OrderBulkService } from '../services/order-bulk.service';
import { OrderFulfilmentDto } from '../dtos/fulfilment.dto';
import { OrderService } from '../services/order.service';

/** A staff action: answers 200 with the order after it, 404 for an unknown id, 409 naming the status. */
const ActionResponses = (needs: string) =>
  applyDecorators(
    HttpCode(200),
    ApiOkResponse({ type: OrderDto, description: 'The order after the action.' }),
    ApiErrors(404, [409, `The order is not ${needs}; the message names its status.`]),
  );

@ApiTags('orders')
@Controller('orders')
export class OrderController {
  constructor(
    private readonly service: OrderService,
    private readonly bulk: OrderBulkService,
  ) {}

  @Post()
  @ApiOp('createOrder', 'Place an order', 'Starts its workflow; `status` is `created`.')
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Same key and body: the same order, started once.',
  })
  @ApiCreatedResponse({ type: OrderDto })
  @ApiOkResponse({ type: OrderDto, description: 'An earlier request with this Idempotency-Key created it.' })
  @ApiErrors(422)
  @Roles(...OPERATORS)
  async create(
    @Body() dto: CreateOrderDto,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) response: Response,
    @IdempotencyKey() idempotencyKey?: string,
  ): Promise<OrderDto> {
    const { order, created } = await this.service.create(dto, actor, idempotencyKey);
    response.status(created ? 201 : 200);
    return order;
  }

  @Post('bulk')
  @HttpCode(200)
  @ApiOp(
    'bulkOrderAction',
    'Do one action to many orders',
    'Each order succeeds or fails on its own, by the same rules as the action alone; its row says what that ' +
      'would have answered (200 with the order, or 403, 404, 409 with the reason). A request that lacks what ' +
      'the action needs, or names an order twice, is a 400 and touches no order.',
  )
  @ApiOkResponse({ type: BulkResultDto })
  @Roles(...OPERATORS)
  runBulk(@Body() dto: BulkOrderActionDto, @CurrentActor() actor: Actor): Promise<BulkResultDto> {
    return this.bulk.run(dto, actor);
  }

  @Get()
  @ApiOp('listOrders', 'List orders', 'Newest first; filters combine.')
  @ApiOkResponse({ type: OrderPageDto })
  @Roles(...ANYONE)
  list(@Query() query: ListOrdersQueryDto, @CurrentActor() actor: Actor): Promise<OrderPageDto> {
    return this.service.list(query, actor);
  }

  @Get(':id')
  @ApiOp('getOrder', 'Read an order', 'With `actions`: what the signed-in user may do with it now.')
  @ApiOkResponse({ type: OrderDto })
  @ApiErrors(404)
  @Roles(...ANYONE)
  get(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<OrderDto> {
    return this.service.get(id, actor);
  }

  @Get(':id/fulfilment')
  @ApiOp(
    'getOrderFulfilment',
    "An order's lines per stock location",
    'Per line: shipped, reserved (ready), waiting; per location: what left from there, where the ready units would leave from now, and what it holds of the product. Also the locations a shipment may leave from.',
  )
  @ApiOkResponse({ type: OrderFulfilmentDto })
  @ApiErrors(404)
  @Roles(...ANYONE)
  fulfilment(@Param('id') id: string): Promise<OrderFulfilmentDto> {
    return this.service.fulfilment(id);
  }

  @Get(':id/workflow-link')
  @ApiOp('getOrderWorkflowLink', "Link to the order's workflow in the Temporal web UI")
  @ApiOkResponse({
    type: WorkflowLinkDto,
    description: "The order's workflow in the Temporal web UI (admins).",
  })
  @ApiErrors(404)
  @Roles(...ADMINS)
  workflowLink(@Param('id') id: string): Promise<WorkflowLinkDto> {
    return this.service.workflowLink(id);
  }

  @Patch(':id')
  @ApiOp('editOrder', 'Edit the lines or notes of an order not yet shipped')
  @ActionResponses('created or processing')
  @Roles(...OPERATORS)
  edit(@Param('id') id: string, @Body() dto: EditOrderDto, @CurrentActor() actor: Actor): Promise<OrderDto> {
    return this.service.edit(id, dto, actor);
  }

  @Post(':id/approve')
  @ApiOp('approveOrder', 'Approve an order awaiting approval')
  @ActionResponses('awaiting approval')
  @ApiErrors([403, 'Above the staff approval limit and the actor is not a manager.'])
  @Roles(...OPERATORS)
  approve(
    @Param('id') id: string,
    @Body() dto: ApproveOrderDto,
    @CurrentActor() actor: Actor,
  ): Promise<OrderDto> {
    return this.service.approve(id, dto, actor);
  }

  @Post(':id/reject')
  @ApiOp('rejectOrder', 'Reject an order awaiting approval', 'Final: status `rejected`.')
  @ActionResponses('awaiting approval')
  @ApiErrors([403, 'Above the staff approval limit and the actor is not a manager.'])
  @Roles(...OPERATORS)
  reject(@Param('id') id: string, @Body() dto: ReasonDto, @CurrentActor() actor: Actor): Promise<OrderDto> {
    return this.service.reject(id, dto, actor);
  }

  @Post(':id/retry-payment')
  @ApiOp('retryOrderPayment', 'Charge the payment of an order again after a failure')
  @ActionResponses('awaiting payment')
  @Roles(...OPERATORS)
  retryPayment(
    @Param('id') id: string,
    @Body() _dto: EmptyDto,
    @CurrentActor() actor: Actor,
  ): Promise<OrderDto> {
    return this.service.retryPayment(id, actor);
  }

  @Post(':id/ship')
  @ApiOp('shipOrder', 'Ship all that is left of an order awaiting shipment')
  @ActionResponses('awaiting shipment')
  @Roles(...OPERATORS)
  ship(@Param('id') id: string, @Body() dto: ShipOrderDto, @CurrentActor() actor: Actor): Promise<OrderDto> {
    return this.service.ship(id, dto, actor);
  }

  @Post(':id/shipments')
  @ApiOp(
    'createOrderShipment',
    'Ship some units of some lines of an order awaiting shipment',
    'The order stays `processing` until every unit has shipped, then becomes `shipped`.',
  )
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Same key and body for the same order: the same shipment, made once.',
  })
  @ApiCreatedResponse({ type: OrderShipmentDto, description: 'The shipment.' })
  @ApiOkResponse({
    type: OrderShipmentDto,
    description: 'An earlier request with this Idempotency-Key made it.',
  })
  @ApiErrors(
    [400, 'A line the order does not have, a repeated line, or an unknown location; names the field.'],
    404,
    [
      409,
      'The order is not awaiting shipment, a quantity is more than is left of its line, or the location does not hold the units; names the field and the status.',
    ],
    [422, 'The Idempotency-Key was used for another shipment of this order.'],
  )
  @Roles(...OPERATORS)
  async createShipment(
    @Param('id') id: string,
    @Body() dto: CreateShipmentDto,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) response: Response,
    @IdempotencyKey() idempotencyKey?: string,
  ): Promise<OrderShipmentDto> {
    const { shipment, created } = await this.service.createShipment(id, dto, actor, idempotencyKey);
    response.status(created ? 201 : 200);
    return shipment;
  }

  @Post(':id/complete')
  @ApiOp('completeOrder', 'Mark a shipped order delivered')
  @ActionResponses('shipped')
  @Roles(...OPERATORS)
  complete(@Param('id') id: string, @Body() _dto: EmptyDto, @CurrentActor() actor: Actor): Promise<OrderDto> {
    return this.service.complete(id, actor);
  }

  @Post(':id/cancel')
  @ApiOp(
    'cancelOrder',
    'Cancel an order before it ships',
    'Reserved stock is released, a captured payment refunded.',
  )
  @ActionResponses('created or processing')
  @Roles(...OPERATORS)
  cancel(@Param('id') id: string, @Body() dto: ReasonDto, @CurrentActor() actor: Actor): Promise<OrderDto> {
    return this.service.cancel(id, dto, actor);
  }

  @Post(':id/claim')
  @ApiOp('claimOrder', 'Take an order to work on', '409 names who holds it when someone else does.')
  @ActionResponses('open or is held by someone else')
  @Roles(...OPERATORS)
  claim(@Param('id') id: string, @Body() _dto: EmptyDto, @CurrentActor() actor: Actor): Promise<OrderDto> {
    return this.service.claim(id, actor);
  }

  @Post(':id/unclaim')
  @ApiOp('unclaimOrder', 'Free an order nobody should hold any longer')
  @ActionResponses('held by the caller (it changed hands meanwhile)')
  @ApiErrors([403, 'Someone else holds it and the actor is not a manager.'])
  @Roles(...OPERATORS)
  unclaim(@Param('id') id: string, @Body() _dto: EmptyDto, @CurrentActor() actor: Actor): Promise<OrderDto> {
    return this.service.unclaim(id, actor);
  }

  @Post(':id/assign')
  @ApiOp('assignOrder', 'Give an order to a person', 'Managers assign anyone; staff only themselves.')
  @ActionResponses('open or is held by someone else (staff)')
  @ApiErrors([403, 'Staff naming anyone but themselves.'])
  @Roles(...OPERATORS)
  assign(
    @Param('id') id: string,
    @Body() dto: AssignOrderDto,
    @CurrentActor() actor: Actor,
  ): Promise<OrderDto> {
    return this.service.assign(id, dto, actor);
  }
}
