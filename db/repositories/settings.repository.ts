import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor, ApprovalRule } from '../../workflows/order.definitions';
import { ApprovalSetting } from '../entities';

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

  async setApprovalRule(rule: Omit<ApprovalRule, 'version'>, actor: Actor): Promise<ApprovalRule> {
    const setting = this.em.create(
      ApprovalSetting,
      { ...rule, changedBy: actor, changedAt: new Date() },
      { partial: true },
    );
    await this.em.persistAndFlush(setting);
    return { ...rule, version: setting.version };
  }
}
