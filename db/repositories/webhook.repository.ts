import type { EntityManager } from '@mikro-orm/postgresql';
import { randomBytes } from 'node:crypto';
import type { Actor } from '../../domain/order';
import { WebhookEntity } from '../entities';
import { createAudited, updateAudited, type Audited } from './audited';

export interface Webhook {
  id: string;
  url: string;
  /** The kinds it receives; empty means every kind. */
  kinds: string[];
  description: string | null;
  active: boolean;
  createdAt: string;
}

/** A webhook with the key its calls are signed with; only the activity that signs and its creator see it. */
export interface WebhookWithSecret extends Webhook {
  secret: string;
}

const toWebhook = (row: WebhookEntity): Webhook => ({
  id: row.id,
  url: row.url,
  kinds: row.kinds,
  description: row.description,
  active: row.active,
  createdAt: row.createdAt.toISOString(),
});

/** The audit log shows a webhook without its secret. */
const AUDITED: Audited<WebhookEntity> = { entity: 'webhook', view: toWebhook };

/** URLs that admins register to receive order notifications, each with its own signing secret. */
export class WebhookRepository {
  constructor(private readonly em: EntityManager) {}

  /** Registers a webhook with a new random secret and records who did it. */
  async create(
    input: { url: string; kinds: string[]; description: string | null },
    actor: Actor,
  ): Promise<WebhookWithSecret> {
    const secret = `whsec_${randomBytes(24).toString('base64url')}`;
    const row = await createAudited(this.em, WebhookEntity, { ...input, secret }, actor, AUDITED);
    return { ...toWebhook(row), secret };
  }

  async list(): Promise<Webhook[]> {
    const rows = await this.em.find(WebhookEntity, {}, { orderBy: { createdAt: 'asc', id: 'asc' } });
    return rows.map(toWebhook);
  }

  /** Stops calling a webhook (its past deliveries stay); null when there is no such webhook. */
  async deactivate(id: string, actor: Actor): Promise<Webhook | null> {
    const row = await updateAudited(this.em, WebhookEntity, id, { active: false }, actor, {
      ...AUDITED,
      action: 'webhook.deactivated',
    });
    return row && toWebhook(row);
  }

  /** Active webhooks that receive this kind, with their secrets (an admin registers a handful). */
  async activeFor(kind: string): Promise<WebhookWithSecret[]> {
    const rows = await this.em.find(
      WebhookEntity,
      { active: true },
      { orderBy: { createdAt: 'asc', id: 'asc' } },
    );
    return rows
      .filter((row) => row.kinds.length === 0 || row.kinds.includes(kind))
      .map((row) => ({ ...toWebhook(row), secret: row.secret }));
  }

  async secretOf(id: string): Promise<string | null> {
    return (await this.em.findOne(WebhookEntity, { id }))?.secret ?? null;
  }
}
