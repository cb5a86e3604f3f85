import { Injectable } from '@nestjs/common';
import {
  NotificationSettingsRepository,
  SettingsRepository,
  type RecipientSetting,
} from '../../db/repositories';
import { NOTIFICATION_KINDS, isCustomerKind } from '../../domain/notifications';
import type { Actor } from '../../domain/order';
import type { RecipientSettingInputDto } from '../dtos/delivery.dto';
import type { ApprovalSettingsDto, ApprovalSettingsInputDto } from '../dtos/settings.dto';
import { invalidField, notFound } from '../errors/domain.error';

@Injectable()
export class SettingsService {
  constructor(
    private readonly settings: SettingsRepository,
    private readonly recipients: NotificationSettingsRepository,
  ) {}

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
