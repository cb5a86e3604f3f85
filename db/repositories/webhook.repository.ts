import type { EntityManager } from '@mikro-orm/postgresql';
import { randomBytes } from 'node:crypto';
import type { Actor } from '../../workflows/order.definitions';
import { AuditRepository } from './audit.repository';
import { isUuid } from './ids';
import { sqlOf } from './sql';

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

interface Row {
  id: string;
  url: string;
  secret: string;
  kinds: string[];
  description: string | null;
  active: boolean;
  created_at: Date;
}

const toWebhook = ({ secret: _secret, ...row }: Row): Webhook => ({
  id: row.id,
  url: row.url,
  kinds: row.kinds,
  description: row.description,
  active: row.active,
  createdAt: new Date(row.created_at).toISOString(),
});

/** URLs that admins register to receive order notifications, each with its own signing secret. */
export class WebhookRepository {
  constructor(private readonly em: EntityManager) {}

  /** Registers a webhook with a new random secret and records who did it. */
  async create(
    input: { url: string; kinds: string[]; description: string | null },
    actor: Actor,
  ): Promise<WebhookWithSecret> {
    return this.em.transactional(async (em) => {
      const secret = `whsec_${randomBytes(24).toString('base64url')}`;
      const [row] = await sqlOf(em)<Row[]>(
        `insert into webhooks (url, secret, kinds, description) values (?, ?, ?::text[], ?) returning *`,
        [input.url, secret, `{${input.kinds.join(',')}}`, input.description],
      );
      const webhook = toWebhook(row!);
      await new AuditRepository(em).record({
        actor,
        action: 'webhook.created',
        entity: 'webhook',
        entityId: webhook.id,
        before: null,
        after: webhook,
      });
      return { ...webhook, secret };
    });
  }

  async list(): Promise<Webhook[]> {
    const rows = await sqlOf(this.em)<Row[]>(`select * from webhooks order by created_at, id`);
    return rows.map(toWebhook);
  }

  /** Stops calling a webhook (its past deliveries stay); null when there is no such webhook. */
  async deactivate(id: string, actor: Actor): Promise<Webhook | null> {
    if (!isUuid(id)) return null;
    return this.em.transactional(async (em) => {
      const [before] = await sqlOf(em)<Row[]>(`select * from webhooks where id = ? for update`, [id]);
      if (!before) return null;
      const [after] = await sqlOf(em)<Row[]>(`update webhooks set active = false where id = ? returning *`, [
        id,
      ]);
      await new AuditRepository(em).record({
        actor,
        action: 'webhook.deactivated',
        entity: 'webhook',
        entityId: id,
        before: toWebhook(before),
        after: toWebhook(after!),
      });
      return toWebhook(after!);
    });
  }

  /** Active webhooks that receive this kind, with their secrets. */
  async activeFor(kind: string): Promise<WebhookWithSecret[]> {
    const rows = await sqlOf(this.em)<Row[]>(
      `select * from webhooks where active and (cardinality(kinds) = 0 or ? = any(kinds)) order by created_at, id`,
      [kind],
    );
    return rows.map((row) => ({ ...toWebhook(row), secret: row.secret }));
  }

  async secretOf(id: string): Promise<string | null> {
    const [row] = await sqlOf(this.em)<{ secret: string }[]>(`select secret from webhooks where id = ?`, [
      id,
    ]);
    return row?.secret ?? null;
  }
}
