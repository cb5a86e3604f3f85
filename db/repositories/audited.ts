import { LockMode, type EntityClass, type FilterQuery, type RequiredEntityData } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../../domain/order';
import { AuditRepository } from './audit.repository';
import { definedOnly } from './defined';
import { isUuid } from './ids';

/** How one kind of entity appears in the audit log: its name, and what of it is shown. */
export interface Audited<T> {
  entity: string;
  view: (row: T) => unknown;
}

/** Inserts the entity and its `<entity>.created` audit entry in one transaction. */
export function createAudited<T extends { id: string }>(
  em: EntityManager,
  entityClass: EntityClass<T>,
  data: RequiredEntityData<T>,
  actor: Actor,
  audited: Audited<T>,
): Promise<T> {
  return em.transactional(async (tx) => {
    const row = tx.create(entityClass, data);
    await tx.flush();
    await new AuditRepository(tx).record({
      actor,
      action: `${audited.entity}.created`,
      entity: audited.entity,
      entityId: row.id,
      before: null,
      after: audited.view(row),
    });
    return row;
  });
}

/**
 * Locks the row, applies the fields that were given, and records before and after, in one transaction.
 * Returns null for an unknown id.
 */
export function updateAudited<T extends { id: string }>(
  em: EntityManager,
  entityClass: EntityClass<T>,
  id: string,
  changes: Partial<T>,
  actor: Actor,
  audited: Audited<T> & { action?: string; alsoChange?: (row: T) => void },
): Promise<T | null> {
  if (!isUuid(id)) return Promise.resolve(null);
  return em.transactional(async (tx) => {
    const row = await tx.findOne(entityClass, { id } as FilterQuery<T>, {
      lockMode: LockMode.PESSIMISTIC_WRITE,
    });
    if (!row) return null;
    const before = audited.view(row);
    tx.assign(row, definedOnly(changes) as never);
    audited.alsoChange?.(row);
    await tx.flush();
    await new AuditRepository(tx).record({
      actor,
      action: audited.action ?? `${audited.entity}.updated`,
      entity: audited.entity,
      entityId: id,
      before,
      after: audited.view(row),
    });
    return row;
  });
}
