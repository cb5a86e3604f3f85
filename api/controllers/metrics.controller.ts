import { Controller, Get, Header } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/roles.decorator';
import { MetricsService } from '../services/metrics.service';
import { ApiOp, ApiContent, TEXT } from '../openapi/decorators';

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
  async get(): Promise<string> {
    return (await this.service.scrape()).body;
  }
}
