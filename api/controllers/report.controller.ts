import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { OVERSEERS, Roles } from '../auth/roles.decorator';
import {
  PipelineReportDto,
  QuoteReportDto,
  ReturnReportDto,
  RankingQueryDto,
  RankingReportDto,
  ReportQueryDto,
  SalesQueryDto,
  SalesReportDto,
  WaitingReportDto,
  type ReportFormat,
} from '../dtos/report.dto';
import { reportCsv } from '../reports/report.csv-views';
import { ReportService } from '../services/report.service';
import { ApiOp, ApiJsonOrCsv } from '../openapi/decorators';

/** The report as JSON, or as a CSV download when `format=csv`. */
function answer<T>(response: Response, format: ReportFormat, name: string, report: T, csv: (r: T) => string) {
  if (format !== 'csv') return report;
  response.type('text/csv; charset=utf-8');
  response.setHeader(
    'Content-Disposition',
    `attachment; filename="${name}-${new Date().toISOString().slice(0, 10)}.csv"`,
  );
  return csv(report);
}

@ApiTags('reports')
@Roles(...OVERSEERS)
@Controller('reports')
export class ReportController {
  constructor(private readonly service: ReportService) {}

  @Get('sales')
  @ApiOp('getSalesReport', 'Sales per period')
  @ApiJsonOrCsv(SalesReportDto, 'Per period and currency.')
  async sales(@Query() query: SalesQueryDto, @Res({ passthrough: true }) response: Response) {
    return answer(response, query.format, 'sales', await this.service.sales(query), reportCsv.sales);
  }

  @Get('customers')
  @ApiOp('getCustomerReport', 'Top customers by revenue')
  @ApiJsonOrCsv(RankingReportDto, 'Top customers per currency.')
  async customers(@Query() query: RankingQueryDto, @Res({ passthrough: true }) response: Response) {
    return answer(
      response,
      query.format,
      'customers',
      await this.service.customers(query),
      reportCsv.ranking,
    );
  }

  @Get('products')
  @ApiOp('getProductReport', 'Top products by revenue')
  @ApiJsonOrCsv(RankingReportDto, 'Top products per currency.')
  async products(@Query() query: RankingQueryDto, @Res({ passthrough: true }) response: Response) {
    return answer(response, query.format, 'products', await this.service.products(query), reportCsv.ranking);
  }

  @Get('pipeline')
  @ApiOp('getPipelineReport', 'Orders per status, and the time spent in each stage')
  @ApiJsonOrCsv(PipelineReportDto, 'Statuses now; stage times and breaches in the period.')
  async pipeline(@Query() query: ReportQueryDto, @Res({ passthrough: true }) response: Response) {
    return answer(response, query.format, 'pipeline', await this.service.pipeline(query), reportCsv.pipeline);
  }

  @Get('quotes')
  @ApiOp(
    'getQuoteReport',
    'Quotes made in the period and how many became orders',
    'Per currency: sent, accepted (each an order), declined, expired, still open, and the conversion (accepted of sent).',
  )
  @ApiJsonOrCsv(QuoteReportDto, 'Per currency.')
  async quotes(@Query() query: ReportQueryDto, @Res({ passthrough: true }) response: Response) {
    return answer(response, query.format, 'quotes', await this.service.quotes(query), reportCsv.quotes);
  }

  @Get('returns')
  @ApiOp(
    'getReturnReport',
    'Returns of the period: the rate per product and the reasons',
    'Returns requested in the period, rejected ones left out. Per product: units returned (of them damaged), returns, units shipped in the period and the rate (returned of shipped). Per reason: returns and units (JSON only; the CSV is the per-product table).',
  )
  @ApiJsonOrCsv(ReturnReportDto, 'Per product, and per reason in JSON.')
  async returns(@Query() query: ReportQueryDto, @Res({ passthrough: true }) response: Response) {
    return answer(response, query.format, 'returns', await this.service.returns(query), reportCsv.returns);
  }

  @Get('waiting')
  @ApiOp(
    'getWaitingReport',
    'Where orders and returns wait now, by stage and time waited',
    'A heat map: a row per stage (orders, then returns), a column per bucket of time waited.',
  )
  @ApiOkResponse({ type: WaitingReportDto })
  waiting(): Promise<WaitingReportDto> {
    return this.service.waiting();
  }
}
