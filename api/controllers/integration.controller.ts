import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { OVERSEERS, Roles } from '../auth/roles.decorator';
import { IntegrationEventPageDto, IntegrationEventQueryDto } from '../dtos/integration.dto';
import { ApiErrors, ApiOp } from '../openapi/decorators';
import { IntegrationEventService } from '../services/integration-event.service';

@ApiTags('integration')
@Controller('integration')
@Roles(...OVERSEERS)
export class IntegrationController {
  constructor(private readonly service: IntegrationEventService) {}

  @Get('events')
  @ApiOp(
    'listIntegrationEvents',
    'Poll the order events the webhooks get',
    'CloudEvents 1.0, oldest first, after the event `after` names: the same ids, types and data as webhook ' +
      'calls carry, for systems that cannot receive them. Pass `next` as `after` to continue; an event is ' +
      'never skipped or repeated. API keys (`Authorization: Bearer oms_…`) with one of the roles may poll.',
  )
  @ApiOkResponse({ type: IntegrationEventPageDto })
  @ApiErrors([400, '`after` names no event of the stream, or `limit` is out of range.'])
  list(@Query() query: IntegrationEventQueryDto): Promise<IntegrationEventPageDto> {
    return this.service.after(query);
  }
}
