import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Actor } from '../../domain/order';
import { CurrentActor } from '../auth/actor.decorator';
import { ANYONE, MANAGERS, Roles } from '../auth/roles.decorator';
import { ErrorDto } from '../dtos/error.dto';
import { CreateFeedbackDto, FeedbackDto, FeedbackPageDto, FeedbackQueryDto } from '../dtos/feedback.dto';
import { FeedbackService } from '../services/feedback.service';

@ApiTags('feedback')
@ApiBadRequestResponse({ type: ErrorDto })
@Controller('feedback')
export class FeedbackController {
  constructor(private readonly service: FeedbackService) {}

  @Post()
  @ApiCreatedResponse({ type: FeedbackDto })
  @Roles(...ANYONE)
  create(@Body() dto: CreateFeedbackDto, @CurrentActor() actor: Actor): Promise<FeedbackDto> {
    return this.service.create(dto, actor);
  }

  @Get()
  @ApiOkResponse({ type: FeedbackPageDto, description: 'Newest first.' })
  @Roles(...MANAGERS)
  list(@Query() query: FeedbackQueryDto): Promise<FeedbackPageDto> {
    return this.service.list(query);
  }

  @Post(':id/handled')
  @HttpCode(200)
  @ApiOkResponse({ type: FeedbackDto, description: 'Marked handled (audited); again: unchanged.' })
  @ApiNotFoundResponse({ type: ErrorDto })
  @Roles(...MANAGERS)
  markHandled(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<FeedbackDto> {
    return this.service.markHandled(id, actor);
  }
}
