import type { EntityManager } from '@mikro-orm/postgresql';
import type { Channel, DeliveryStatus } from '../../workflows/notification.definitions';
import type { Actor } from '../../workflows/order.definitions';
import { AuditRepository } from './audit.repository';
import { isUuid } from './ids';
import { decodeCursor, pageOf, type Page } from './pagination';
import { sqlOf } from './sql';

/** An outbound message, rendered and addressed, waiting to be (or already) sent. */
export interface NewDelivery {
  /** Order, kind, occurrence, recipient and channel: planning the same message twice adds nothing. */
  dedupKey: string;
  orderId: string;
  kind: string;
  channel: Channel;
  /** Who it is for: `user:<username>`, `customer:<id>` or `webhook:<id>`. */
  recipient: string;
  /** E-mail address or URL. */
  address: string;
  subject?: string;
  textBody?: string;
  htmlBody?: string;
  payload?: unknown;
  webhookId?: string;
}

export interface Delivery {
  id: string;
  orderId: string;
  kind: string;
  channel: Channel;
  recipient: string;
  address: string;
  subject: string | null;
  textBody: string | null;
  htmlBody: string | null;
  payload: unknown;
  webhookId: string | null;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  sentAt: string | null;
}

interface Row {
  id: string;
  order_id: string;
  kind: string;
  channel: Channel;
  recipient: string;
  address: string;
  subject: string | null;
  text_body: string | null;
  html_body: string | null;
  payload: unknown;
  webhook_id: string | null;
  status: DeliveryStatus;
  attempts: number;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
  sent_at: Date | null;
}

const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);
const toDelivery = (row: Row): Delivery => ({
  id: row.id,
  orderId: row.order_id,
  kind: row.kind,
  channel: row.channel,
  recipient: row.recipient,
  address: row.address,
  subject: row.subject,
  textBody: row.text_body,
  htmlBody: row.html_body,
  payload: row.payload,
  webhookId: row.webhook_id,
  status: row.status,
  attempts: row.attempts,
  lastError: row.last_error,
  createdAt: iso(row.created_at)!,
  updatedAt: iso(row.updated_at)!,
  sentAt: iso(row.sent_at),
});

export interface DeliveryFilter {
  orderId?: string;
  status?: DeliveryStatus;
  channel?: Channel;
  limit: number;
  cursor?: string;
}

/** What a send attempt found when it claimed the delivery. */
export type Claim =
  { state: 'claimed'; delivery: Delivery; interrupted: boolean } | { state: 'settled'; delivery: Delivery };

/**
 * E-mails and webhook calls, one row per message and recipient. The unique dedup key makes planning
 * idempotent; the status records each attempt before it happens, so an attempt that died mid-send is
 * recognisable afterwards (`sending` found by the next attempt).
 */
export class DeliveryRepository {
  constructor(private readonly em: EntityManager) {}

  /** Deliveries counted by channel and status (for metrics). */
  async countByChannelAndStatus(): Promise<{ channel: string; status: string; count: number }[]> {
    return sqlOf(this.em)<{ channel: string; status: string; count: number }[]>(
      `select channel, status, count(*)::int as count from deliveries group by channel, status`,
    );
  }

  /** Adds the deliveries not planned before; returns the ids of all of them, old and new, in order. */
  async plan(deliveries: NewDelivery[]): Promise<string[]> {
    const ids: string[] = [];
    for (const d of deliveries) {
      // On a duplicate the no-op update still returns the existing row's id (and waits for a concurrent
      // insert of the same key to commit instead of missing it).
      const [row] = await sqlOf(this.em)<{ id: string }[]>(
        `insert into deliveries (dedup_key, order_id, kind, channel, recipient, address, subject, text_body,
           html_body, payload, webhook_id)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?)
         on conflict (dedup_key) do update set dedup_key = excluded.dedup_key returning id`,
        [
          d.dedupKey,
          d.orderId,
          d.kind,
          d.channel,
          d.recipient,
          d.address,
          d.subject ?? null,
          d.textBody ?? null,
          d.htmlBody ?? null,
          d.payload === undefined ? null : JSON.stringify(d.payload),
          d.webhookId ?? null,
        ],
      );
      ids.push(row!.id);
    }
    return ids;
  }

