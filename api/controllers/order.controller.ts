import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Actor } from '../../workflows/order.definitions';
import { CurrentActor } from '../auth/actor.decorator';
import { ApproveOrderDto, CompleteOrderDto, CreateOrderDto, OrderDto, ShipOrderDto } from '../dtos/order.dto';
import { ErrorDto } from '../dtos/error.dto';
import { OrderService } from '../services/order.service';

@ApiTags('orders')
@ApiBadRequestResponse({ type: ErrorDto })
@Controller('orders')
export class OrderController {
  constructor(private readonly service: OrderService) {}

  @Post()
  @ApiCreatedResponse({ type: OrderDto })
  create(@Body() dto: CreateOrderDto, @CurrentActor() actor: Actor): Promise<OrderDto> {
    return this.service.create(dto, actor);
  }

  @Get(':id')
  @ApiOkResponse({ type: OrderDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  get(@Param('id') id: string): Promise<OrderDto> {
    return this.service.get(id);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @ApiOkResponse({ type: OrderDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  @ApiConflictResponse({
    type: ErrorDto,
    description: 'The order is not awaiting approval; names the status.',
  })
  approve(
    @Param('id') id: string,
    @Body() dto: ApproveOrderDto,
    @CurrentActor() actor: Actor,
  ): Promise<OrderDto> {
    return this.service.approve(id, dto, actor);
  }

  @Post(':id/ship')
  @HttpCode(200)
  @ApiOkResponse({ type: OrderDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  @ApiConflictResponse({
    type: ErrorDto,
    description: 'The order is not awaiting shipment; names the status.',
  })
  ship(@Param('id') id: string, @Body() dto: ShipOrderDto, @CurrentActor() actor: Actor): Promise<OrderDto> {
    return this.service.ship(id, dto, actor);
  }

  @Post(':id/complete')
  @HttpCode(200)
  @ApiOkResponse({ type: OrderDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  @ApiConflictResponse({ type: ErrorDto, description: 'The order is not shipped; names the status.' })
  complete(
    @Param('id') id: string,
    @Body() _dto: CompleteOrderDto,
    @CurrentActor() actor: Actor,
  ): Promise<OrderDto> {
    return this.service.complete(id, actor);
  }
}
