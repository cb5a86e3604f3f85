import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../../domain/order';
import { sqlOf } from './sql';

export interface AuditEntry {
  actor: Actor;
  action: string;
  entity: string;
  entityId: string;
  before: unknown;
  after: unknown;
}

export interface AuditRecord extends AuditEntry {
  id: string;
  at: string;
}

interface AuditRow {
  id: string;
  at: Date;
  actor: Actor;
  action: string;
  entity: string;
  entity_id: string;
  before: unknown;
  after: unknown;
}

/**
 * The append-only audit log of changes made outside workflows (a database trigger refuses updates and
 * deletes). Entries are written with the entity manager of the change itself, so both commit or neither.
 */
export class AuditRepository {
  constructor(private readonly em: EntityManager) {}

  async record(entry: AuditEntry): Promise<void> {
    const { id, username, roles } = entry.actor;
    await sqlOf(this.em)(
      `insert into audit_log (actor, action, entity, entity_id, before, after) values (?::jsonb, ?, ?, ?, ?::jsonb, ?::jsonb)`,
      [
        JSON.stringify({ id, username, roles }),
        entry.action,
        entry.entity,
        entry.entityId,
        entry.before === undefined ? null : JSON.stringify(entry.before),
        entry.after === undefined ? null : JSON.stringify(entry.after),
      ],
    );
  }

  /** Newest first, optionally for one entity. */
  async list(filter: {
    entity?: string;
    entityId?: string;
    limit: number;
    before?: string;
  }): Promise<AuditRecord[]> {
    const conditions: [string, unknown][] = [];
    if (filter.entity) conditions.push(['entity = ?', filter.entity]);
    if (filter.entityId) conditions.push(['entity_id = ?', filter.entityId]);
    if (filter.before) conditions.push(['id < ?', filter.before]);
    const where = conditions.map(([condition]) => condition);
    const params = conditions.map(([, value]) => value);
    const rows = await sqlOf(this.em)<AuditRow[]>(
      `select * from audit_log ${where.length ? `where ${where.join(' and ')}` : ''} order by id desc limit ?`,
      [...params, filter.limit],
    );
    return rows.map((row) => ({
      id: String(row.id),
      at: new Date(row.at).toISOString(),
      actor: row.actor,
      action: row.action,
      entity: row.entity,
      entityId: row.entity_id,
      before: row.before,
      after: row.after,
    }));
  }
}
