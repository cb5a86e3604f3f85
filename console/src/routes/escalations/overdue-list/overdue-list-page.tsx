import { Card, Empty, Space, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { PageHeader } from '../../../components/page-header';
import { useOverdue } from '../../../hooks/api/operations';
import { dateTime, duration } from '../../../lib/format';

/** Orders whose current wait has been escalated, by stage and level, longest wait first. */
export function OverdueListPage() {
  const { t, i18n } = useTranslation();
  const overdue = useOverdue();
  const groups = overdue.data?.items ?? [];
  return (
    <>
      <PageHeader title={t('overdue.title')} />
      {!overdue.isLoading && groups.length === 0 && <Empty description={t('overdue.none')} />}
      <Space direction="vertical" style={{ width: '100%' }}>
        {groups.map((group) => (
          <Card
            key={`${group.stage}-${group.level}`}
            size="small"
            title={t('overdue.group', {
              stage: t(`settings.escalation.stages.${group.stage}`),
              level: group.level,
            })}
          >
            <Table
              rowKey="orderId"
              size="small"
              pagination={false}
              dataSource={group.orders}
              scroll={{ x: 600 }}
              columns={[
                {
                  title: t('orders.fields.number'),
                  key: 'number',
                  render: (_, o) => <Link to={`/orders/${o.orderId}`}>{o.number}</Link>,
                },
                {
                  title: t('overdue.since'),
                  key: 'since',
                  render: (_, o) => dateTime(o.waitingSince, i18n.language),
                },
                { title: t('overdue.waited'), key: 'waited', render: (_, o) => duration(o.waitedSeconds) },
                {
                  title: t('overdue.escalatedAt'),
                  key: 'escalatedAt',
                  render: (_, o) => dateTime(o.escalatedAt, i18n.language),
                },
              ]}
            />
          </Card>
        ))}
      </Space>
    </>
  );
}
