import { Alert, Button, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { PageHeader } from '../../../components/page-header';
import { useDeliveries, useResendDelivery } from '../../../hooks/api/operations';
import type { Schemas } from '../../../lib/client';
import { describeError } from '../../../lib/errors';
import { dateTime } from '../../../lib/format';
import { DestinationTable } from './components/destination-table';

type Delivery = Schemas['DeliveryDto'];
type Status = NonNullable<Parameters<typeof useDeliveries>[0]['status']>;
type Channel = NonNullable<Parameters<typeof useDeliveries>[0]['channel']>;
const STATUSES: Status[] = ['pending', 'sending', 'retrying', 'sent', 'failed', 'unconfirmed'];
const CHANNELS: Channel[] = ['email', 'webhook'];
const RESENDABLE = ['failed', 'unconfirmed'];

/**
 * Where deliveries go and how each destination fares (its breaker, its outbox, pause and resume), then the
 * e-mails and webhook calls with their status, attempts and last error; resend the failed or unconfirmed.
 */
export function DeliveryListPage() {
  const { t, i18n } = useTranslation();
  const [status, setStatus] = useState<Status | undefined>();
  const [channel, setChannel] = useState<Channel | undefined>();
  const deliveries = useDeliveries({ ...(status ? { status } : {}), ...(channel ? { channel } : {}) });
  const resend = useResendDelivery();
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <PageHeader title={t('deliveries.title')} />
      <DestinationTable />
      <Space wrap className="filters">
        <Select
          aria-label={t('deliveries.status')}
          placeholder={t('deliveries.status')}
          allowClear
          value={status}
          onChange={setStatus}
          style={{ width: 160 }}
          options={STATUSES.map((s) => ({ value: s, label: t(`deliveries.statuses.${s}`) }))}
        />
        <Select
          aria-label={t('deliveries.channel')}
          placeholder={t('deliveries.channel')}
          allowClear
          value={channel}
          onChange={setChannel}
          style={{ width: 160 }}
          options={CHANNELS.map((c) => ({ value: c, label: t(`deliveries.channels.${c}`) }))}
        />
      </Space>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Table<Delivery>
        rowKey="id"
        loading={deliveries.isLoading}
        dataSource={deliveries.data?.items ?? []}
        pagination={false}
        scroll={{ x: 1000 }}
        columns={[
          {
            title: t('deliveries.createdAt'),
            dataIndex: 'createdAt',
            render: (at: string) => dateTime(at, i18n.language),
          },
          {
            title: t('deliveries.kind'),
            dataIndex: 'kind',
            render: (kind: string) => t(`notifications.kinds.${kind}`, { defaultValue: kind }),
          },
          {
            title: t('deliveries.channel'),
            dataIndex: 'channel',
            render: (c: string) => t(`deliveries.channels.${c}`, { defaultValue: c }),
          },
          { title: t('deliveries.address'), dataIndex: 'address' },
          {
            title: t('deliveries.status'),
            dataIndex: 'status',
            render: (s: string) => (
              <Tag color={s === 'sent' ? 'green' : RESENDABLE.includes(s) ? 'red' : 'default'}>
                {t(`deliveries.statuses.${s}`, { defaultValue: s })}
              </Tag>
            ),
          },
          { title: t('deliveries.attempts'), dataIndex: 'attempts', align: 'right' },
          { title: t('deliveries.lastError'), dataIndex: 'lastError' },
          {
            title: t('orders.fields.number'),
            key: 'order',
            render: (_, d) =>
              d.orderId ? <Link to={`/orders/${d.orderId}`}>{t('deliveries.openOrder')}</Link> : '—',
          },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, d) =>
              RESENDABLE.includes(d.status) && (
                <Button
                  size="small"
                  onClick={() => {
                    void resend
                      .mutateAsync(d.id)
                      .catch((failure: unknown) => setError(describeError(failure, t).message));
                  }}
                >
                  {t('deliveries.resend')}
                </Button>
              ),
          },
        ]}
      />
    </>
  );
}
