import type { EntityManager } from '@mikro-orm/postgresql';
import { RETURN_TASK_STATUSES, TASK_WAITS, type TaskKind, type TaskScope } from '../../domain/tasks';
import { RETURN_WAITS, type ReturnWaitStage } from '../../domain/waiting';
import type { Awaiting } from '../../domain/order';
import type { Assignee } from './assignment.repository';
import { arrayLiteral, sqlOf } from './sql';

/** An open order, or an open return, that waits for a person. */
export type TaskRow = {
  orderId: string;
  number: string;
  waitingSince: Date;
  total: number;
  currency: string;
  assignee: Assignee | null;
} & (
  | { kind: Extract<TaskKind, 'order'>; returnId: null; awaiting: Awaiting }
  | { kind: Extract<TaskKind, 'return'>; returnId: string; awaiting: ReturnWaitStage }
);

interface Row {
  kind: TaskKind;
  order_id: string;
  return_id: string | null;
  number: string;
  awaiting: string;
  since: Date;
  total: string;
  currency: string;
  user_id: string | null;
  username: string | null;
  display_name: string | null;
}

/**
 * Open orders and returns that wait for a person's action, oldest wait first (read from their mirrors).
 * An order has waited since its current wait began; a return since its last change (each change moves it
 * to its next wait, as the waiting report times it).
 */
export class TaskRepository {
  constructor(private readonly em: EntityManager) {}

  async list(scope: TaskScope, userId: string, limit: number): Promise<TaskRow[]> {
    const condition = {
      // Mine: what I hold, and what those who delegated to me hold while the delegation is in force.
      mine: `(t.user_id = ?::uuid or t.user_id in
               (select id from users where delegate_id = ?::uuid and delegate_until > now()))`,
      unassigned: 't.user_id is null',
      team: 't.user_id is not null',
    }[scope];
    const rows = await sqlOf(this.em)<Row[]>(
      `select t.*, u.username, u.display_name
         from (select 'order' as kind, o.id as order_id, null::uuid as return_id, o.number, o.awaiting,
                      coalesce(o.awaiting_since, o.updated_at) as since, o.total, o.currency, a.user_id
                 from orders o
                 left join order_assignments a on a.order_id = o.id
                where o.awaiting = any(?::text[])
               union all
               select 'return', r.order_id, r.id, r.number, (?::jsonb)->>r.status, r.updated_at,
                      (select coalesce(sum(l.quantity * l.unit_price), 0)
                         from order_return_lines l where l.return_id = r.id),
                      r.snapshot->>'currency', ra.user_id
                 from order_returns r
                 left join return_assignments ra on ra.return_id = r.id
                where r.status = any(?::text[])) t
         left join users u on u.id = t.user_id
        where ${condition}
        order by t.since, coalesce(t.return_id, t.order_id)
        limit ?`,
      [
        arrayLiteral(TASK_WAITS),
        JSON.stringify(RETURN_WAITS),
        arrayLiteral(RETURN_TASK_STATUSES),
        ...(scope === 'mine' ? [userId, userId] : []),
        limit,
      ],
    );
    return rows.map((row) => {
      const common = {
        orderId: row.order_id,
        number: row.number,
        waitingSince: new Date(row.since),
        total: Number(row.total),
        currency: row.currency,
        assignee:
          row.user_id === null
            ? null
            : { id: row.user_id, username: row.username ?? '', displayName: row.display_name ?? '' },
      };
      return row.kind === 'return'
        ? { ...common, kind: 'return', returnId: row.return_id!, awaiting: row.awaiting as ReturnWaitStage }
        : { ...common, kind: 'order', returnId: null, awaiting: row.awaiting as Awaiting };
    });
  }
}
