import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor, ApprovalRule } from '../../domain/order';
import { ApprovalSetting } from '../entities';
import { AuditRepository } from './audit.repository';

/** Approval thresholds, versioned: every change is a new row, the newest is in force. */
export class SettingsRepository {
  constructor(private readonly em: EntityManager) {}

  async currentApprovalRule(): Promise<ApprovalRule> {
    const [setting] = await this.em.find(ApprovalSetting, {}, { orderBy: { version: 'desc' }, limit: 1 });
    if (!setting) throw new Error('approval_settings is empty: the migrations seed it');
    return {
      version: setting.version,
      autoApproveBelow: setting.autoApproveBelow,
      staffApprovalLimit: setting.staffApprovalLimit,
      currency: setting.currency,
    };
  }

  /** Adds a new version of the thresholds and records the change in the audit log, in one transaction. */
  async setApprovalRule(rule: Omit<ApprovalRule, 'version'>, actor: Actor): Promise<ApprovalRule> {
    return this.em.transactional(async (em) => {
      const before = await new SettingsRepository(em).currentApprovalRule();
      const setting = em.create(
        ApprovalSetting,
        { ...rule, changedBy: actor, changedAt: new Date() },
        { partial: true },
      );
      await em.flush();
      const after = { ...rule, version: setting.version };
      await new AuditRepository(em).record({
        actor,
        action: 'settings.approval_changed',
        entity: 'settings',
        entityId: 'approval',
        before,
        after,
      });
      return after;
    });
  }
}
