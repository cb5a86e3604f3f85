import { Alert, Button, Card, Table, Tag, Tooltip } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDestinations, useSetDestinationPaused } from '../../../../hooks/api/operations';
import type { Schemas } from '../../../../lib/client';
import { describeError } from '../../../../lib/errors';
import { dateTime, duration } from '../../../../lib/format';
import { hasRole, MANAGERS } from '../../../../lib/roles';
import { useMe } from '../../../../lib/session';

type Destination = Schemas['DestinationDto'];

const STATE_COLOR: Record<Destination['state'], string> = {
  closed: 'green',
  half_open: 'orange',
  open: 'red',
};

/**
 * Where deliveries go (the SMTP server, each webhook host): its circuit breaker, whether it is paused, how
 * many deliveries wait in its outbox and for how long; managers pause and resume it here.
 */
export function DestinationTable() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const destinations = useDestinations();
  const setPaused = useSetDestinationPaused();
  const [error, setError] = useState<string | null>(null);
  const mayPause = hasRole(me.roles, MANAGERS);
  return (
    <Card title={t('deliveries.destinations.title')} size="small" style={{ marginBottom: 16 }}>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Table<Destination>
        rowKey="id"
        size="small"
        loading={destinations.isLoading}
        dataSource={destinations.data?.items ?? []}
        pagination={false}
        scroll={{ x: 900 }}
        locale={{ emptyText: t('deliveries.destinations.empty') }}
        columns={[
          {
            title: t('deliveries.destinations.name'),
            dataIndex: 'name',
            render: (name: string, d) => (
              <span>
                {name === 'smtp' ? t('deliveries.destinations.smtp') : name.replace(/^webhook:/, '')}{' '}
                <Tag>{t(`deliveries.channels.${d.channel}`)}</Tag>
              </span>
            ),
          },
          {
            title: t('deliveries.destinations.state'),
            key: 'state',
            render: (_, d) => (
              <>
                <Tooltip title={t(`deliveries.destinations.stateHelp.${d.state}`)}>
                  <Tag color={STATE_COLOR[d.state]} data-testid={`breaker-${d.name}`}>
                    {t(`deliveries.destinations.states.${d.state}`)}
                  </Tag>
                </Tooltip>
                {d.paused && <Tag color="blue">{t('deliveries.destinations.paused')}</Tag>}
              </>
            ),
          },
          { title: t('deliveries.destinations.waiting'), dataIndex: 'waiting', align: 'right' },
          {
            title: t('deliveries.destinations.oldest'),
            dataIndex: 'oldestWaitingSeconds',
            align: 'right',
            render: (seconds: number | null) => (seconds === null ? '—' : duration(seconds)),
          },
          {
            title: t('deliveries.destinations.nextProbe'),
            key: 'nextProbe',
            render: (_, d) => (d.state === 'closed' ? '—' : dateTime(d.nextProbeAt, i18n.language)),
          },
          {
            title: t('deliveries.lastError'),
            dataIndex: 'lastError',
            render: (e: string | null) => e ?? '—',
          },
          ...(mayPause
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  render: (_: unknown, d: Destination) => (
                    <Button
                      size="small"
                      loading={setPaused.isPending && setPaused.variables?.id === d.id}
                      onClick={() => {
                        setError(null);
                        void setPaused
                          .mutateAsync({ id: d.id, paused: !d.paused })
                          .catch((failure: unknown) => setError(describeError(failure, t).message));
                      }}
                    >
                      {d.paused ? t('deliveries.destinations.resume') : t('deliveries.destinations.pause')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
    </Card>
  );
}
