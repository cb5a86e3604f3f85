import { Alert, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { PageHeader } from '../../../components/page-header';
import { useWaitingReport } from '../../../hooks/api/tasks';
import type { Schemas } from '../../../lib/client';
import { describeError } from '../../../lib/errors';
import { dateTime, duration } from '../../../lib/format';
import { bucketSince } from '../../../../../domain/waiting';

type Row = Schemas['WaitingRowDto'];

/** Light to warm backgrounds: dark text stays readable on each (contrast above 4.5:1). */
const HEAT = ['transparent', '#fff7e6', '#ffe7ba', '#ffd591', '#ffa39e', '#ff7875'];

function heat(count: number, max: number): string {
  if (count === 0 || max === 0) return HEAT[0]!;
  return HEAT[Math.min(HEAT.length - 1, 1 + Math.floor(((count - 1) / max) * (HEAT.length - 1)))]!;
}

/**
 * Where work waits now (managers, admins, auditors): a row per stage (orders, then returns), a column per
 * waited-time bucket. An order cell opens the board on exactly its orders: the stage, and when their waits
 * began as of the report (`/orders?awaiting=<stage>&awaitingSinceFrom=…&awaitingSinceTo=…`). Return rows
 * have no page to open.
 */
export function WaitingReportPage() {
  const { t, i18n } = useTranslation();
  const report = useWaitingReport();
  const buckets = report.data?.buckets ?? [];
  const rows = report.data?.rows ?? [];
  const max = Math.max(0, ...rows.flatMap((row) => row.counts));
  const stage = (row: Row) => t(`waiting.stages.${row.subject}.${row.stage}`, { defaultValue: row.stage });

  return (
    <>
      <PageHeader title={t('waiting.title')} />
      <Typography.Paragraph type="secondary">{t('waiting.help')}</Typography.Paragraph>
      {report.error && <Alert type="error" showIcon title={describeError(report.error, t).message} />}
      <Table<Row>
        data-testid="waiting-report"
        rowKey={(row) => `${row.subject}-${row.stage}`}
        loading={report.isLoading}
        dataSource={rows}
        pagination={false}
        size="small"
        bordered
        scroll={{ x: 800 }}
        columns={[
          {
            title: t('waiting.stage'),
            key: 'stage',
            render: (_, row) => (
              <span>
                <Typography.Text type="secondary">{t(`waiting.subjects.${row.subject}`)}</Typography.Text>
                {' · '}
                {stage(row)}
              </span>
            ),
          },
          ...buckets.map((bucket, index) => ({
            title: t(`waiting.buckets.${bucket.key}`),
            key: bucket.key,
            align: 'center' as const,
            onCell: (row: Row) => ({
              style: { background: heat(row.counts[index] ?? 0, max) },
              'data-testid': `waiting-cell-${row.subject}-${row.stage}-${bucket.key}`,
            }),
            render: (_: unknown, row: Row) => {
              const count = row.counts[index] ?? 0;
              if (count === 0 || row.subject !== 'order') return <span>{count}</span>;
              return (
                <Link
                  to={`/orders?${new URLSearchParams({
                    awaiting: row.stage,
                    ...bucketSince(bucket.key, Date.parse(report.data!.generatedAt)),
                  }).toString()}`}
                  className="heat-link"
                  aria-label={t('waiting.cellLink', {
                    count,
                    stage: stage(row),
                    bucket: t(`waiting.buckets.${bucket.key}`),
                  })}
                >
                  {count}
                </Link>
              );
            },
          })),
          { title: t('waiting.total'), key: 'total', align: 'center', dataIndex: 'total' },
          {
            title: t('waiting.oldest'),
            key: 'oldest',
            render: (_, row) =>
              row.oldestSince
                ? `${duration((Date.now() - new Date(row.oldestSince).getTime()) / 1000)} · ${dateTime(row.oldestSince, i18n.language)}`
                : '—',
          },
        ]}
      />
      {report.data && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          {t('waiting.generatedAt', { at: dateTime(report.data.generatedAt, i18n.language) })}
        </Typography.Paragraph>
      )}
    </>
  );
}
