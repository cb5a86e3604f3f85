import { Alert, Card, Select, Table } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Chart, type ChartOption } from '../../../components/chart';
import { PageHeader } from '../../../components/page-header';
import { reportCsvUrl, useSalesReport, type SalesQuery } from '../../../hooks/api/reports';
import type { Schemas } from '../../../lib/client';
import { describeError } from '../../../lib/errors';
import { money } from '../../../lib/format';
import { ReportPeriod, type Period } from '../components/report-period';

type GroupBy = NonNullable<SalesQuery['groupBy']>;
const GROUPINGS: GroupBy[] = ['day', 'week', 'month'];

/** Revenue and orders per day, week or month and currency: a chart, the figures, and the CSV. */
export function SalesReportPage() {
  const { t, i18n } = useTranslation();
  const [period, setPeriod] = useState<Period>({});
  const [groupBy, setGroupBy] = useState<GroupBy>('day');
  const query: SalesQuery = { ...period, groupBy };
  const report = useSalesReport(query);
  const items = useMemo(() => report.data?.items ?? [], [report.data]);

  const option = useMemo<ChartOption>(() => {
    const periods = [...new Set(items.map((item) => item.period))].sort();
    const currencies = [...new Set(items.map((item) => item.currency))].sort();
    const value = (currency: string, period: string, pick: (item: Schemas['SalesItemDto']) => number) => {
      const item = items.find((candidate) => candidate.currency === currency && candidate.period === period);
      return item ? pick(item) : 0;
    };
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 64, right: 48, top: 40, bottom: 32 },
      xAxis: { type: 'category', data: periods },
      yAxis: [
        { type: 'value', name: t('reports.sales.revenue') },
        { type: 'value', name: t('reports.sales.orders'), minInterval: 1 },
      ],
      series: currencies.flatMap((currency) => [
        {
          type: 'bar' as const,
          name: `${t('reports.sales.revenue')} ${currency}`,
          data: periods.map((p) => value(currency, p, (item) => item.revenue / 100)),
        },
        {
          type: 'line' as const,
          name: `${t('reports.sales.orders')} ${currency}`,
          yAxisIndex: 1,
          data: periods.map((p) => value(currency, p, (item) => item.orders)),
        },
      ]),
    };
  }, [items, t]);

  return (
    <>
      <PageHeader title={t('reports.sales.title')} />
      <ReportPeriod period={period} onChange={setPeriod} csvUrl={reportCsvUrl('sales', query)}>
        <Select
          aria-label={t('reports.sales.groupBy')}
          value={groupBy}
          onChange={setGroupBy}
          style={{ width: 140 }}
          options={GROUPINGS.map((g) => ({ value: g, label: t(`reports.sales.groupings.${g}`) }))}
        />
      </ReportPeriod>
      {report.error && <Alert type="error" showIcon title={describeError(report.error, t).message} />}
      <Card size="small" style={{ marginBottom: 16 }} data-testid="sales-chart">
        <Chart option={option} label={t('reports.sales.chart')} />
      </Card>
      <Table<Schemas['SalesItemDto']>
        rowKey={(item) => `${item.period}-${item.currency}`}
        size="small"
        loading={report.isLoading}
        dataSource={items}
        pagination={false}
        scroll={{ x: 900 }}
        columns={[
          { title: t('reports.sales.period'), dataIndex: 'period' },
          { title: t('reports.currency'), dataIndex: 'currency' },
          { title: t('reports.sales.orders'), dataIndex: 'orders', align: 'right' },
          { title: t('reports.sales.paidOrders'), dataIndex: 'paidOrders', align: 'right' },
          {
            title: t('reports.sales.revenue'),
            key: 'revenue',
            align: 'right',
            render: (_, item) => money(item.revenue, item.currency, i18n.language),
          },
          {
            title: t('reports.sales.averageOrderValue'),
            key: 'aov',
            align: 'right',
            render: (_, item) => money(item.averageOrderValue, item.currency, i18n.language),
          },
          { title: t('reports.sales.cancelled'), dataIndex: 'cancelled', align: 'right' },
          { title: t('reports.sales.rejected'), dataIndex: 'rejected', align: 'right' },
        ]}
      />
    </>
  );
}
