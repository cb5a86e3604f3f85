import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../domain/order';
import { CurrentActor } from '../auth/actor.decorator';
import { ANYONE, OPERATORS, Roles } from '../auth/roles.decorator';
import { EmptyDto } from '../dtos/order.dto';
import { CreateQuoteDto, ListQuotesQueryDto, QuoteDto, QuoteListDto } from '../dtos/quote.dto';
import { ApiErrors, ApiOp } from '../openapi/decorators';
import { QuoteService } from '../services/quote.service';

@ApiTags('quotes')
@Controller('quotes')
export class QuoteController {
  constructor(private readonly service: QuoteService) {}

  @Post()
  @ApiOp(
    'createQuote',
    'Make a quote for a customer',
    'Each line is priced from its product now; the quote keeps these prices. It starts as a `draft` and ' +
      'is answered by the customer once sent. Unknown customer or SKU, a quantity that is not a positive ' +
      'integer, no lines, or a `validUntil` that is unparseable or not in the future: 400 naming the field.',
  )
  @ApiCreatedResponse({ type: QuoteDto })
  @Roles(...OPERATORS)
  create(@Body() dto: CreateQuoteDto, @CurrentActor() actor: Actor): Promise<QuoteDto> {
    return this.service.create(dto, actor);
  }

  @Get()
  @ApiOp('listQuotes', 'List quotes', 'Newest first; an unanswered quote past `validUntil` is `expired`.')
  @ApiOkResponse({ type: QuoteListDto })
  @Roles(...ANYONE)
  async list(@Query() query: ListQuotesQueryDto): Promise<QuoteListDto> {
    return { items: await this.service.list(query) };
  }

  @Get(':id')
  @ApiOp('getQuote', 'Read a quote')
  @ApiOkResponse({ type: QuoteDto })
  @ApiErrors(404)
  @Roles(...ANYONE)
  get(@Param('id') id: string): Promise<QuoteDto> {
    return this.service.get(id);
  }

  @Post(':id/send')
  @HttpCode(200)
  @ApiOp(
    'sendQuote',
    'E-mail the quote to its customer',
    'Through the outbox: the customer receives the quote with its signed link (`/q/<token>`, no sign-in) ' +
      'where they accept or decline it. The quote becomes `sent`; a sent quote may be sent again.',
  )
  @ApiOkResponse({ type: QuoteDto })
  @ApiErrors(404, [409, 'The quote is accepted, declined or expired; the message and `status` name it.'])
  @Roles(...OPERATORS)
  send(@Param('id') id: string, @Body() _dto: EmptyDto, @CurrentActor() actor: Actor): Promise<QuoteDto> {
    return this.service.send(id, actor);
  }
}
