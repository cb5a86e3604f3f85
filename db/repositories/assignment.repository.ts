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
  subject_id: string;
  id: string;
  username: string;
  display_name: string;
}

/** What can be held by a person: its table of assignments, the table's key, and its audit entity. */
export interface AssignmentSubject {
  table: 'order_assignments' | 'return_assignments';
  key: 'order_id' | 'return_id';
  entity: 'order' | 'return';
}

export const ORDER_ASSIGNMENTS: AssignmentSubject = {
  table: 'order_assignments',
  key: 'order_id',
  entity: 'order',
};
export const RETURN_ASSIGNMENTS: AssignmentSubject = {
  table: 'return_assignments',
  key: 'return_id',
  entity: 'return',
};

/**
 * Who works on which order (table `order_assignments`), or which return (`return_assignments`, see
 * `ReturnAssignmentRepository`). Every change is one conditional statement, so
 * concurrent claims are decided by PostgreSQL's row lock, and is audited in the same transaction.
 */
export class AssignmentRepository {
  constructor(
    private readonly em: EntityManager,
    private readonly subject: AssignmentSubject = ORDER_ASSIGNMENTS,
  ) {}

  /** The assignees of these orders (returns); those nobody holds are absent. */
  async of(orderIds: readonly string[]): Promise<Map<string, Assignee>> {
    if (orderIds.length === 0) return new Map();
    const { table, key } = this.subject;
    const rows = await sqlOf(this.em)<AssigneeRow[]>(
      `select a.${key} as subject_id, u.id, u.username, u.display_name
         from ${table} a join users u on u.id = a.user_id
        where a.${key} = any(?::uuid[])`,
      [arrayLiteral(orderIds)],
    );
    return new Map(rows.map((row) => [row.subject_id, assignee(row)]));
  }

  /**
   * Gives the order to `userId` when nobody holds it (or `userId` already does). With `force` (a manager's
   * assignment) it takes the order from whoever holds it. Answers the assignee after the statement.
   */
  async assign(orderId: string, userId: string, by: Actor, force: boolean): Promise<AssignmentChange> {
    const { table, key, entity } = this.subject;
    return this.em.transactional(async (em) => {
      const sql = sqlOf(em);
      const before = (await new AssignmentRepository(em, this.subject).of([orderId])).get(orderId) ?? null;
      // The upsert's WHERE is checked on the row as committed by a concurrent claim (PostgreSQL waits for
      // its lock), so of two simultaneous claims on a free order exactly one sets the user.
      const won = await sql<{ user_id: string }[]>(
        `insert into ${table} (${key}, user_id, assigned_by, assigned_at)
              values (?, ?, ?::jsonb, now())
         on conflict (${key}) do update
               set user_id = excluded.user_id, assigned_by = excluded.assigned_by, assigned_at = now()
             where ?::boolean or ${table}.user_id is null or ${table}.user_id = excluded.user_id
         returning user_id`,
        [orderId, userId, JSON.stringify(actorView(by)), force],
      );
      const after = (await new AssignmentRepository(em, this.subject).of([orderId])).get(orderId) ?? null;
      const changed = won.length > 0 && before?.id !== userId;
      if (changed) {
        await new AuditRepository(em).record({
          actor: by,
          action: by.id === userId ? `${entity}.claimed` : `${entity}.assigned`,
          entity,
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
    const { table, key, entity } = this.subject;
    return this.em.transactional(async (em) => {
      const before = (await new AssignmentRepository(em, this.subject).of([orderId])).get(orderId) ?? null;
      if (before === null) return { changed: false, assignee: null };
      const freed = await sqlOf(em)<unknown[]>(
        `update ${table} set user_id = null, assigned_by = ?::jsonb, assigned_at = now()
          where ${key} = ? and user_id = ? returning ${key}`,
        [JSON.stringify(actorView(by)), orderId, holder ?? before.id],
      );
      if (freed.length === 0) return { changed: false, assignee: before };
      await new AuditRepository(em).record({
        actor: by,
        action: `${entity}.unclaimed`,
        entity,
        entityId: orderId,
        before: { assignee: before },
        after: { assignee: null },
      });
      return { changed: true, assignee: null };
    });
  }
}

/** Who works on which return (table `return_assignments`): the same statements as for orders. */
export class ReturnAssignmentRepository extends AssignmentRepository {
  constructor(em: EntityManager) {
    super(em, RETURN_ASSIGNMENTS);
  }
}

function assignee(row: Omit<AssigneeRow, 'subject_id'>): Assignee {
  return { id: row.id, username: row.username, displayName: row.display_name };
}

function actorView({ id, username, roles }: Actor) {
  return { id, username, roles };
}
