import { Controller, Get, Header } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/roles.decorator';
import { MetricsService } from '../services/metrics.service';
import { ApiContent, ApiErrors, ApiOp, OptionalHeader, TEXT } from '../openapi/decorators';

@ApiTags('operations')
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly service: MetricsService) {}

  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('cache-control', 'no-store')
  @ApiOp('getMetrics', 'Metrics for Prometheus')
  @ApiContent(200, 'Prometheus text format: HTTP requests, orders, deliveries, the process.', {
    'text/plain': TEXT,
  })
  @ApiHeader({
    name: 'Authorization',
    required: false,
    description: '`Bearer <token>`: required when OMS_METRICS_TOKEN is set.',
  })
  @ApiErrors([401, 'OMS_METRICS_TOKEN is set and the request lacks `Authorization: Bearer <token>`.'])
  async get(@OptionalHeader('Authorization') authorization?: string): Promise<string> {
    this.service.authorize(authorization);
    return (await this.service.scrape()).body;
  }
}
