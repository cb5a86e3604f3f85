import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../domain/order';
import type { Role } from '../entities';
import { AuditRepository } from './audit.repository';
import { isUuid } from './ids';
import { arrayLiteral, sqlOf } from './sql';

/** Where the database announces each ended session (the `sessions_ended` trigger). */
export const SESSION_EVENTS_CHANNEL = 'oms_sessions';

/** What the channel says of an ended session. */
export interface SessionEnded {
  sessionId: string;
  userId: string;
}

export type SessionKind = 'console' | 'token';

/** The user behind an open session, as the request needs them. */
export interface SessionUser {
  id: string;
  username: string;
  roles: Role[];
  disabled: boolean;
  tokenVersion: number;
}

/** How long ended and expired sessions are kept before they are deleted. */
const KEEP_ENDED = '1 day';

/**
 * Sign-ins as rows: a token names its session, and the session must be open (not ended, not expired) on
 * every request. Ending one is announced by the database to every API instance (see the migration).
 */
export class SessionRepository {
  constructor(private readonly em: EntityManager) {}

  /** Opens a session of the user for `ttlSeconds`. */
  async start(userId: string, kind: SessionKind, ttlSeconds: number): Promise<string> {
    const id = randomUUID();
    await sqlOf(this.em)(
      `insert into sessions (id, user_id, kind, expires_at)
       values (?, ?, ?, now() + make_interval(secs => ?))`,
      [id, userId, kind, ttlSeconds],
    );
    return id;
  }

  /** The user of the session when it is open and belongs to them; null otherwise. One indexed read. */
  async openSessionUser(sessionId: string, userId: string): Promise<SessionUser | null> {
    if (!isUuid(sessionId) || !isUuid(userId)) return null;
    const [row] = await sqlOf(this.em)<
      { id: string; username: string; roles: Role[]; disabled: boolean; token_version: number }[]
    >(
      `select u.id, u.username, u.roles, u.disabled, u.token_version
         from sessions s join users u on u.id = s.user_id
        where s.id = ? and s.user_id = ? and s.ended_at is null and s.expires_at > now()`,
      [sessionId, userId],
    );
    if (!row) return null;
    const { token_version: tokenVersion, ...user } = row;
    return { ...user, tokenVersion };
  }

  /** Which of these sessions are still open. */
  async stillOpen(sessionIds: readonly string[]): Promise<Set<string>> {
    const ids = sessionIds.filter(isUuid);
    if (ids.length === 0) return new Set();
    const rows = await sqlOf(this.em)<{ id: string }[]>(
      `select id from sessions where id = any(?::uuid[]) and ended_at is null and expires_at > now()`,
      [arrayLiteral(ids)],
    );
    return new Set(rows.map((row) => row.id));
  }

  /** Ends one session; false when it was not open. */
  async end(sessionId: string): Promise<boolean> {
    if (!isUuid(sessionId)) return false;
    const rows = await sqlOf(this.em)(
      `update sessions set ended_at = now() where id = ? and ended_at is null returning id`,
      [sessionId],
    );
    return rows.length > 0;
  }

  /** Ends every open session of the user ("sign out everywhere"); returns how many there were. */
  async endAllOf(userId: string): Promise<number> {
    if (!isUuid(userId)) return 0;
    const rows = await sqlOf(this.em)(
      `update sessions set ended_at = now() where user_id = ? and ended_at is null returning id`,
      [userId],
    );
    return rows.length;
  }

  /** Ends every open session of the user on someone else's decision, recorded in the audit log. */
  async endAllOfByDecision(userId: string, actor: Actor): Promise<number> {
    return this.em.transactional(async (em) => {
      const ended = await new SessionRepository(em).endAllOf(userId);
      await new AuditRepository(em).record({
        actor,
        action: 'user.sessions_ended',
        entity: 'user',
        entityId: userId,
        before: null,
        after: { ended },
      });
      return ended;
    });
  }

  /** Deletes sessions that ended or expired more than a day ago; returns how many. */
  async purge(): Promise<number> {
    const rows = await sqlOf(this.em)(
      `delete from sessions where expires_at < now() - interval '${KEEP_ENDED}'
          or ended_at < now() - interval '${KEEP_ENDED}' returning id`,
    );
    return rows.length;
  }
}
