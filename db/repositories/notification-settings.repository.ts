import type { EntityManager } from '@mikro-orm/postgresql';
import type { Role } from '../entities';
import type { Actor } from '../../workflows/order.definitions';
import { AuditRepository } from './audit.repository';
import { sqlOf } from './sql';

/** Who hears of one kind: staff by role, and whether the order's customer is e-mailed. */
export interface RecipientSetting {
  kind: string;
  roles: Role[];
  customer: boolean;
}

/** The recipients of each notification kind, a setting managers change; every change is audited. */
export class NotificationSettingsRepository {
  constructor(private readonly em: EntityManager) {}

  async list(): Promise<RecipientSetting[]> {
    return sqlOf(this.em)<RecipientSetting[]>(
      `select kind, roles, customer from notification_recipients order by kind`,
    );
  }

  /** The setting of one kind; null for a kind without one (escalations follow their policy). */
  async find(kind: string): Promise<RecipientSetting | null> {
    const [row] = await sqlOf(this.em)<RecipientSetting[]>(
      `select kind, roles, customer from notification_recipients where kind = ?`,
      [kind],
    );
    return row ?? null;
  }

  /** Replaces the recipients of a kind and records the change, in one transaction. */
  async set(setting: RecipientSetting, actor: Actor): Promise<RecipientSetting> {
    return this.em.transactional(async (em) => {
      const [before] = await sqlOf(em)<RecipientSetting[]>(
        `select kind, roles, customer from notification_recipients where kind = ? for update`,
        [setting.kind],
      );
      const [after] = await sqlOf(em)<RecipientSetting[]>(
        `update notification_recipients set roles = ?::text[], customer = ?, updated_at = now() where kind = ?
         returning kind, roles, customer`,
        [`{${setting.roles.join(',')}}`, setting.customer, setting.kind],
      );
      await new AuditRepository(em).record({
        actor,
        action: 'settings.notification_recipients_changed',
        entity: 'settings',
        entityId: `notifications:${setting.kind}`,
        before,
        after,
      });
      return after!;
    });
  }
}
