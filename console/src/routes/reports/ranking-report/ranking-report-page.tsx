import { Alert, Select, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/page-header';
import {
  reportCsvUrl,
  useRankingReport,
  type RankingKind,
  type RankingQuery,
} from '../../../hooks/api/reports';
import type { Schemas } from '../../../lib/client';
import { describeError } from '../../../lib/errors';
import { money } from '../../../lib/format';
import { ReportPeriod, type Period } from '../components/report-period';

type RankBy = NonNullable<RankingQuery['rankBy']>;
const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

/** Top customers or products per currency, by revenue or by units, with the CSV. */
function RankingReport({ kind }: { kind: RankingKind }) {
  const { t, i18n } = useTranslation();
  const [period, setPeriod] = useState<Period>({});
  const [rankBy, setRankBy] = useState<RankBy>('revenue');
  const query: RankingQuery = { ...period, rankBy, limit: 50 };
  const report = useRankingReport(kind, query);
  return (
    <>
      <PageHeader title={t(`reports.${kind}.title`)} />
      <ReportPeriod period={period} onChange={setPeriod} csvUrl={reportCsvUrl(kind, query)}>
        <Select
          aria-label={t('reports.ranking.rankBy')}
          value={rankBy}
          onChange={setRankBy}
          style={{ width: 160 }}
          options={(['revenue', 'quantity'] as const).map((r) => ({
            value: r,
            label: t(`reports.ranking.by.${r}`),
          }))}
        />
      </ReportPeriod>
      {report.error && <Alert type="error" showIcon title={describeError(report.error, t).message} />}
      <Table<Schemas['RankedItemDto']>
        data-testid="ranking"
        rowKey={(item) => `${item.currency}-${item.id}`}
        size="small"
        loading={report.isLoading}
        dataSource={report.data?.items ?? []}
        pagination={false}
        scroll={{ x: 900 }}
        columns={[
          { title: t('reports.ranking.rank'), dataIndex: 'rank', width: 80 },
          { title: t(`reports.${kind}.name`), dataIndex: 'name' },
          { title: t('reports.currency'), dataIndex: 'currency', width: 90 },
          { title: t('reports.sales.orders'), dataIndex: 'orders', align: 'right' },
          { title: t('reports.ranking.quantity'), dataIndex: 'quantity', align: 'right' },
          {
            title: t('reports.sales.revenue'),
            key: 'revenue',
            align: 'right',
            render: (_, item) => money(item.revenue, item.currency, i18n.language),
          },
          {
            title: t('reports.ranking.share'),
            key: 'share',
            align: 'right',
            render: (_, item) => percent(rankBy === 'revenue' ? item.revenueShare : item.quantityShare),
          },
        ]}
      />
    </>
  );
}

export function CustomerReportPage() {
  return <RankingReport kind="customers" />;
}

export function ProductReportPage() {
  return <RankingReport kind="products" />;
}
