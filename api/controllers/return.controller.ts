import {
  applyDecorators,
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Put,
  Query,
  Res,
  StreamableFile,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../../domain/order';
import { CurrentActor } from '../auth/actor.decorator';
import { ANYONE, MANAGERS, OPERATORS, Roles } from '../auth/roles.decorator';
import { sendDocument } from '../documents/send-document';
import { DocumentQueryDto } from '../dtos/document.dto';
import { EmptyDto, ReasonDto } from '../dtos/order.dto';
import {
  AssignReturnDto,
  CreateReturnDto,
  ListReturnsQueryDto,
  ReceiveReturnDto,
  RefundReturnDto,
  ReturnDto,
  ReturnListDto,
  ReturnSettingsDto,
} from '../dtos/return.dto';
import { ApiBusy, ApiErrors, ApiHtmlOrPdf, ApiOp, IdempotencyKey } from '../openapi/decorators';
import { ReturnService } from '../services/return.service';

/** A staff action on a return: 200 with the return after it, 404 for an unknown id, 409 naming the status. */
const ActionResponses = (needs: string) =>
  applyDecorators(
    HttpCode(200),
    ApiOkResponse({ type: ReturnDto, description: 'The return after the action.' }),
    ApiErrors(404, [409, `The return is not ${needs}; the message names its status.`]),
  );

@ApiTags('returns')
@Controller()
export class ReturnController {
  constructor(private readonly service: ReturnService) {}

  @Get('settings/returns')
  @ApiOp('getReturnSettings', 'Read the return window and whether customers may request returns')
  @ApiOkResponse({ type: ReturnSettingsDto })
  @Roles(...ANYONE)
  settings(): Promise<ReturnSettingsDto> {
    return this.service.settings();
  }

  @Put('settings/returns')
  @ApiOp('setReturnSettings', 'Change the return window and whether customers may request returns')
  @ApiOkResponse({
    type: ReturnSettingsDto,
    description: 'Audited; in force for returns requested from now on.',
  })
  @Roles(...MANAGERS)
  setSettings(@Body() dto: ReturnSettingsDto, @CurrentActor() actor: Actor): Promise<ReturnSettingsDto> {
    return this.service.setSettings(
      { windowDays: dto.windowDays, customerMayRequest: dto.customerMayRequest },
      actor,
    );
  }

  @Post('orders/:id/returns')
  @ApiOp(
    'createReturn',
    'Request a return of shipped units of an order',
    "Starts the return's workflow; `status` is `requested`. An `exchange` return places its replacement order when its units are received.",
  )
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Same key and body for the same order: the same return, requested once.',
  })
  @ApiCreatedResponse({ type: ReturnDto, description: 'The return.' })
  @ApiOkResponse({ type: ReturnDto, description: 'An earlier request with this Idempotency-Key made it.' })
  @ApiErrors(
    [400, 'A line the order does not have, or a repeated line; names the field.'],
    404,
    [
      409,
      'More units than shipped minus already returned, units not shipped, or past the return window; names the field and the order status.',
    ],
    [422, 'The Idempotency-Key was used for this order with another body.'],
  )
  @Roles(...OPERATORS)
  async create(
    @Param('id') id: string,
    @Body() dto: CreateReturnDto,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) response: Response,
    @IdempotencyKey() idempotencyKey?: string,
  ): Promise<ReturnDto> {
    const { ret, created } = await this.service.request(id, dto, actor, idempotencyKey);
    response.status(created ? 201 : 200);
    return ret;
  }

  @Get('returns')
  @ApiOp('listReturns', 'List returns', 'Newest first; filters combine.')
  @ApiOkResponse({ type: ReturnListDto })
  @Roles(...ANYONE)
  list(@Query() query: ListReturnsQueryDto, @CurrentActor() actor: Actor): Promise<ReturnListDto> {
    return this.service.list(query, actor);
  }

  @Get('returns/:id')
  @ApiOp('getReturn', 'Read a return', 'With `actions`: what the signed-in user may do with it now.')
  @ApiOkResponse({ type: ReturnDto })
  @ApiErrors(404)
  @Roles(...ANYONE)
  get(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<ReturnDto> {
    return this.service.get(id, actor);
  }

  @Post('returns/:id/approve')
  @ApiOp('approveReturn', 'Approve a requested return')
  @ActionResponses('requested')
  @Roles(...OPERATORS)
  approve(@Param('id') id: string, @Body() _dto: EmptyDto, @CurrentActor() actor: Actor): Promise<ReturnDto> {
    return this.service.approve(id, actor);
  }

  @Post('returns/:id/reject')
  @ApiOp(
    'rejectReturn',
    'Reject a return not yet received',
    'Final: status `rejected`; its units may be returned again.',
  )
  @ActionResponses('requested or approved')
  @Roles(...OPERATORS)
  reject(@Param('id') id: string, @Body() dto: ReasonDto, @CurrentActor() actor: Actor): Promise<ReturnDto> {
    return this.service.reject(id, dto, actor);
  }

  @Post('returns/:id/receive')
  @ApiOp(
    'receiveReturn',
    'Record the units received back, each with its condition',
    'Resellable units go back on hand; damaged ones are recorded only.',
  )
  @ActionResponses('approved')
  @ApiErrors([400, 'A SKU the return does not have, or more units than it holds; names the field.'])
  @Roles(...OPERATORS)
  receive(
    @Param('id') id: string,
    @Body() dto: ReceiveReturnDto,
    @CurrentActor() actor: Actor,
  ): Promise<ReturnDto> {
    return this.service.receive(id, dto, actor);
  }

  @Post('returns/:id/refund')
  @ApiOp(
    'refundReturn',
    'Refund a received return through the payment gateway',
    'By default the value of the received units; never more than the order paid minus earlier refunds. Issues the credit note.',
  )
  @ActionResponses('received, or the amount is more than the order still holds')
  @Roles(...OPERATORS)
  refund(
    @Param('id') id: string,
    @Body() dto: RefundReturnDto,
    @CurrentActor() actor: Actor,
  ): Promise<ReturnDto> {
    return this.service.refund(id, dto, actor);
  }

  @Post('returns/:id/close')
  @ApiOp('closeReturn', 'Close a refunded return', 'Otherwise the system closes it 30 days after the refund.')
  @ActionResponses('refunded')
  @Roles(...OPERATORS)
  close(@Param('id') id: string, @Body() _dto: EmptyDto, @CurrentActor() actor: Actor): Promise<ReturnDto> {
    return this.service.close(id, actor);
  }

  @Post('returns/:id/claim')
  @ApiOp('claimReturn', 'Take a return to work on', '409 names who holds it when someone else does.')
  @ActionResponses('open (not closed or rejected), or it is held by someone else')
  @Roles(...OPERATORS)
  claim(@Param('id') id: string, @Body() _dto: EmptyDto, @CurrentActor() actor: Actor): Promise<ReturnDto> {
    return this.service.claim(id, actor);
  }

  @Post('returns/:id/unclaim')
  @ApiOp('unclaimReturn', 'Free a return nobody should hold any longer')
  @ActionResponses('held by the caller (it changed hands meanwhile)')
  @ApiErrors([403, 'Someone else holds it and the actor is not a manager.'])
  @Roles(...OPERATORS)
  unclaim(@Param('id') id: string, @Body() _dto: EmptyDto, @CurrentActor() actor: Actor): Promise<ReturnDto> {
    return this.service.unclaim(id, actor);
  }

  @Post('returns/:id/assign')
  @ApiOp('assignReturn', 'Give a return to a person', 'Managers assign anyone; staff only themselves.')
  @ActionResponses('open (not closed or rejected), or it is held by someone else (staff)')
  @ApiErrors(
    [400, '`userId` names no enabled user who works on orders.'],
    [403, 'Staff naming anyone but themselves.'],
  )
  @Roles(...OPERATORS)
  assign(
    @Param('id') id: string,
    @Body() dto: AssignReturnDto,
    @CurrentActor() actor: Actor,
  ): Promise<ReturnDto> {
    return this.service.assign(id, dto, actor);
  }

  @Get('returns/:id/credit-note')
  @ApiOp('getCreditNote', "A refunded return's credit note")
  @ApiHtmlOrPdf(
    "The credit note in the customer's language; numbered gap-free per year when the refund is made.",
  )
  @ApiErrors(404, [409, 'The return is not refunded yet; the message names its status.'])
  @ApiBusy('A PDF was asked for and its font is missing (or a dependency is down).')
  @Roles(...ANYONE)
  async creditNote(
    @Param('id') id: string,
    @Query() query: DocumentQueryDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string | StreamableFile> {
    return sendDocument(response, await this.service.creditNote(id, query.format));
  }
}
