import type { EntityManager } from '@mikro-orm/postgresql';
import { createHash } from 'node:crypto';
import type { CloudEvent } from '../../domain/cloud-events';
import { isUuid } from './ids';
import { sqlOf } from './sql';

/** `after` names no event of the stream. */
export class UnknownEventError extends Error {}

/**
 * The id of the event recorded under a dedup key (order, kind, occurrence): a UUID derived from the key, so a
 * retried step names the same event as the first run, in the webhook calls and the stream alike.
 */
export function eventIdOf(dedupKey: string): string {
  const hex = createHash('sha256').update(`integration-event:${dedupKey}`).digest('hex');
  // The version (8: custom) and variant bits of RFC 9562.
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Serialises the writers of the stream until they commit (see record). */
const WRITERS_LOCK = `pg_advisory_xact_lock(hashtext('integration_events'))`;

/**
 * The order events machine clients read (`integration_events`): appended once per occurrence, read in the
 * order they were recorded. A poller resumes after the last id it read and neither misses nor repeats one.
 */
export class IntegrationEventRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * Appends the event unless its dedup key was recorded before (a retried step). The writers take one lock
   * until they commit, so positions become visible in increasing order: without it a reader could see
   * position 6 committed while 5 was still in flight, move past it, and never read 5. One statement, so on
   * its own it is its own transaction, and the lock is let go as it commits.
   */
  async record(dedupKey: string, event: CloudEvent): Promise<void> {
    await sqlOf(this.em)(
      `with writers as (select ${WRITERS_LOCK})
       insert into integration_events (id, dedup_key, type, order_id, event)
       select ?::uuid, ?, ?, ?::uuid, ?::jsonb from writers
       on conflict (dedup_key) do nothing`,
      [event.id, dedupKey, event.type, event.subject, JSON.stringify(event)],
    );
  }

  /**
   * Up to `limit` events after the one `after` names (from the first without it), oldest first. Throws
   * UnknownEventError when `after` names none.
   */
  async after(after: string | undefined, limit: number): Promise<CloudEvent[]> {
    const sql = sqlOf(this.em);
    let position = 0;
    if (after !== undefined) {
      if (!isUuid(after)) throw new UnknownEventError();
      const [row] = await sql<{ position: string }[]>(
        `select position::text as position from integration_events where id = ?::uuid`,
        [after],
      );
      if (!row) throw new UnknownEventError();
      position = Number(row.position);
    }
    const rows = await sql<{ event: CloudEvent }[]>(
      `select event from integration_events where position > ? order by position limit ?`,
      [position, limit],
    );
    return rows.map((row) => row.event);
  }
}
