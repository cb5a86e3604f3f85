import {
  applyDecorators,
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../../domain/order';
import { CurrentActor } from '../auth/actor.decorator';
import { ADMINS, ANYONE, OPERATORS, Roles } from '../auth/roles.decorator';
import { ErrorDto } from '../dtos/error.dto';
import {
  ApproveOrderDto,
  CreateOrderDto,
  EditOrderDto,
  EmptyDto,
  ListOrdersQueryDto,
  OrderDto,
  OrderPageDto,
  ReasonDto,
  ShipOrderDto,
  WorkflowLinkDto,
} from '../dtos/order.dto';
import { invalidField } from '../errors/domain.error';
import { OrderService } from '../services/order.service';

/** A staff action: answers 200 with the order after it, 404 for an unknown id, 409 naming the status. */
const ActionResponses = (needs: string) =>
  applyDecorators(
    HttpCode(200),
    ApiOkResponse({ type: OrderDto, description: 'The order after the action.' }),
    ApiNotFoundResponse({ type: ErrorDto }),
    ApiConflictResponse({ type: ErrorDto, description: `The order is not ${needs}; names the status.` }),
  );

@ApiTags('orders')
@ApiBadRequestResponse({ type: ErrorDto })
@Controller('orders')
export class OrderController {
  constructor(private readonly service: OrderService) {}

  @Post()
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Same key and body: the same order, started once.',
  })
  @ApiCreatedResponse({ type: OrderDto })
  @ApiOkResponse({ type: OrderDto, description: 'An earlier request with this Idempotency-Key created it.' })
  @ApiUnprocessableEntityResponse({
    type: ErrorDto,
    description: 'Idempotency-Key reused with another body.',
  })
  @Roles(...OPERATORS)
  async create(
    @Body() dto: CreateOrderDto,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) response: Response,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<OrderDto> {
    if (idempotencyKey !== undefined && !/^[\x21-\x7e]{1,200}$/.test(idempotencyKey)) {
      throw invalidField('Idempotency-Key', 'must be 1 to 200 visible ASCII characters');
    }
    const { order, created } = await this.service.create(dto, actor, idempotencyKey);
    response.status(created ? 201 : 200);
    return order;
  }

  @Get()
  @ApiOkResponse({ type: OrderPageDto })
  @Roles(...ANYONE)
  list(@Query() query: ListOrdersQueryDto, @CurrentActor() actor: Actor): Promise<OrderPageDto> {
    return this.service.list(query, actor);
  }

  @Get(':id')
  @ApiOkResponse({ type: OrderDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  @Roles(...ANYONE)
  get(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<OrderDto> {
    return this.service.get(id, actor);
  }

  @Get(':id/workflow-link')
  @ApiOkResponse({
    type: WorkflowLinkDto,
    description: "The order's workflow in the Temporal web UI (admins).",
  })
  @ApiNotFoundResponse({ type: ErrorDto })
  @Roles(...ADMINS)
  workflowLink(@Param('id') id: string): Promise<WorkflowLinkDto> {
    return this.service.workflowLink(id);
  }

  @Patch(':id')
  @ActionResponses('created or processing')
  @Roles(...OPERATORS)
  edit(@Param('id') id: string, @Body() dto: EditOrderDto, @CurrentActor() actor: Actor): Promise<OrderDto> {
    return this.service.edit(id, dto, actor);
  }

  @Post(':id/approve')
  @ActionResponses('awaiting approval')
  @ApiForbiddenResponse({
    type: ErrorDto,
    description: 'Above the staff approval limit and the actor is not a manager.',
  })
  @Roles(...OPERATORS)
  approve(
    @Param('id') id: string,
    @Body() dto: ApproveOrderDto,
    @CurrentActor() actor: Actor,
  ): Promise<OrderDto> {
    return this.service.approve(id, dto, actor);
  }

  @Post(':id/reject')
  @ActionResponses('awaiting approval')
  @ApiForbiddenResponse({
    type: ErrorDto,
    description: 'Above the staff approval limit and the actor is not a manager.',
  })
  @Roles(...OPERATORS)
  reject(@Param('id') id: string, @Body() dto: ReasonDto, @CurrentActor() actor: Actor): Promise<OrderDto> {
    return this.service.reject(id, dto, actor);
  }

  @Post(':id/retry-payment')
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
  @ActionResponses('awaiting shipment')
  @Roles(...OPERATORS)
  ship(@Param('id') id: string, @Body() dto: ShipOrderDto, @CurrentActor() actor: Actor): Promise<OrderDto> {
    return this.service.ship(id, dto, actor);
  }

  @Post(':id/complete')
  @ActionResponses('shipped')
  @Roles(...OPERATORS)
  complete(@Param('id') id: string, @Body() _dto: EmptyDto, @CurrentActor() actor: Actor): Promise<OrderDto> {
    return this.service.complete(id, actor);
  }

  @Post(':id/cancel')
  @ActionResponses('created or processing')
  @Roles(...OPERATORS)
  cancel(@Param('id') id: string, @Body() dto: ReasonDto, @CurrentActor() actor: Actor): Promise<OrderDto> {
    return this.service.cancel(id, dto, actor);
  }
}
