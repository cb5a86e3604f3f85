import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../../domain/order';
import type { Assignee } from './assignment.repository';
import { AuditRepository } from './audit.repository';
import { arrayLiteral, sqlOf } from './sql';

/** Whom a person's work goes to while they are away, and until when. */
export interface Delegation {
  delegate: Assignee;
  until: Date;
}

interface DelegationRow {
  id: string;
  username: string;
  display_name: string;
  until: Date | string;
}

const toDelegation = (row: DelegationRow): Delegation => ({
  delegate: { id: row.id, username: row.username, displayName: row.display_name },
  until: new Date(row.until),
});

/**
 * Delegations (columns `delegate_id`, `delegate_until` of `users`). One is in force while its `until` lies
 * ahead of the database's clock at the moment of use, and its delegate is enabled.
 */
export class DelegationRepository {
  constructor(private readonly em: EntityManager) {}

  /** The user's delegation as stored (also one that has run out), or null. */
  async of(userId: string): Promise<Delegation | null> {
    const [row] = await sqlOf(this.em)<DelegationRow[]>(
      `select d.id, d.username, d.display_name, u.delegate_until as until
         from users u join users d on d.id = u.delegate_id where u.id = ?`,
      [userId],
    );
    return row ? toDelegation(row) : null;
  }

  /** Sets or clears the actor's delegation and audits the change, in one transaction. */
  async set(actor: Actor, next: { delegateId: string; until: Date } | null): Promise<Delegation | null> {
    return this.em.transactional(async (em) => {
      const repository = new DelegationRepository(em);
      const before = await repository.of(actor.id);
      await sqlOf(em)(`update users set delegate_id = ?, delegate_until = ? where id = ?`, [
        next?.delegateId ?? null,
        next?.until ?? null,
        actor.id,
      ]);
      const after = await repository.of(actor.id);
      await new AuditRepository(em).record({
        actor,
        action: after ? 'user.delegated' : 'user.delegation_ended',
        entity: 'user',
        entityId: actor.id,
        before: before && { delegate: before.delegate.username, until: before.until.toISOString() },
        after: after && { delegate: after.delegate.username, until: after.until.toISOString() },
      });
      return after;
    });
  }

  /** The delegates in force now of these users (by username), each an enabled user. */
  async inForce(usernames: readonly string[]): Promise<Map<string, string>> {
    if (usernames.length === 0) return new Map();
    const rows = await sqlOf(this.em)<{ away: string; delegate: string }[]>(
      `select u.username as away, d.username as delegate
         from users u join users d on d.id = u.delegate_id
        where u.username = any(?::text[]) and u.delegate_until > now() and not d.disabled`,
      [arrayLiteral(usernames)],
    );
    return new Map(rows.map((row) => [row.away, row.delegate]));
  }
}
