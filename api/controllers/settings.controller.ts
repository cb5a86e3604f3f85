import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../workflows/order.definitions';
import { CurrentActor } from '../auth/actor.decorator';
import { ANYONE, MANAGERS, Roles } from '../auth/roles.decorator';
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
}
