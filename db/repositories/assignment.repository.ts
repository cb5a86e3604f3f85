import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../../domain/order';
import { AuditRepository } from './audit.repository';
import { arrayLiteral, sqlOf } from './sql';

/** The person an order is assigned to, as answers show them. */
export interface Assignee {
  id: string;
  username: string;
  displayName: string;
}

/** What a change of assignment did: the assignee after it, and whether this request changed it. */
export interface AssignmentChange {
  changed: boolean;
  assignee: Assignee | null;
}

interface AssigneeRow {
  order_id: string;
  id: string;
  username: string;
  display_name: string;
}

/**
 * Who works on which order (table `order_assignments`). Every change is one conditional statement, so
 * concurrent claims are decided by PostgreSQL's row lock, and is audited in the same transaction.
 */
export class AssignmentRepository {
  constructor(private readonly em: EntityManager) {}

  /** The assignees of these orders; orders nobody holds are absent. */
  async of(orderIds: readonly string[]): Promise<Map<string, Assignee>> {
    if (orderIds.length === 0) return new Map();
    const rows = await sqlOf(this.em)<AssigneeRow[]>(
      `select a.order_id, u.id, u.username, u.display_name
         from order_assignments a join users u on u.id = a.user_id
        where a.order_id = any(?::uuid[])`,
      [arrayLiteral(orderIds)],
    );
    return new Map(rows.map((row) => [row.order_id, assignee(row)]));
  }

  /**
   * Gives the order to `userId` when nobody holds it (or `userId` already does). With `force` (a manager's
   * assignment) it takes the order from whoever holds it. Answers the assignee after the statement.
   */
  async assign(orderId: string, userId: string, by: Actor, force: boolean): Promise<AssignmentChange> {
    return this.em.transactional(async (em) => {
      const sql = sqlOf(em);
      const before = (await new AssignmentRepository(em).of([orderId])).get(orderId) ?? null;
      // The upsert's WHERE is checked on the row as committed by a concurrent claim (PostgreSQL waits for
      // its lock), so of two simultaneous claims on a free order exactly one sets the user.
      const won = await sql<{ user_id: string }[]>(
        `insert into order_assignments (order_id, user_id, assigned_by, assigned_at)
              values (?, ?, ?::jsonb, now())
         on conflict (order_id) do update
               set user_id = excluded.user_id, assigned_by = excluded.assigned_by, assigned_at = now()
             where ?::boolean or order_assignments.user_id is null or order_assignments.user_id = excluded.user_id
         returning user_id`,
        [orderId, userId, JSON.stringify(actorView(by)), force],
      );
      const after = (await new AssignmentRepository(em).of([orderId])).get(orderId) ?? null;
      const changed = won.length > 0 && before?.id !== userId;
      if (changed) {
        await new AuditRepository(em).record({
          actor: by,
          action: by.id === userId ? 'order.claimed' : 'order.assigned',
          entity: 'order',
          entityId: orderId,
          before: { assignee: before },
          after: { assignee: after },
        });
      }
      return { changed, assignee: after };
    });
  }

  /** Frees the order; with `holder`, only when that user holds it. Answers the assignee after. */
  async unassign(orderId: string, by: Actor, holder?: string): Promise<AssignmentChange> {
    return this.em.transactional(async (em) => {
      const before = (await new AssignmentRepository(em).of([orderId])).get(orderId) ?? null;
      if (before === null) return { changed: false, assignee: null };
      const freed = await sqlOf(em)<{ order_id: string }[]>(
        `update order_assignments set user_id = null, assigned_by = ?::jsonb, assigned_at = now()
          where order_id = ? and user_id = ? returning order_id`,
        [JSON.stringify(actorView(by)), orderId, holder ?? before.id],
      );
      if (freed.length === 0) return { changed: false, assignee: before };
      await new AuditRepository(em).record({
        actor: by,
        action: 'order.unclaimed',
        entity: 'order',
        entityId: orderId,
        before: { assignee: before },
        after: { assignee: null },
      });
      return { changed: true, assignee: null };
    });
  }
}

function assignee(row: Omit<AssigneeRow, 'order_id'>): Assignee {
  return { id: row.id, username: row.username, displayName: row.display_name };
}

function actorView({ id, username, roles }: Actor) {
  return { id, username, roles };
}
