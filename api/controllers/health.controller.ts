import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/roles.decorator';
import { HealthService, type Health } from '../services/health.service';

@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly service: HealthService) {}

  @Get()
  @ApiOkResponse({ description: '{status: "ok", checks: {database, temporal}}' })
  @ApiServiceUnavailableResponse({ description: 'PostgreSQL or Temporal does not answer.' })
  async get(@Res({ passthrough: true }) response: Response): Promise<Health> {
    const health = await this.service.check();
    response.status(health.status === 'ok' ? 200 : 503);
    return health;
  }
}
