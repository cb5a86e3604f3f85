import type { EntityManager } from '@mikro-orm/postgresql';
import {
  ASSIGNMENT_RULE_ACTOR,
  memberForTurn,
  ruleFor,
  type AssignmentRule,
} from '../../domain/assignment.rules';
import type { Actor, OrderSnapshot } from '../../domain/order';
import { AssignmentRepository, type Assignee } from './assignment.repository';
import { AuditRepository } from './audit.repository';
import { sqlOf } from './sql';

interface Member {
  id: string;
  username: string;
}

/** The assignment rules in force (table `assignment_rules`, one row) and their application to new orders. */
export class AssignmentRuleRepository {
  constructor(private readonly em: EntityManager) {}

  async rules(): Promise<AssignmentRule[]> {
    const [row] = await sqlOf(this.em)<{ rules: AssignmentRule[] }[]>(
      `select rules from assignment_rules where id = 1`,
    );
    if (!row) throw new Error('assignment_rules is empty: the migrations seed it');
    return row.rules;
  }

  /** Replaces the rules and records the change in the audit log, in one transaction. */
  async setRules(rules: AssignmentRule[], actor: Actor): Promise<AssignmentRule[]> {
    return this.em.transactional(async (em) => {
      const sql = sqlOf(em);
      const [before] = await sql<{ rules: AssignmentRule[] }[]>(
        `select rules from assignment_rules where id = 1 for update`,
      );
      await sql(`update assignment_rules set rules = ?::jsonb, updated_at = now() where id = 1`, [
        JSON.stringify(rules),
      ]);
      await new AuditRepository(em).record({
        actor,
        action: 'settings.assignment_changed',
        entity: 'settings',
        entityId: 'assignment',
        before: { rules: before?.rules ?? [] },
        after: { rules },
      });
      return rules;
    });
  }

  /**
   * Assigns a new order by the first rule it falls under, inside the transaction that first writes its row
   * (so a retried write neither skips nor repeats it), audited like a manual assignment with the rules as
   * the actor. A role's round-robin takes its turn from one counter row per role, raised by one statement:
   * concurrent creations queue on the row's lock and each gets the next turn. A named person who is
   * disabled, or a role without enabled members, leaves the order to be claimed.
   */
  async assignNew(order: Pick<OrderSnapshot, 'orderId' | 'total' | 'currency'>): Promise<Assignee | null> {
    const rule = ruleFor(await this.rules(), order);
    if (!rule) return null;
    const sql = sqlOf(this.em);
    let member: Member | null;
    if (rule.userId !== undefined) {
      [member = null] = await sql<Member[]>(
        `select id, username from users where id = ? and not disabled and roles && ?::text[]`,
        [rule.userId, '{staff,manager,admin}'],
      );
    } else {
      const [{ turns } = { turns: '1' }] = await sql<{ turns: string }[]>(
        `insert into assignment_turns (role, turns) values (?, 1)
         on conflict (role) do update set turns = assignment_turns.turns + 1
         returning turns`,
        [rule.role],
      );
      const members = await sql<Member[]>(
        `select id, username from users where not disabled and ? = any(roles)`,
        [rule.role],
      );
      member = memberForTurn(members, Number(turns));
    }
    if (!member) return null;
    const placed = await sql<{ user_id: string }[]>(
      `insert into order_assignments (order_id, user_id, assigned_by, assigned_at)
            values (?, ?, ?::jsonb, now())
       on conflict (order_id) do nothing
       returning user_id`,
      [order.orderId, member.id, JSON.stringify(ASSIGNMENT_RULE_ACTOR)],
    );
    if (placed.length === 0) return null;
    const assignee = (await new AssignmentRepository(this.em).of([order.orderId])).get(order.orderId) ?? null;
    await new AuditRepository(this.em).record({
      actor: ASSIGNMENT_RULE_ACTOR,
      action: 'order.assigned',
      entity: 'order',
      entityId: order.orderId,
      before: { assignee: null },
      after: { assignee, rule },
    });
    return assignee;
  }
}
