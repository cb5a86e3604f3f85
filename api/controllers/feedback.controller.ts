import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../domain/order';
import { CurrentActor } from '../auth/actor.decorator';
import { ANYONE, MANAGERS, Roles } from '../auth/roles.decorator';
import { CreateFeedbackDto, FeedbackDto, FeedbackPageDto, FeedbackQueryDto } from '../dtos/feedback.dto';
import { FeedbackService } from '../services/feedback.service';
import { ApiErrors, ApiOp } from '../openapi/decorators';

@ApiTags('feedback')
@Controller('feedback')
export class FeedbackController {
  constructor(private readonly service: FeedbackService) {}

  @Post()
  @ApiOp('createFeedback', 'Send feedback about the product')
  @ApiCreatedResponse({ type: FeedbackDto })
  @Roles(...ANYONE)
  create(@Body() dto: CreateFeedbackDto, @CurrentActor() actor: Actor): Promise<FeedbackDto> {
    return this.service.create(dto, actor);
  }

  @Get()
  @ApiOp('listFeedback', 'List feedback')
  @ApiOkResponse({ type: FeedbackPageDto, description: 'Newest first.' })
  @Roles(...MANAGERS)
  list(@Query() query: FeedbackQueryDto): Promise<FeedbackPageDto> {
    return this.service.list(query);
  }

  @Post(':id/handled')
  @ApiOp('markFeedbackHandled', 'Mark feedback handled')
  @HttpCode(200)
  @ApiOkResponse({ type: FeedbackDto, description: 'Marked handled (audited); again: unchanged.' })
  @ApiErrors(404)
  @Roles(...MANAGERS)
  markHandled(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<FeedbackDto> {
    return this.service.markHandled(id, actor);
  }
}
