import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { OVERSEERS, Roles } from '../auth/roles.decorator';
import { ErrorDto } from '../dtos/error.dto';
import { HistoryDto, OrderArchiveDto, VerifyResultDto } from '../dtos/history.dto';
import { HistoryService } from '../services/history.service';

@ApiTags('audit')
@ApiNotFoundResponse({ type: ErrorDto })
@Roles(...OVERSEERS)
@Controller('orders/:id')
export class HistoryController {
  constructor(private readonly service: HistoryService) {}

  @Get('history')
  @ApiOkResponse({
    type: HistoryDto,
    description: 'Every step of the order, from its workflow history, oldest first.',
  })
  async steps(@Param('id') id: string): Promise<HistoryDto> {
    return { items: await this.service.steps(id) };
  }

  @Get('history/raw')
  @ApiOkResponse({ description: "The workflow's event history as Temporal's JSON." })
  raw(@Param('id') id: string): Promise<unknown> {
    return this.service.raw(id);
  }

  @Post('history/verify')
  @HttpCode(200)
  @ApiOkResponse({
    type: VerifyResultDto,
    description: 'Whether the recorded history replays against the current workflow code.',
  })
  verify(@Param('id') id: string): Promise<VerifyResultDto> {
    return this.service.verify(id);
  }

  @Get('archive')
  @ApiOkResponse({
    type: OrderArchiveDto,
    description:
      "A finished order's permanent record, written by its workflow as its last step; served after Temporal has removed the workflow.",
  })
  archive(@Param('id') id: string): Promise<OrderArchiveDto> {
    return this.service.archive(id);
  }
}
