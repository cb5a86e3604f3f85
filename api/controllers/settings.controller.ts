import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../domain/order';
import { CurrentActor } from '../auth/actor.decorator';
import { ANYONE, MANAGERS, OVERSEERS, Roles } from '../auth/roles.decorator';
import { RecipientSettingDto, RecipientSettingInputDto, RecipientSettingListDto } from '../dtos/delivery.dto';
import { ErrorDto } from '../dtos/error.dto';
import { ApprovalSettingsDto, ApprovalSettingsInputDto } from '../dtos/settings.dto';
import { SettingsService } from '../services/settings.service';

@ApiTags('settings')
@Controller('settings')
export class SettingsController {
  constructor(private readonly service: SettingsService) {}

  @Get('approval')
  @ApiOkResponse({ type: ApprovalSettingsDto })
  @Roles(...ANYONE)
  getApproval(): Promise<ApprovalSettingsDto> {
    return this.service.getApproval();
  }

  @Put('approval')
  @ApiOkResponse({
    type: ApprovalSettingsDto,
    description: 'The new version; orders already placed keep theirs.',
  })
  @ApiBadRequestResponse({ type: ErrorDto })
  @Roles(...MANAGERS)
  setApproval(
    @Body() dto: ApprovalSettingsInputDto,
    @CurrentActor() actor: Actor,
  ): Promise<ApprovalSettingsDto> {
    return this.service.setApproval(dto, actor);
  }

  @Get('notifications')
  @ApiOkResponse({ type: RecipientSettingListDto, description: 'Who hears of each notification kind.' })
  @Roles(...OVERSEERS)
  listRecipients(): Promise<RecipientSettingListDto> {
    return this.service.listRecipients();
  }

  @Put('notifications/:kind')
  @ApiOkResponse({ type: RecipientSettingDto })
  @ApiBadRequestResponse({ type: ErrorDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  @Roles(...MANAGERS)
  setRecipients(
    @Param('kind') kind: string,
    @Body() dto: RecipientSettingInputDto,
    @CurrentActor() actor: Actor,
  ): Promise<RecipientSettingDto> {
    return this.service.setRecipients(kind, dto, actor);
  }
}
