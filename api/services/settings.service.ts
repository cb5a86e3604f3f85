import { Injectable } from '@nestjs/common';
import {
  AssignmentRuleRepository,
  NotificationSettingsRepository,
  UserRepository,
  SettingsRepository,
  type RecipientSetting,
} from '../../db/repositories';
import { NOTIFICATION_KINDS, isCustomerKind } from '../../domain/notifications';
import type { Actor } from '../../domain/order';
import type { RecipientSettingInputDto } from '../dtos/delivery.dto';
import type { AssignmentRule } from '../../domain/assignment.rules';
import type { ApprovalSettingsDto, ApprovalSettingsInputDto, AssignmentRulesDto } from '../dtos/settings.dto';
import { invalidField, notFound } from '../errors/domain.error';

@Injectable()
export class SettingsService {
  constructor(
    private readonly settings: SettingsRepository,
    private readonly recipients: NotificationSettingsRepository,
    private readonly assignmentRules: AssignmentRuleRepository,
    private readonly users: UserRepository,
  ) {}

  /** The rules that assign new orders, in the order they are checked. */
  async getAssignment(): Promise<AssignmentRulesDto> {
    return { rules: await this.assignmentRules.rules() };
  }

  /**
   * Replaces the rules. Each names either a person who may hold orders (enabled; staff, manager or admin)
   * or a role to go round-robin in; a 400 names the field otherwise.
   */
  async setAssignment(dto: AssignmentRulesDto, actor: Actor): Promise<AssignmentRulesDto> {
    const rules: AssignmentRule[] = [];
    for (const [index, { above, currency, userId, role }] of dto.rules.entries()) {
      const field = `rules[${index}]`;
      if ((userId === undefined) === (role === undefined)) {
        throw invalidField(`${field}.userId`, 'or role must be given, and not both');
      }
      if (role !== undefined) {
        rules.push({ above, currency, role });
        continue;
      }
      const user = await this.users.findById(userId!);
      if (!user || user.disabled || !user.roles.some((held) => held !== 'auditor')) {
        throw invalidField(`${field}.userId`, `names no enabled member of staff (${JSON.stringify(userId)})`);
      }
      rules.push({ above, currency, userId: user.id });
    }
    return { rules: await this.assignmentRules.setRules(rules, actor) };
  }

  /** The approval thresholds in force. */
  getApproval(): Promise<ApprovalSettingsDto> {
    return this.settings.currentApprovalRule();
  }

  /** A new version of the thresholds, for orders placed from now on. */
  async setApproval(dto: ApprovalSettingsInputDto, actor: Actor): Promise<ApprovalSettingsDto> {
    if (dto.autoApproveBelow > dto.staffApprovalLimit) {
      throw invalidField(
        'autoApproveBelow',
        `(${dto.autoApproveBelow}) must not exceed staffApprovalLimit (${dto.staffApprovalLimit})`,
      );
    }
    return this.settings.setApprovalRule(dto, actor);
  }

  /** Who hears of each notification kind. */
  async listRecipients(): Promise<{ items: RecipientSetting[] }> {
    return { items: await this.recipients.list() };
  }

  /** Changes who hears of one kind, from the next notification on. */
  async setRecipients(kind: string, dto: RecipientSettingInputDto, actor: Actor): Promise<RecipientSetting> {
    if (!(NOTIFICATION_KINDS as readonly string[]).includes(kind)) throw notFound('notification kind', kind);
    const current = await this.recipients.find(kind);
    if (!current) {
      throw invalidField('kind', `${kind} goes to the roles and users named in the escalation policies`);
    }
    const customer = dto.customer ?? current.customer;
    if (customer && !isCustomerKind(kind)) {
      throw invalidField(
        'customer',
        `must be false for ${kind}: customers hear only of confirmation, shipment and completion`,
      );
    }
    const changed = await this.recipients.set({ kind, roles: dto.roles, customer }, actor);
    if (!changed) throw notFound('notification kind', kind);
    return changed;
  }
}
