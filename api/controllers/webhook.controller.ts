import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../domain/order';
import { CurrentActor } from '../auth/actor.decorator';
import { ADMINS, Roles } from '../auth/roles.decorator';
import { CreateWebhookDto, CreatedWebhookDto, WebhookDto, WebhookListDto } from '../dtos/delivery.dto';
import { WebhookService } from '../services/webhook.service';
import { ApiErrors, ApiOp } from '../openapi/decorators';

@ApiTags('notifications')
@Roles(...ADMINS)
@Controller('webhooks')
export class WebhookController {
  constructor(private readonly service: WebhookService) {}

  @Get()
  @ApiOp('listWebhooks', 'List webhooks')
  @ApiOkResponse({ type: WebhookListDto })
  list(): Promise<WebhookListDto> {
    return this.service.list();
  }

  @Post()
  @ApiOp('createWebhook', 'Register a webhook', 'Answers with its signing secret, once.')
  @ApiCreatedResponse({ type: CreatedWebhookDto })
  create(@Body() dto: CreateWebhookDto, @CurrentActor() actor: Actor): Promise<CreatedWebhookDto> {
    return this.service.create(dto, actor);
  }

  @Delete(':id')
  @ApiOp('deactivateWebhook', 'Deactivate a webhook')
  @ApiOkResponse({ type: WebhookDto, description: 'The webhook, now inactive; its deliveries stay.' })
  @ApiErrors(404)
  deactivate(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<WebhookDto> {
    return this.service.deactivate(id, actor);
  }
}
