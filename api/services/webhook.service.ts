import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/config';
import { ForbiddenDestinationError, assertAllowedDestination } from '../../config/destinations';
import { WebhookRepository, type Webhook, type WebhookWithSecret } from '../../db/repositories';
import type { Actor } from '../../domain/order';
import type { CreateWebhookDto } from '../dtos/delivery.dto';
import { invalidField, notFound } from '../errors/domain.error';

@Injectable()
export class WebhookService {
  constructor(
    private readonly webhooks: WebhookRepository,
    private readonly config: AppConfig,
  ) {}

  async list(): Promise<{ items: Webhook[] }> {
    return { items: await this.webhooks.list() };
  }

  /**
   * Registers a URL for order notifications; the answer carries its signing secret, shown only once. A URL
   * that resolves to an internal address (loopback, private, link-local, unique-local, unspecified) is
   * refused unless the operator allowed its host; each call checks again.
   */
  async create(dto: CreateWebhookDto, actor: Actor): Promise<WebhookWithSecret> {
    try {
      await assertAllowedDestination(new URL(dto.url), this.config.webhooks.allowedHosts);
    } catch (error) {
      if (error instanceof ForbiddenDestinationError) throw invalidField('url', error.message);
      throw error;
    }
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
