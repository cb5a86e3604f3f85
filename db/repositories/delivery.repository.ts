import { LockMode, type FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { destinationOf } from '../../domain/delivery.rules';
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
  /** Null for a message about no one order (the daily digest). */
  orderId: string | null;
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

/** How often a delivery is tried and how long it waits after its own failures; kept in its row. */
export interface DeliveryPolicy {
  attempts: number;
  retryIntervalMs: number;
}

export interface Delivery {
  id: string;
  orderId: string | null;
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
  /** `smtp` or `webhook:<host>`; null on deliveries that settled before the outbox. */
  destination: string | null;
  /** When a waiting delivery is due. */
  nextAttemptAt: string;
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
  destination: row.destination,
  nextAttemptAt: row.nextAttemptAt.toISOString(),
});

export interface DeliveryFilter {
  orderId?: string;
  status?: DeliveryStatus;
  channel?: Channel;
  limit: number;
  cursor?: string;
}

/**
 * E-mails and webhook calls, one row per message and recipient: the outbox. Planning writes waiting rows (the
 * unique dedup key makes it idempotent) and nothing else; the delivery worker's dispatcher sends them (see
 * OutboxRepository). A person may put a failed or unconfirmed one back.
 */
export class DeliveryRepository {
  constructor(private readonly em: EntityManager) {}

  /** Deliveries counted by channel and status (for metrics). */
  async countByChannelAndStatus(): Promise<{ channel: string; status: string; count: number }[]> {
    return sqlOf(this.em)<{ channel: string; status: string; count: number }[]>(
      `select channel, status, count(*)::int as count from deliveries group by channel, status`,
    );
  }

  /**
   * Puts the deliveries not planned before into the outbox, due now, in one statement; a message planned
   * before (a retried step) is left as it is. Answers how many were new.
   */
  async plan(deliveries: NewDelivery[], policy: DeliveryPolicy): Promise<number> {
    if (deliveries.length === 0) return 0;
    const row = `(${Array.from({ length: 14 }, () => '?').join(', ')})`;
    const rows = deliveries.map(() => row);
    const params = deliveries.flatMap((d) => [
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
      destinationOf(d.channel, d.address),
      policy.attempts,
      policy.retryIntervalMs,
    ]);
    const inserted = await sqlOf(this.em)<{ id: string }[]>(
      `insert into deliveries (dedup_key, order_id, kind, channel, recipient, address, subject, text_body,
         html_body, payload, webhook_id, destination, max_attempts, retry_interval_ms)
       select dedup_key, order_id::uuid, kind, channel, recipient, address, subject, text_body, html_body,
              payload::jsonb, webhook_id::uuid, destination, max_attempts::int, retry_interval_ms::int
         from (values ${rows.join(', ')}) as planned (dedup_key, order_id, kind, channel, recipient, address,
              subject, text_body, html_body, payload, webhook_id, destination, max_attempts, retry_interval_ms)
       on conflict (dedup_key) do nothing
       returning id`,
      params,
    );
    return inserted.length;
  }

  async find(id: string): Promise<Delivery | null> {
    if (!isUuid(id)) return null;
    const row = await this.em.findOne(DeliveryEntity, { id });
    return row && toDelivery(row);
  }

  /**
   * Puts a failed or unconfirmed delivery back into the outbox, due now, so it is sent again, and records
   * who decided that. Null for an unknown id; the delivery unchanged when its status does not allow it.
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
      em.assign(row, {
        status: 'pending',
        destination: destinationOf(row.channel, row.address),
        nextAttemptAt: new Date(),
        leaseUntil: null,
        failures: 0,
      });
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
   * A delivery whose workflow (from before the outbox) runs an attempt now: it stays in the outbox, which
   * sends it; a delivery from before the outbox's migration gets its destination. Answers its status.
   */
  async handOver(id: string): Promise<DeliveryStatus | null> {
    const row = await this.em.findOne(DeliveryEntity, { id });
    if (!row) return null;
    if (row.destination === null && !['sent', 'failed', 'unconfirmed'].includes(row.status)) {
      await this.em.nativeUpdate(
        DeliveryEntity,
        { id, destination: null },
        { destination: destinationOf(row.channel, row.address) },
      );
    }
    return row.status;
  }

  /**
   * Marks a delivery failed for good once the attempts of its workflow (from before the outbox) are used
   * up, with the last error; one that settled otherwise stays.
   */
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
