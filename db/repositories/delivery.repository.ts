import { LockMode, type FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Channel, DeliveryStatus } from '../../domain/notifications';
import type { Actor } from '../../domain/order';
import { DeliveryEntity } from '../entities';
import { AuditRepository } from './audit.repository';
import { isUuid } from './ids';
import { newestFirst, pageOf, type Page } from './pagination';
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

const toDelivery = (row: DeliveryEntity): Delivery => ({
  id: row.id,
  orderId: row.orderId,
  kind: row.kind,
  channel: row.channel,
  recipient: row.recipient,
  address: row.address,
  subject: row.subject,
  textBody: row.textBody,
  htmlBody: row.htmlBody,
  payload: row.payload,
  webhookId: row.webhookId,
  status: row.status,
  attempts: row.attempts,
  lastError: row.lastError,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
  sentAt: row.sentAt?.toISOString() ?? null,
});

export interface DeliveryFilter {
  orderId?: string;
  status?: DeliveryStatus;
  channel?: Channel;
  limit: number;
  cursor?: string;
}

/** A delivery in one of these is settled: it must not be sent (again). */
const SETTLED: readonly DeliveryStatus[] = ['sent', 'failed', 'unconfirmed'];

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
    const row = await this.em.findOne(DeliveryEntity, { id });
    return row && toDelivery(row);
  }

  /**
   * Marks the delivery `sending` and counts the attempt, committed before anything is sent. A delivery
   * already sent, failed for good or unconfirmed is returned as settled and must not be sent.
   */
  async claim(id: string): Promise<Claim> {
    return this.em.transactional(async (em) => {
      const row = await em.findOne(DeliveryEntity, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!row) throw new Error(`delivery ${id} does not exist`);
      if (SETTLED.includes(row.status)) return { state: 'settled', delivery: toDelivery(row) };
      const interrupted = row.status === 'sending';
      em.assign(row, { status: 'sending', attempts: row.attempts + 1 });
      await em.flush();
      return { state: 'claimed', delivery: toDelivery(row), interrupted };
    });
  }

  /**
   * Puts a failed or unconfirmed delivery back to `pending` so it is sent again, and records who decided
   * that. Null for an unknown id; the delivery unchanged when its status does not allow it.
   */
  async reopen(id: string, actor: Actor): Promise<{ reopened: boolean; delivery: Delivery } | null> {
    if (!isUuid(id)) return null;
    return this.em.transactional(async (em) => {
      const row = await em.findOne(DeliveryEntity, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!row) return null;
      if (row.status !== 'failed' && row.status !== 'unconfirmed') {
        return { reopened: false, delivery: toDelivery(row) };
      }
      const before = { status: row.status, attempts: row.attempts, lastError: row.lastError };
      em.assign(row, { status: 'pending' });
      await em.flush();
      await new AuditRepository(em).record({
        actor,
        action: 'delivery.resent',
        entity: 'delivery',
        entityId: id,
        before,
        after: { status: 'pending' },
      });
      return { reopened: true, delivery: toDelivery(row) };
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
    const now = new Date();
    await this.em.nativeUpdate(
      DeliveryEntity,
      { id, status: 'sending', attempts: attempt },
      {
        status,
        updatedAt: now,
        ...(error !== null ? { lastError: error } : {}),
        ...(status === 'sent' ? { sentAt: now } : {}),
      },
    );
  }

  /** Marks a delivery failed for good once its attempts are used up; one that settled otherwise stays. */
  async fail(id: string, error: string): Promise<void> {
    await this.em.nativeUpdate(
      DeliveryEntity,
      { id, status: { $in: ['pending', 'sending', 'retrying'] } },
      { status: 'failed', lastError: error, updatedAt: new Date() },
    );
  }

  /** Deliveries newest first, optionally of one order, status or channel. */
  async list(filter: DeliveryFilter): Promise<Page<Delivery>> {
    const where: FilterQuery<DeliveryEntity>[] = [];
    if (filter.orderId) where.push({ orderId: filter.orderId });
    if (filter.status) where.push({ status: filter.status });
    if (filter.channel) where.push({ channel: filter.channel });
    if (filter.cursor) where.push(newestFirst.after(filter.cursor));
    const rows = await this.em.find(DeliveryEntity, where.length ? { $and: where } : {}, {
      orderBy: newestFirst.orderBy,
      limit: filter.limit + 1,
    });
    return pageOf(rows.map(toDelivery), filter.limit, (d) => [d.createdAt, d.id]);
  }
}
