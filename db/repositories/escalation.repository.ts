import type { EntityManager } from '@mikro-orm/postgresql';
import type {
  CalendarSetting,
  EscalationStage,
  EscalationState,
  PolicyLevel,
  PolicySetting,
  WorkingInterval,
} from '../../domain/escalation';
import type { Actor, Awaiting } from '../../domain/order';
import { AuditRepository } from './audit.repository';
import { sqlOf } from './sql';

export interface StoredPolicy extends PolicySetting {
  updatedAt: string;
}

export interface StoredCalendar extends CalendarSetting {
  updatedAt: string;
}

/** An order whose current wait has been escalated. */
export interface EscalatedOrder {
  orderId: string;
  number: string;
  awaiting: Awaiting;
  escalation: EscalationState;
}

interface PolicyRow {
  stage: EscalationStage;
  levels: PolicyLevel[];
  business_hours: boolean;
  version: string;
  updated_at: Date;
}

interface CalendarRow {
  time_zone: string;
  hours: WorkingInterval[];
  holidays: string[];
  version: string;
  updated_at: Date;
}

const toPolicy = (row: PolicyRow): StoredPolicy => ({
  stage: row.stage,
  levels: row.levels,
  businessHours: row.business_hours,
  version: Number(row.version),
  updatedAt: new Date(row.updated_at).toISOString(),
});

const toCalendar = (row: CalendarRow): StoredCalendar => ({
  timeZone: row.time_zone,
  hours: row.hours,
  holidays: row.holidays,
  version: Number(row.version),
  updatedAt: new Date(row.updated_at).toISOString(),
});

/** Escalation policies and the working-hours calendar; every change is versioned and audited. */
export class EscalationRepository {
  constructor(private readonly em: EntityManager) {}

  async policies(): Promise<StoredPolicy[]> {
    const rows = await sqlOf(this.em)<PolicyRow[]>(
      `select * from escalation_policies order by array_position(array['approval','shipment','delivery','return'], stage)`,
    );
    return rows.map(toPolicy);
  }

  async policy(stage: EscalationStage): Promise<StoredPolicy> {
    const [row] = await sqlOf(this.em)<PolicyRow[]>(`select * from escalation_policies where stage = ?`, [
      stage,
    ]);
    if (!row) throw new Error(`escalation_policies has no row for ${stage}: the migrations seed it`);
    return toPolicy(row);
  }

  /** Replaces a stage's policy with a new version and records the change, in one transaction. */
  async setPolicy(
    stage: EscalationStage,
    policy: { levels: PolicyLevel[]; businessHours: boolean },
    actor: Actor,
  ): Promise<StoredPolicy> {
    return this.em.transactional(async (em) => {
      const [before] = await sqlOf(em)<PolicyRow[]>(
        `select * from escalation_policies where stage = ? for update`,
        [stage],
      );
      const [after] = await sqlOf(em)<PolicyRow[]>(
        `update escalation_policies set levels = ?::jsonb, business_hours = ?,
           version = nextval('escalation_version_seq'), updated_at = now()
         where stage = ? returning *`,
        [JSON.stringify(policy.levels), policy.businessHours, stage],
      );
      const stored = toPolicy(after!);
      await new AuditRepository(em).record({
        actor,
        action: 'escalation.policy_changed',
        entity: 'settings',
        entityId: `escalation:${stage}`,
        before: before ? toPolicy(before) : null,
        after: stored,
      });
      return stored;
    });
  }

  async calendar(): Promise<StoredCalendar> {
    const [row] = await sqlOf(this.em)<CalendarRow[]>(`select * from work_calendar where id = 1`);
    if (!row) throw new Error('work_calendar is empty: the migrations seed it');
    return toCalendar(row);
  }

  /** Replaces the calendar with a new version and records the change, in one transaction. */
  async setCalendar(calendar: Omit<CalendarSetting, 'version'>, actor: Actor): Promise<StoredCalendar> {
    return this.em.transactional(async (em) => {
      const [before] = await sqlOf(em)<CalendarRow[]>(`select * from work_calendar where id = 1 for update`);
      const [after] = await sqlOf(em)<CalendarRow[]>(
        `update work_calendar set time_zone = ?, hours = ?::jsonb, holidays = ?::text[],
           version = nextval('escalation_version_seq'), updated_at = now()
         where id = 1 returning *`,
        [calendar.timeZone, JSON.stringify(calendar.hours), `{${calendar.holidays.join(',')}}`],
      );
      const stored = toCalendar(after!);
      await new AuditRepository(em).record({
        actor,
        action: 'escalation.calendar_changed',
        entity: 'settings',
        entityId: 'calendar',
        before: before ? toCalendar(before) : null,
        after: stored,
      });
      return stored;
    });
  }

  /** Orders whose current wait has been escalated, highest level and longest wait first. */
  async escalatedOrders(stage?: EscalationStage): Promise<EscalatedOrder[]> {
    const rows = await sqlOf(this.em)<
      { id: string; number: string; awaiting: Awaiting; escalation: EscalationState }[]
    >(
      `select id, number, awaiting, snapshot->'escalation' as escalation from orders
        where snapshot->'escalation' is not null and snapshot->'escalation' <> 'null'::jsonb
          ${stage ? `and snapshot->'escalation'->>'stage' = ?` : ''}
        order by (snapshot->'escalation'->>'level')::int desc, snapshot->'escalation'->>'since', id`,
      stage ? [stage] : [],
    );
    return rows.map((row) => ({
      orderId: row.id,
      number: row.number,
      awaiting: row.awaiting,
      escalation: row.escalation,
    }));
  }
}
