import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { OVERSEERS, Roles } from '../auth/roles.decorator';
import { HistoryDto, OrderArchiveDto, VerifyResultDto } from '../dtos/history.dto';
import { HistoryService } from '../services/history.service';
import { ApiBusy, ApiErrors, ApiOp } from '../openapi/decorators';

@ApiTags('audit')
@ApiErrors(404)
@Roles(...OVERSEERS)
@Controller('orders/:id')
export class HistoryController {
  constructor(private readonly service: HistoryService) {}

  @Get('history')
  @ApiOp(
    'getOrderHistory',
    'Read every step of an order',
    'From its workflow history, also after the order is archived.',
  )
  @ApiOkResponse({
    type: HistoryDto,
    description: 'Every step of the order, from its workflow history, oldest first.',
  })
  async steps(@Param('id') id: string): Promise<HistoryDto> {
    return { items: await this.service.steps(id) };
  }

  @Get('history/raw')
  @ApiOp('getOrderRawHistory', "Export an order's workflow event history")
  @ApiOkResponse({
    description: "The workflow's event history as Temporal's JSON.",
    schema: {
      type: 'object',
      properties: { events: { type: 'array', items: { type: 'object', additionalProperties: true } } },
    },
  })
  raw(@Param('id') id: string): Promise<unknown> {
    return this.service.raw(id);
  }

  @Post('history/verify')
  @ApiOp('verifyOrderHistory', "Replay an order's history against today's workflow code")
  @HttpCode(200)
  @ApiOkResponse({
    type: VerifyResultDto,
    description: 'Whether the recorded history replays against the current workflow code.',
  })
  @ApiBusy('PostgreSQL or Temporal cannot be reached right now; nothing was done.')
  verify(@Param('id') id: string): Promise<VerifyResultDto> {
    return this.service.verify(id);
  }

  @Get('archive')
  @ApiOp('getOrderArchive', "Read a finished order's permanent record")
  @ApiOkResponse({
    type: OrderArchiveDto,
    description:
      "A finished order's permanent record, written by its workflow as its last step; served after Temporal has removed the workflow.",
  })
  @ApiErrors([
    409,
    'The stored record fails its checksum or keyed seal: it was changed after archiving (see history/verify).',
  ])
  archive(@Param('id') id: string): Promise<OrderArchiveDto> {
    return this.service.archive(id);
  }
}
