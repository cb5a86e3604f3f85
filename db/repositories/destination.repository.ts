import type { EntityManager } from '@mikro-orm/postgresql';
import type { BreakerState, Channel } from '../../domain/notifications';
import type { Actor } from '../../domain/order';
import { AuditRepository } from './audit.repository';
import { isUuid } from './ids';
import { sqlOf } from './sql';

/** A destination as operators see it: its breaker, whether it is paused, and what waits for it. */
export interface DestinationView {
  id: string;
  /** `smtp` or `webhook:<host[:port]>`. */
  name: string;
  channel: Channel;
  state: BreakerState;
  paused: boolean;
  pausedAt: string | null;
  pausedBy: { id: string; username: string } | null;
  /** Deliveries waiting in the outbox for it (pending, retrying, or being sent). */
  waiting: number;
  /** When the oldest of them was planned, and how long ago, in seconds. */
  oldestWaitingAt: string | null;
  oldestWaitingSeconds: number | null;
  /** Consecutive failures. */
  failures: number;
  openedAt: string | null;
  nextProbeAt: string | null;
  lastError: string | null;
  lastFailureAt: string | null;
  lastSuccessAt: string | null;
}

/** A time from raw SQL: the driver may give a Date or the text of one. */
type SqlTime = Date | string;

interface Row {
  id: string;
  key: string;
  channel: Channel;
  state: BreakerState;
  paused: boolean;
  paused_at: SqlTime | null;
  paused_by: { id: string; username: string } | null;
  waiting: number;
  oldest: SqlTime | null;
  oldest_seconds: number | string | null;
  failures: number;
  opened_at: SqlTime | null;
  next_probe_at: SqlTime | null;
  last_error: string | null;
  last_failure_at: SqlTime | null;
  last_success_at: SqlTime | null;
}

const iso = (value: SqlTime | null) => (value === null ? null : new Date(value).toISOString());

const toView = (row: Row): DestinationView => ({
  id: row.id,
  name: row.key,
  channel: row.channel,
  state: row.state,
  paused: row.paused,
  pausedAt: iso(row.paused_at),
  pausedBy: row.paused_by ? { id: row.paused_by.id, username: row.paused_by.username } : null,
  waiting: row.waiting,
  oldestWaitingAt: iso(row.oldest),
  oldestWaitingSeconds:
    row.oldest_seconds === null ? null : Math.max(0, Math.round(Number(row.oldest_seconds))),
  failures: row.failures,
  openedAt: iso(row.opened_at),
  nextProbeAt: iso(row.next_probe_at),
  lastError: row.last_error,
  lastFailureAt: iso(row.last_failure_at),
  lastSuccessAt: iso(row.last_success_at),
});

const SELECT = `
  select d.id, d.key, d.channel, d.state, d.paused, d.paused_at, d.paused_by, d.failures, d.opened_at,
         d.next_probe_at, d.last_error, d.last_failure_at, d.last_success_at,
         coalesce(w.waiting, 0)::int as waiting, w.oldest,
         extract(epoch from now() - w.oldest)::float8 as oldest_seconds
    from delivery_destinations d
    left join (select destination, count(*) as waiting, min(created_at) as oldest
                 from deliveries where status in ('pending', 'retrying', 'sending')
                group by destination) w on w.destination = d.key`;

/**
 * The destinations of deliveries as operators see and steer them: the breakers the dispatcher keeps, the
 * outbox depth and oldest wait of each, and a manager's pause. Read by the API, its health and its metrics.
 */
export class DestinationRepository {
  constructor(private readonly em: EntityManager) {}

  /** Every destination, by name. */
  async list(): Promise<DestinationView[]> {
    return (await sqlOf(this.em)<Row[]>(`${SELECT} order by d.key`)).map(toView);
  }

  async find(id: string): Promise<DestinationView | null> {
    if (!isUuid(id)) return null;
    const [row] = await sqlOf(this.em)<Row[]>(`${SELECT} where d.id = ?`, [id]);
    return row ? toView(row) : null;
  }

  /**
   * Pauses (nothing is sent to it, not even a probe; its deliveries wait) or resumes a destination, and
   * records who did it. A resumed destination whose breaker is open is probed at once. Null for an unknown
   * id; `changed` false when it already was so.
   */
  async setPaused(
    id: string,
    paused: boolean,
    actor: Actor,
  ): Promise<{ changed: boolean; destination: DestinationView } | null> {
    if (!isUuid(id)) return null;
    return this.em.transactional(async (em) => {
      const sql = sqlOf(em);
      const [current] = await sql<{ key: string; paused: boolean }[]>(
        `select key, paused from delivery_destinations where id = ? for update`,
        [id],
      );
      if (!current) return null;
      if (current.paused !== paused) {
        await sql(
          `update delivery_destinations set paused = ?, updated_at = now(),
             paused_at = case when ? then now() end,
             paused_by = case when ? then ?::jsonb end,
             next_probe_at = case when not ? and state <> 'closed' then now() else next_probe_at end
           where id = ?`,
          [paused, paused, paused, JSON.stringify({ id: actor.id, username: actor.username }), paused, id],
        );
        await new AuditRepository(em).record({
          actor,
          action: paused ? 'delivery_destination.paused' : 'delivery_destination.resumed',
          entity: 'delivery_destination',
          entityId: current.key,
          before: { paused: current.paused },
          after: { paused },
        });
      }
      const [row] = await sql<Row[]>(`${SELECT} where d.id = ?`, [id]);
      return { changed: current.paused !== paused, destination: toView(row!) };
    });
  }
}
