import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseIntPipe,
  Post,
  Query,
  Res,
  StreamableFile,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { StoredAttachment } from '../../db/repositories';
import { KEPT_TYPES } from '../../domain/inbound-attachments';
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
import { invalidField } from '../errors/domain.error';
import { ApiContent, ApiErrors, ApiOp, BINARY } from '../openapi/decorators';
import { InboundService } from '../services/inbound.service';

/** A kept attachment's answer: every kept type, as a download. */
const ApiAttachment = () =>
  ApiContent(
    200,
    'The file as it was attached, as a download (`Content-Disposition: attachment`, `X-Content-Type-Options: ' +
      'nosniff`), with the Content-Type of its kept type (never what the e-mail claimed).',
    Object.fromEntries(KEPT_TYPES.map((type) => [type, BINARY])),
  );

/** Sends a kept attachment so that no browser shows it in the console's origin: a download, never sniffed. */
function sendAttachment(response: Response, file: StoredAttachment): StreamableFile {
  response.attachment(file.name);
  response.setHeader('Content-Type', file.type);
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
  response.setHeader('Cache-Control', 'private, no-store');
  return new StreamableFile(file.bytes);
}

const positionPipe = new ParseIntPipe({
  exceptionFactory: () => invalidField('n', 'must be the attachment’s position, a whole number from 0'),
});

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

  @Get(':id/messages/:messageId/attachments/:n')
  @ApiOp('getOrderMessageAttachment', "Download a kept attachment of a customer's message on the order")
  @ApiAttachment()
  @ApiErrors(400, [404, 'No such order, message or attachment, or the attachment was not kept.'])
  @Roles(...ANYONE)
  async attachment(
    @Param('id') id: string,
    @Param('messageId') messageId: string,
    @Param('n', positionPipe) n: number,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    return sendAttachment(response, await this.service.orderAttachment(id, messageId, n, actor));
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
  @ApiErrors(
    [400, '`order-draft` from an attached file the import refuses (its columns, a damaged XLSX).'],
    404,
    [409, 'Not open any more, or `order-draft` of a message in which no order line was recognised.'],
    [415, '`order-draft` from an attached CSV file that is not UTF-8.'],
  )
  @Roles(...OPERATORS)
  file(
    @Param('id') id: string,
    @Body() dto: FileInboundDto,
    @CurrentActor() actor: Actor,
  ): Promise<FiledInboundDto> {
    return this.service.file(id, dto, actor);
  }

  @Get(':id/attachments/:n')
  @ApiOp('getInboundAttachment', 'Download a kept attachment of an incoming e-mail')
  @ApiAttachment()
  @ApiErrors(400, [404, 'No such message or attachment, or the attachment was not kept.'])
  @Roles(...OPERATORS)
  async attachment(
    @Param('id') id: string,
    @Param('n', positionPipe) n: number,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    return sendAttachment(response, await this.service.attachment(id, n));
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
