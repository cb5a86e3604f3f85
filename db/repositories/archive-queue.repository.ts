import type { EntityManager } from '@mikro-orm/postgresql';
import { arrayLiteral, sqlOf } from './sql';

/** A queued archive an archiver has claimed: its lease runs until it is settled or the lease runs out. */
export interface ClaimedArchive {
  orderId: string;
  /** How often it has been claimed, this time included. */
  attempts: number;
}

/** How many archives wait, and since when the oldest has (null when none waits). */
export interface ArchiveQueueDepth {
  waiting: number;
  oldestWaitingSeconds: number | null;
}

/**
 * The orders whose archive is due (`order_archive_queue`): queued when an order closes, claimed by the
 * worker's archiver with `FOR UPDATE SKIP LOCKED` (so each worker process takes others than the rest), and
 * deleted once the archive is written. A claimed row is due again when its lease runs out, so an archiver
 * that dies leaves its rows to the next.
 */
export class ArchiveQueueRepository {
  constructor(private readonly em: EntityManager) {}

  private get sql() {
    return sqlOf(this.em);
  }

  /** Queues the order's archive, due in `afterMs`; an order already queued keeps its place. */
  async enqueue(orderId: string, afterMs: number): Promise<void> {
    await this.sql(
      `insert into order_archive_queue (order_id, due_at) values (?, now() + ? * interval '1 millisecond')
       on conflict (order_id) do nothing`,
      [orderId, afterMs],
    );
  }

  /** Claims up to `limit` due archives, oldest first, each for `leaseMs`. */
  async claim(limit: number, leaseMs: number): Promise<ClaimedArchive[]> {
    return this.sql<ClaimedArchive[]>(
      `update order_archive_queue q
          set due_at = now() + ? * interval '1 millisecond', attempts = q.attempts + 1
        where q.order_id in (select order_id from order_archive_queue where due_at <= now()
                              order by due_at limit ? for update skip locked)
        returning q.order_id as "orderId", q.attempts`,
      [leaseMs, limit],
    );
  }

  /** The archive is written: the order leaves the queue. */
  async done(orderId: string): Promise<void> {
    await this.sql(`delete from order_archive_queue where order_id = ?`, [orderId]);
  }

  /** Gives claimed archives back unwritten (an archiver that stops): due again at once. */
  async release(orderIds: string[]): Promise<void> {
    if (orderIds.length === 0) return;
    await this.sql(`update order_archive_queue set due_at = now() where order_id = any(?::uuid[])`, [
      arrayLiteral(orderIds),
    ]);
  }

  /** The archive could not be written yet: tried again in `delayMs`, with the reason kept. */
  async retryLater(orderId: string, delayMs: number, error: string): Promise<void> {
    await this.sql(
      `update order_archive_queue set due_at = now() + ? * interval '1 millisecond', last_error = ?
        where order_id = ?`,
      [delayMs, error.slice(0, 2000), orderId],
    );
  }

  async depth(): Promise<ArchiveQueueDepth> {
    const [row] = await this.sql<{ waiting: number; oldest: number | null }[]>(
      `select count(*)::int as waiting,
              extract(epoch from now() - min(queued_at))::float8 as oldest
         from order_archive_queue`,
    );
    return { waiting: row?.waiting ?? 0, oldestWaitingSeconds: row?.oldest ?? null };
  }
}