  async find(id: string): Promise<Delivery | null> {
    if (!isUuid(id)) return null;
    const [row] = await sqlOf(this.em)<Row[]>(`select * from deliveries where id = ?`, [id]);
    return row ? toDelivery(row) : null;
  }

  /**
   * Marks the delivery `sending` and counts the attempt, committed before anything is sent. A delivery
   * already sent, failed for good or unconfirmed is returned as settled and must not be sent.
   */
  async claim(id: string): Promise<Claim> {
    return this.em.transactional(async (em) => {
      const [row] = await sqlOf(em)<Row[]>(`select * from deliveries where id = ? for update`, [id]);
      if (!row) throw new Error(`delivery ${id} does not exist`);
      if (['sent', 'failed', 'unconfirmed'].includes(row.status)) {
        return { state: 'settled', delivery: toDelivery(row) };
      }
      const [claimed] = await sqlOf(em)<Row[]>(
        `update deliveries set status = 'sending', attempts = attempts + 1, updated_at = now() where id = ?
         returning *`,
        [id],
      );
      return { state: 'claimed', delivery: toDelivery(claimed!), interrupted: row.status === 'sending' };
    });
  }

  /**
   * Puts a failed or unconfirmed delivery back to `pending` so it is sent again, and records who decided
   * that. Null for an unknown id; the delivery unchanged when its status does not allow it.
   */
  async reopen(id: string, actor: Actor): Promise<{ reopened: boolean; delivery: Delivery } | null> {
    if (!isUuid(id)) return null;
    return this.em.transactional(async (em) => {
      const [row] = await sqlOf(em)<Row[]>(`select * from deliveries where id = ? for update`, [id]);
      if (!row) return null;
      if (row.status !== 'failed' && row.status !== 'unconfirmed') {
        return { reopened: false, delivery: toDelivery(row) };
      }
      const [after] = await sqlOf(em)<Row[]>(
        `update deliveries set status = 'pending', updated_at = now() where id = ? returning *`,
        [id],
      );
      await new AuditRepository(em).record({
        actor,
        action: 'delivery.resent',
        entity: 'delivery',
        entityId: id,
        before: { status: row.status, attempts: row.attempts, lastError: row.last_error },
        after: { status: 'pending' },
      });
      return { reopened: true, delivery: toDelivery(after!) };
    });
  }

  /**
   * Records the outcome of the attempt that claimed the delivery (its attempt number). An attempt that was
   * given up on meanwhile (a later one found it `sending`) changes nothing when it finally ends.
   */
  async recordOutcome(
    id: string,
    attempt: number,
    status: 'retrying' | 'sent' | 'unconfirmed',
    error: string | null,
  ): Promise<void> {
    await sqlOf(this.em)(
      `update deliveries set status = ?, last_error = coalesce(?, last_error), updated_at = now(),
         sent_at = case when ? = 'sent' then now() else sent_at end
       where id = ? and status = 'sending' and attempts = ?`,
      [status, error, status, id, attempt],
    );
  }

  /** Marks a delivery failed for good once its attempts are used up; one that settled otherwise stays. */
  async fail(id: string, error: string): Promise<void> {
    await sqlOf(this.em)(
      `update deliveries set status = 'failed', last_error = ?, updated_at = now()
       where id = ? and status in ('pending', 'sending', 'retrying')`,
      [error, id],
    );
  }

  /** Deliveries newest first, optionally of one order, status or channel. */
  async list(filter: DeliveryFilter): Promise<Page<Delivery>> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.orderId) {
      where.push('order_id = ?');
      params.push(filter.orderId);
    }
    if (filter.status) {
      where.push('status = ?');
      params.push(filter.status);
    }
    if (filter.channel) {
      where.push('channel = ?');
      params.push(filter.channel);
    }
    if (filter.cursor) {
      const [createdAt, id] = decodeCursor(filter.cursor, 'time');
      where.push(`(date_trunc('milliseconds', created_at), id) < (?::timestamptz, ?::uuid)`);
      params.push(createdAt, id);
    }
    const rows = await sqlOf(this.em)<Row[]>(
      `select * from deliveries ${where.length ? `where ${where.join(' and ')}` : ''}
        order by date_trunc('milliseconds', created_at) desc, id desc limit ?`,
      [...params, filter.limit + 1],
    );
    return pageOf(rows.map(toDelivery), filter.limit, (d) => [d.createdAt, d.id]);
  }
}
