import { Injectable } from '@nestjs/common';
import { WebhookRepository, type Webhook, type WebhookWithSecret } from '../../db/repositories';
import type { Actor } from '../../workflows/order.definitions';
import type { CreateWebhookDto } from '../dtos/delivery.dto';
import { notFound } from '../errors/domain.error';

@Injectable()
export class WebhookService {
  constructor(private readonly webhooks: WebhookRepository) {}

  async list(): Promise<{ items: Webhook[] }> {
    return { items: await this.webhooks.list() };
  }

  /** Registers a URL for order notifications; the answer carries its signing secret, shown only once. */
  create(dto: CreateWebhookDto, actor: Actor): Promise<WebhookWithSecret> {
    return this.webhooks.create(
      { url: dto.url, kinds: dto.kinds ?? [], description: dto.description ?? null },
      actor,
    );
  }

  /** Stops calls to a webhook; its past deliveries stay visible. */
  async deactivate(id: string, actor: Actor): Promise<Webhook> {
    const webhook = await this.webhooks.deactivate(id, actor);
    if (!webhook) throw notFound('webhook', id);
    return webhook;
  }
}
