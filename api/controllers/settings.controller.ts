import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../domain/order';
import { CurrentActor } from '../auth/actor.decorator';
import { ANYONE, MANAGERS, OVERSEERS, Roles } from '../auth/roles.decorator';
import { RecipientSettingDto, RecipientSettingInputDto, RecipientSettingListDto } from '../dtos/delivery.dto';
import { ApprovalSettingsDto, ApprovalSettingsInputDto, AssignmentRulesDto } from '../dtos/settings.dto';
import { SettingsService } from '../services/settings.service';
import { ApiErrors, ApiOp } from '../openapi/decorators';

@ApiTags('settings')
@Controller('settings')
export class SettingsController {
  constructor(private readonly service: SettingsService) {}

  @Get('approval')
  @ApiOp('getApprovalSettings', 'Read the approval threshold and staff approval limit')
  @ApiOkResponse({ type: ApprovalSettingsDto })
  @Roles(...ANYONE)
  getApproval(): Promise<ApprovalSettingsDto> {
    return this.service.getApproval();
  }

  @Put('approval')
  @ApiOp('setApprovalSettings', 'Change the approval threshold and staff approval limit')
  @ApiOkResponse({
    type: ApprovalSettingsDto,
    description: 'The new version; orders already placed keep theirs.',
  })
  @Roles(...MANAGERS)
  setApproval(
    @Body() dto: ApprovalSettingsInputDto,
    @CurrentActor() actor: Actor,
  ): Promise<ApprovalSettingsDto> {
    return this.service.setApproval(dto, actor);
  }

  @Get('assignment')
  @ApiOp('getAssignmentRules', 'Read the rules that assign new orders')
  @ApiOkResponse({ type: AssignmentRulesDto })
  @Roles(...OVERSEERS)
  getAssignment(): Promise<AssignmentRulesDto> {
    return this.service.getAssignment();
  }

  @Put('assignment')
  @ApiOp(
    'setAssignmentRules',
    'Change the rules that assign new orders',
    'Above an amount, a new order goes to a named person or round-robin to the members of a role, ' +
      'recorded as an assignment by `assignment-rule`. Audited; in force for orders created from now on.',
  )
  @ApiOkResponse({ type: AssignmentRulesDto })
  @ApiErrors(400)
  @Roles(...MANAGERS)
  setAssignment(@Body() dto: AssignmentRulesDto, @CurrentActor() actor: Actor): Promise<AssignmentRulesDto> {
    return this.service.setAssignment(dto, actor);
  }

  @Get('notifications')
  @ApiOp('listNotificationRecipients', 'List who hears of each notification kind')
  @ApiOkResponse({ type: RecipientSettingListDto, description: 'Who hears of each notification kind.' })
  @Roles(...OVERSEERS)
  listRecipients(): Promise<RecipientSettingListDto> {
    return this.service.listRecipients();
  }

  @Put('notifications/:kind')
  @ApiOp('setNotificationRecipients', 'Change who hears of a notification kind')
  @ApiOkResponse({ type: RecipientSettingDto })
  @ApiErrors(404)
  @Roles(...MANAGERS)
  setRecipients(
    @Param('kind') kind: string,
    @Body() dto: RecipientSettingInputDto,
    @CurrentActor() actor: Actor,
  ): Promise<RecipientSettingDto> {
    return this.service.setRecipients(kind, dto, actor);
  }
}
