import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/roles.decorator';
import { HealthDto, LivenessDto, ReadinessDto } from '../dtos/health.dto';
import { ApiOp } from '../openapi/decorators';
import { HealthService, type Health, type Readiness } from '../services/health.service';

@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly service: HealthService) {}

  @Get()
  @ApiOp('getHealth', 'Whether PostgreSQL, Temporal and the event listener answer')
  @ApiOkResponse({ type: HealthDto, description: 'Everything answers.' })
  @ApiServiceUnavailableResponse({ type: HealthDto, description: 'PostgreSQL or Temporal does not answer.' })
  async get(@Res({ passthrough: true }) response: Response): Promise<Health> {
    const health = await this.service.check();
    response.status(health.status === 'ok' ? 200 : 503);
    return health;
  }

  @Get('live')
  @ApiOp('getLiveness', 'Whether the process answers (liveness: restart it when this fails)')
  @ApiOkResponse({ type: LivenessDto })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOp('getReadiness', 'Whether the process should be sent requests (readiness)')
  @ApiOkResponse({
    type: ReadinessDto,
    description: 'PostgreSQL and Temporal answer and the process is not shutting down.',
  })
  @ApiServiceUnavailableResponse({
    type: ReadinessDto,
    description: 'Not ready: a dependency is down, or the API is draining.',
  })
  async ready(@Res({ passthrough: true }) response: Response): Promise<Readiness> {
    const readiness = await this.service.ready();
    response.status(readiness.status === 'ok' ? 200 : 503);
    return readiness;
  }
}
