import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../domain/order';
import { CurrentActor } from '../auth/actor.decorator';
import { ANYONE, OPERATORS, Roles } from '../auth/roles.decorator';
import {
  FileInboundDto,
  FiledInboundDto,
  InboundItemDto,
  InboundListDto,
  InboundQueryDto,
  OrderMessageDto,
  OrderMessagesDto,
  SendOrderMessageDto,
} from '../dtos/inbound.dto';
import { ApiErrors, ApiOp } from '../openapi/decorators';
import { InboundService } from '../services/inbound.service';

/** An order's e-mail conversation with its customer (docs/inbound-mail.md). */
@ApiTags('mail')
@Controller('orders')
export class OrderMessageController {
  constructor(private readonly service: InboundService) {}

  @Get(':id/messages')
  @ApiOp('listOrderMessages', "Read the order's e-mail conversation with its customer")
  @ApiOkResponse({ type: OrderMessagesDto })
  @ApiErrors(404)
  @Roles(...ANYONE)
  list(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<OrderMessagesDto> {
    return this.service.conversation(id, actor);
  }

  @Post(':id/messages')
  @ApiOp('sendOrderMessage', 'E-mail the customer from the order, threaded on its conversation')
  @ApiCreatedResponse({ type: OrderMessageDto, description: 'Recorded and put in the outbox.' })
  @ApiErrors(404, [409, 'The customer has no e-mail address.'])
  @Roles(...OPERATORS)
  send(
    @Param('id') id: string,
    @Body() dto: SendOrderMessageDto,
    @CurrentActor() actor: Actor,
  ): Promise<OrderMessageDto> {
    return this.service.send(id, dto.text, actor);
  }
}

/** Incoming mail that matched no order, for staff to file (docs/inbound-mail.md). */
@ApiTags('mail')
@Controller('inbound')
export class InboundController {
  constructor(private readonly service: InboundService) {}

  @Get()
  @ApiOp('listInbound', 'List incoming e-mail waiting to be filed')
  @ApiOkResponse({ type: InboundListDto })
  @Roles(...OPERATORS)
  list(@Query() _query: InboundQueryDto): Promise<InboundListDto> {
    return this.service.open();
  }

  @Post(':id/file')
  @ApiOp('fileInbound', 'File an incoming e-mail as feedback, onto an order, or as an order draft')
  @HttpCode(200)
  @ApiOkResponse({
    type: FiledInboundDto,
    description: 'Filed: it leaves the open list. `order-draft` answers the import made (`importId`).',
  })
  @ApiErrors(404, [
    409,
    'Not open any more, or `order-draft` of a message in which no order line was recognised.',
  ])
  @Roles(...OPERATORS)
  file(
    @Param('id') id: string,
    @Body() dto: FileInboundDto,
    @CurrentActor() actor: Actor,
  ): Promise<FiledInboundDto> {
    return this.service.file(id, dto, actor);
  }

  @Post(':id/close')
  @ApiOp('closeInbound', 'Close an incoming e-mail without filing it')
  @HttpCode(200)
  @ApiOkResponse({ type: InboundItemDto, description: 'Closed: it leaves the open list.' })
  @ApiErrors(404, [409, 'Not open any more.'])
  @Roles(...OPERATORS)
  close(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<InboundItemDto> {
    return this.service.close(id, actor);
  }
}
