import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../domain/order';
import { CurrentActor } from '../auth/actor.decorator';
import { ANYONE, MANAGERS, Roles } from '../auth/roles.decorator';
import { ErrorDto } from '../dtos/error.dto';
import {
  CalendarChangeDto,
  CalendarDto,
  CalendarInputDto,
  OverdueDto,
  OverdueQueryDto,
  PolicyChangeDto,
  PolicyInputDto,
  PolicyListDto,
} from '../dtos/escalation.dto';
import { EscalationService } from '../services/escalation.service';

@ApiTags('escalations')
@Controller()
export class EscalationController {
  constructor(private readonly service: EscalationService) {}

  @Get('escalation-policies')
  @ApiOkResponse({ type: PolicyListDto })
  @Roles(...ANYONE)
  listPolicies(): Promise<PolicyListDto> {
    return this.service.listPolicies();
  }

  @Put('escalation-policies/:stage')
  @ApiOkResponse({
    type: PolicyChangeDto,
    description:
      'The new policy; orders already waiting in the stage follow it from the start of their wait.',
  })
  @ApiBadRequestResponse({ type: ErrorDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  @Roles(...MANAGERS)
  setPolicy(
    @Param('stage') stage: string,
    @Body() dto: PolicyInputDto,
    @CurrentActor() actor: Actor,
  ): Promise<PolicyChangeDto> {
    return this.service.setPolicy(stage, dto, actor);
  }

  @Get('settings/calendar')
  @ApiOkResponse({ type: CalendarDto, description: 'The working hours that business-hours policies count.' })
  @Roles(...ANYONE)
  getCalendar(): Promise<CalendarDto> {
    return this.service.getCalendar();
  }

  @Put('settings/calendar')
  @ApiOkResponse({ type: CalendarChangeDto })
  @ApiBadRequestResponse({ type: ErrorDto })
  @Roles(...MANAGERS)
  setCalendar(@Body() dto: CalendarInputDto, @CurrentActor() actor: Actor): Promise<CalendarChangeDto> {
    return this.service.setCalendar(dto, actor);
  }

  @Get('escalations/overdue')
  @ApiOkResponse({ type: OverdueDto, description: 'Orders overdue at each level of their current wait.' })
  @ApiBadRequestResponse({ type: ErrorDto })
  @Roles(...MANAGERS)
  overdue(@Query() query: OverdueQueryDto): Promise<OverdueDto> {
    return this.service.overdue(query.stage);
  }
}
