import { Alert, Button, Space, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useOrderHistory, useVerifyHistory } from '../../../../hooks/api/orders';
import type { Order } from '../../../../lib/client';
import { describeError } from '../../../../lib/errors';
import { dateTime } from '../../../../lib/format';

/** The order's business history as a timeline, its raw export, replay verification and archive. */
export function HistoryPanel({ order }: { order: Order }) {
  const { t, i18n } = useTranslation();
  const history = useOrderHistory(order.id, true);
  const verify = useVerifyHistory(order.id);
  const final = ['completed', 'cancelled', 'rejected'].includes(order.status);
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Space wrap>
        <Button type="primary" onClick={() => verify.mutate(undefined)} loading={verify.isPending}>
          {t('history.verify')}
        </Button>
        <a href={`/api/orders/${order.id}/history/raw`} download={`${order.number}-history.json`}>
          {t('history.raw')}
        </a>
        {final && (
          <a href={`/api/orders/${order.id}/archive`} download={`${order.number}-archive.json`}>
            {t('history.archive')}
          </a>
        )}
        <Typography.Text type="secondary">
          {t('history.workflowId', { id: `order:${order.id}` })}
        </Typography.Text>
      </Space>
      {verify.data && (
        <Alert
          data-testid="verify-result"
          type={verify.data.ok ? 'success' : 'error'}
          showIcon
          title={
            verify.data.ok ? t('history.verified', { events: verify.data.events }) : t('history.notVerified')
          }
          description={verify.data.detail}
        />
      )}
      {verify.error && <Alert type="error" showIcon title={describeError(verify.error, t).message} />}
      {history.error && <Alert type="error" showIcon title={describeError(history.error, t).message} />}
      <Timeline
        data-testid="history"
        items={(history.data?.items ?? []).map((step) => ({
          key: `${step.at}-${step.kind}`,
          color: step.kind.startsWith('action.') ? 'blue' : step.kind.includes('fail') ? 'red' : 'gray',
          content: (
            <div>
              <Typography.Text strong>
                {t(`history.kinds.${step.kind.split('.')[0]}`, { defaultValue: step.kind })}
              </Typography.Text>{' '}
              <Typography.Text code>{step.kind}</Typography.Text>
              <div>
                <Typography.Text type="secondary">
                  {dateTime(step.at, i18n.language)}
                  {step.actor ? ` · ${step.actor.username}` : ''}
                  {step.status ? ` · ${t(`status.${step.status}`)}` : ''}
                </Typography.Text>
              </div>
              {step.details && Object.keys(step.details).length > 0 && (
                <div className="history-details">{JSON.stringify(step.details)}</div>
              )}
            </div>
          ),
        }))}
      />
    </Space>
  );
}
