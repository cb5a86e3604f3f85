import type { EntityManager } from '@mikro-orm/postgresql';
import type { Awaiting } from '../../domain/order';
import { TASK_WAITS, type TaskScope } from '../../domain/tasks';
import type { Assignee } from './assignment.repository';
import { arrayLiteral, sqlOf } from './sql';

/** An open order that waits for a person. */
export interface TaskRow {
  orderId: string;
  number: string;
  awaiting: Awaiting;
  waitingSince: Date;
  total: number;
  currency: string;
  assignee: Assignee | null;
}

interface Row {
  id: string;
  number: string;
  awaiting: Awaiting;
  since: Date;
  total: string;
  currency: string;
  user_id: string | null;
  username: string | null;
  display_name: string | null;
}

/** Open orders that wait for a person's action, oldest wait first (read from the orders' mirror). */
export class TaskRepository {
  constructor(private readonly em: EntityManager) {}

  async list(scope: TaskScope, userId: string, limit: number): Promise<TaskRow[]> {
    const condition = {
      // Mine: what I hold, and what those who delegated to me hold while the delegation is in force.
      mine: `(a.user_id = ?::uuid or a.user_id in
               (select id from users where delegate_id = ?::uuid and delegate_until > now()))`,
      unassigned: 'a.user_id is null',
      team: 'a.user_id is not null',
    }[scope];
    const rows = await sqlOf(this.em)<Row[]>(
      `select o.id, o.number, o.awaiting, coalesce(o.awaiting_since, o.updated_at) as since, o.total, o.currency,
              u.id as user_id, u.username, u.display_name
         from orders o
         left join order_assignments a on a.order_id = o.id
         left join users u on u.id = a.user_id
        where o.awaiting = any(?::text[]) and ${condition}
        order by coalesce(o.awaiting_since, o.updated_at), o.id
        limit ?`,
      [arrayLiteral(TASK_WAITS), ...(scope === 'mine' ? [userId, userId] : []), limit],
    );
    return rows.map((row) => ({
      orderId: row.id,
      number: row.number,
      awaiting: row.awaiting,
      waitingSince: new Date(row.since),
      total: Number(row.total),
      currency: row.currency,
      assignee:
        row.user_id === null
          ? null
          : { id: row.user_id, username: row.username ?? '', displayName: row.display_name ?? '' },
    }));
  }
}
