import { Alert, Card, Col, Empty, Row, Table } from 'antd';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { Chart, type ChartOption } from '../../../components/chart';
import { PageHeader } from '../../../components/page-header';
import { StatusTag } from '../../../components/status-tag';
import { reportCsvUrl, usePipelineReport } from '../../../hooks/api/reports';
import type { Schemas } from '../../../lib/client';
import { describeError } from '../../../lib/errors';
import { duration } from '../../../lib/format';
import { ReportPeriod, type Period } from '../components/report-period';

const HOUR = 3_600_000;

/** "processing/shipment" in words: the status, and what it waited for. */
function useStageName() {
  const { t } = useTranslation();
  return useCallback(
    (stage: string) => {
      const [status, awaiting] = stage.split('/');
      const name = t(`status.${status}`, { defaultValue: status });
      return awaiting ? `${name} · ${t(`awaiting.${awaiting}`, { defaultValue: awaiting })}` : name;
    },
    [t],
  );
}

/** Orders per status now, time spent per stage and reminders that fired in the period, the slowest orders. */
export function PipelineReportPage() {
  const { t } = useTranslation();
  const stageName = useStageName();
  const [period, setPeriod] = useState<Period>({});
  const report = usePipelineReport(period);
  const data = report.data;

  const statusOption = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      grid: { left: 48, right: 16, top: 16, bottom: 32 },
      xAxis: { type: 'category', data: (data?.statuses ?? []).map((s) => t(`status.${s.status}`)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { type: 'bar', name: t('reports.pipeline.orders'), data: (data?.statuses ?? []).map((s) => s.count) },
      ],
    }),
    [data, t],
  );
  const stageOption = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 160, right: 24, top: 32, bottom: 32 },
      yAxis: { type: 'category', data: (data?.stages ?? []).map((s) => stageName(s.stage)) },
      xAxis: { type: 'value', name: t('reports.pipeline.hours') },
      series: [
        {
          type: 'bar',
          name: t('reports.pipeline.median'),
          data: (data?.stages ?? []).map((s) => Number((s.medianMs / HOUR).toFixed(2))),
        },
        {
          type: 'bar',
          name: t('reports.pipeline.p90'),
          data: (data?.stages ?? []).map((s) => Number((s.p90Ms / HOUR).toFixed(2))),
        },
      ],
    }),
    [data, t, stageName],
  );

  return (
    <>
      <PageHeader title={t('reports.pipeline.title')} />
      <ReportPeriod period={period} onChange={setPeriod} csvUrl={reportCsvUrl('pipeline', period)} />
      {report.error && <Alert type="error" showIcon title={describeError(report.error, t).message} />}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={10}>
          <Card size="small" title={t('reports.pipeline.statuses')} data-testid="pipeline-chart">
            <Chart option={statusOption} label={t('reports.pipeline.statuses')} height={280} />
          </Card>
        </Col>
        <Col xs={24} xl={14}>
          <Card size="small" title={t('reports.pipeline.stageTimes')}>
            {data && data.stages.length === 0 ? (
              <Empty description={t('reports.pipeline.noStays')} style={{ height: 248 }} />
            ) : (
              <Chart option={stageOption} label={t('reports.pipeline.stageTimes')} height={280} />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card size="small" title={t('reports.pipeline.breaches')}>
            <Table<Schemas['BreachCountDto']>
              rowKey={(b) => `${b.stage}-${b.level}`}
              size="small"
              pagination={false}
              dataSource={data?.breaches ?? []}
              columns={[
                {
                  title: t('reports.pipeline.stage'),
                  dataIndex: 'stage',
                  render: (stage: string) => t(`awaiting.${stage}`, { defaultValue: stage }),
                },
                { title: t('reports.pipeline.level'), dataIndex: 'level', align: 'right' },
                { title: t('reports.pipeline.orders'), dataIndex: 'orders', align: 'right' },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} xl={14}>
          <Card size="small" title={t('reports.pipeline.slowest')}>
            <Table<Schemas['SlowOrderDto']>
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={data?.slowest ?? []}
              columns={[
                {
                  title: t('orders.fields.number'),
                  dataIndex: 'number',
                  render: (number: string, order) => <Link to={`/orders/${order.id}`}>{number}</Link>,
                },
                {
                  title: t('orders.fields.status'),
                  key: 'status',
                  render: (_, order) => <StatusTag status={order.status} awaiting={order.awaiting} />,
                },
                {
                  title: t('reports.pipeline.waited'),
                  dataIndex: 'waitedMs',
                  align: 'right',
                  render: (ms: number) => duration(ms / 1000),
                },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </>
  );
}
