import { Controller, Get, Header, Headers } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ErrorDto } from '../dtos/error.dto';
import { Public } from '../auth/roles.decorator';
import { MetricsService } from '../services/metrics.service';

@ApiTags('operations')
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly service: MetricsService) {}

  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('cache-control', 'no-store')
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text format: HTTP requests, orders, deliveries, the process.' })
  @ApiUnauthorizedResponse({
    type: ErrorDto,
    description: 'OMS_METRICS_TOKEN is set and the request lacks `Authorization: Bearer <token>`.',
  })
  async get(@Headers('authorization') authorization?: string): Promise<string> {
    this.service.authorize(authorization);
    return (await this.service.scrape()).body;
  }
}
