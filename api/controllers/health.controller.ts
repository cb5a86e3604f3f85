import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/roles.decorator';
import { HealthService, type Health, type Readiness } from '../services/health.service';

@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly service: HealthService) {}

  @Get()
  @ApiOkResponse({
    description:
      '{status: "ok", checks: {database, temporal, events, deliveries}}. `checks.deliveries` says which ' +
      'e-mail or webhook destinations are down (`down`, their circuit breaker open) or paused, and how many ' +
      'deliveries wait for each; it never changes the status code, since orders move regardless.',
  })
  @ApiServiceUnavailableResponse({ description: 'PostgreSQL or Temporal does not answer.' })
  async get(@Res({ passthrough: true }) response: Response): Promise<Health> {
    const health = await this.service.check();
    response.status(health.status === 'ok' ? 200 : 503);
    return health;
  }

  @Get('live')
  @ApiOkResponse({ description: 'The process answers (liveness: restart it when this fails).' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOkResponse({ description: 'PostgreSQL and Temporal answer and the process is not shutting down.' })
  @ApiServiceUnavailableResponse({ description: 'Not ready: a dependency is down, or the API is draining.' })
  async ready(@Res({ passthrough: true }) response: Response): Promise<Readiness> {
    const readiness = await this.service.ready();
    response.status(readiness.status === 'ok' ? 200 : 503);
    return readiness;
  }
}
