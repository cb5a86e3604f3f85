import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { NotificationRecipient, type Role } from '../entities';
import type { Actor } from '../../domain/order';
import { AuditRepository } from './audit.repository';

/** Who hears of one kind: staff by role, and whether the order's customer is e-mailed. */
export interface RecipientSetting {
  kind: string;
  roles: Role[];
  customer: boolean;
}

const toSetting = ({ kind, roles, customer }: NotificationRecipient): RecipientSetting => ({
  kind,
  roles,
  customer,
});

/** The recipients of each notification kind, a setting managers change; every change is audited. */
export class NotificationSettingsRepository {
  constructor(private readonly em: EntityManager) {}

  async list(): Promise<RecipientSetting[]> {
    return (await this.em.find(NotificationRecipient, {}, { orderBy: { kind: 'asc' } })).map(toSetting);
  }

  /** The setting of one kind; null for a kind without one (escalations follow their policy). */
  async find(kind: string): Promise<RecipientSetting | null> {
    const row = await this.em.findOne(NotificationRecipient, { kind });
    return row && toSetting(row);
  }

  /** Replaces the recipients of a kind and records the change, in one transaction; null for an unknown kind. */
  async set(setting: RecipientSetting, actor: Actor): Promise<RecipientSetting | null> {
    return this.em.transactional(async (em) => {
      const row = await em.findOne(
        NotificationRecipient,
        { kind: setting.kind },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      if (!row) return null;
      const before = toSetting(row);
      em.assign(row, { roles: setting.roles, customer: setting.customer });
      await em.flush();
      await new AuditRepository(em).record({
        actor,
        action: 'settings.notification_recipients_changed',
        entity: 'settings',
        entityId: `notifications:${setting.kind}`,
        before,
        after: toSetting(row),
      });
      return toSetting(row);
    });
  }
}
