import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../domain/order';
import { CurrentActor } from '../auth/actor.decorator';
import { ANYONE, MANAGERS, Roles } from '../auth/roles.decorator';
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
import { ApiErrors, ApiOp } from '../openapi/decorators';

@ApiTags('escalations')
@Controller()
export class EscalationController {
  constructor(private readonly service: EscalationService) {}

  @Get('escalation-policies')
  @ApiOp('listEscalationPolicies', 'List the escalation policy of each stage')
  @ApiOkResponse({ type: PolicyListDto })
  @Roles(...ANYONE)
  listPolicies(): Promise<PolicyListDto> {
    return this.service.listPolicies();
  }

  @Put('escalation-policies/:stage')
  @ApiOp('setEscalationPolicy', "Replace a stage's escalation policy")
  @ApiOkResponse({
    type: PolicyChangeDto,
    description:
      'The new policy; orders already waiting in the stage follow it from the start of their wait.',
  })
  @ApiErrors(404)
  @Roles(...MANAGERS)
  setPolicy(
    @Param('stage') stage: string,
    @Body() dto: PolicyInputDto,
    @CurrentActor() actor: Actor,
  ): Promise<PolicyChangeDto> {
    return this.service.setPolicy(stage, dto, actor);
  }

  @Get('settings/calendar')
  @ApiOp('getWorkCalendar', 'Read the working hours')
  @ApiOkResponse({ type: CalendarDto, description: 'The working hours that business-hours policies count.' })
  @Roles(...ANYONE)
  getCalendar(): Promise<CalendarDto> {
    return this.service.getCalendar();
  }

  @Put('settings/calendar')
  @ApiOp('setWorkCalendar', 'Replace the working hours')
  @ApiOkResponse({ type: CalendarChangeDto })
  @Roles(...MANAGERS)
  setCalendar(@Body() dto: CalendarInputDto, @CurrentActor() actor: Actor): Promise<CalendarChangeDto> {
    return this.service.setCalendar(dto, actor);
  }

  @Get('escalations/overdue')
  @ApiOp('listOverdueOrders', 'List orders overdue at each escalation level')
  @ApiOkResponse({ type: OverdueDto, description: 'Orders overdue at each level of their current wait.' })
  @Roles(...MANAGERS)
  overdue(@Query() query: OverdueQueryDto): Promise<OverdueDto> {
    return this.service.overdue(query.stage);
  }
}
