import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../domain/order';
import { CurrentActor } from '../auth/actor.decorator';
import { ANYONE, Roles } from '../auth/roles.decorator';
import { InboxDto, InboxQueryDto, NotificationDto } from '../dtos/notification.dto';
import { NotificationService } from '../services/notification.service';
import { ApiErrors, ApiOp } from '../openapi/decorators';

@ApiTags('notifications')
@Roles(...ANYONE)
@Controller('notifications')
export class NotificationController {
  constructor(private readonly service: NotificationService) {}

  @Get()
  @ApiOp('listNotifications', "List the signed-in user's notifications")
  @ApiOkResponse({ type: InboxDto, description: "The signed-in user's inbox, newest first." })
  inbox(@Query() query: InboxQueryDto, @CurrentActor() actor: Actor): Promise<InboxDto> {
    return this.service.inbox(actor, query.unread === true, query.limit);
  }

  @Post(':id/read')
  @ApiOp('markNotificationRead', 'Mark a notification read')
  @HttpCode(200)
  @ApiOkResponse({ type: NotificationDto })
  @ApiErrors(404)
  markRead(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<NotificationDto> {
    return this.service.markRead(actor, id);
  }
}
