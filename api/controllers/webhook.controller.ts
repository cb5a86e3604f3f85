import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Actor } from '../../domain/order';
import { CurrentActor } from '../auth/actor.decorator';
import { ADMINS, Roles } from '../auth/roles.decorator';
import { CreateWebhookDto, CreatedWebhookDto, WebhookDto, WebhookListDto } from '../dtos/delivery.dto';
import { ErrorDto } from '../dtos/error.dto';
import { WebhookService } from '../services/webhook.service';

@ApiTags('notifications')
@Roles(...ADMINS)
@Controller('webhooks')
export class WebhookController {
  constructor(private readonly service: WebhookService) {}

  @Get()
  @ApiOkResponse({ type: WebhookListDto })
  list(): Promise<WebhookListDto> {
    return this.service.list();
  }

  @Post()
  @ApiCreatedResponse({ type: CreatedWebhookDto })
  @ApiBadRequestResponse({ type: ErrorDto })
  create(@Body() dto: CreateWebhookDto, @CurrentActor() actor: Actor): Promise<CreatedWebhookDto> {
    return this.service.create(dto, actor);
  }

  @Delete(':id')
  @ApiOkResponse({ type: WebhookDto, description: 'The webhook, now inactive; its deliveries stay.' })
  @ApiNotFoundResponse({ type: ErrorDto })
  deactivate(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<WebhookDto> {
    return this.service.deactivate(id, actor);
  }
}
