import { Injectable } from '@nestjs/common';
import { SettingsRepository } from '../../db/repositories';
import type { Actor } from '../../workflows/order.definitions';
import type { ApprovalSettingsDto, ApprovalSettingsInputDto } from '../dtos/settings.dto';
import { invalidField } from '../errors/domain.error';

@Injectable()
export class SettingsService {
  constructor(private readonly settings: SettingsRepository) {}

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
}
