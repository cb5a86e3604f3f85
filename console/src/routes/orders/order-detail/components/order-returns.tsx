import { Alert, Button, Card } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useReturns } from '../../../../hooks/api/returns';
import type { Order } from '../../../../lib/client';
import { describeError } from '../../../../lib/errors';
import { hasRole, OPERATORS } from '../../../../lib/roles';
import { useMe } from '../../../../lib/session';
import { ReturnTable } from '../../../returns/components/return-table';
import { ReturnRequestModal } from './return-request-modal';

/**
 * The order's returns, each linking to its page, and for staff the request of a new one once units have
 * shipped (the API decides how many may still come back, and within which window).
 */
export function OrderReturns({ order }: { order: Order }) {
  const { t } = useTranslation();
  const me = useMe();
  const returns = useReturns({ orderId: order.id });
  const [requesting, setRequesting] = useState(false);
  const shipped = order.lines.some((line) => line.shippedQuantity > 0);
  const mayRequest = shipped && hasRole(me.roles, OPERATORS);
  if (!shipped && (returns.data?.items.length ?? 0) === 0) return null;
  return (
    <Card
      title={t('returns.order.title')}
      size="small"
      style={{ margin: '16px 0' }}
      data-testid="order-returns"
      extra={
        mayRequest && (
          <Button size="small" onClick={() => setRequesting(true)} data-testid="request-return">
            {t('returns.order.request')}
          </Button>
        )
      }
    >
      {returns.error && (
        <Alert type="error" showIcon title={describeError(returns.error, t).message} role="alert" />
      )}
      <ReturnTable returns={returns.data?.items ?? []} loading={returns.isLoading} compact />
      {requesting && <ReturnRequestModal order={order} onClose={() => setRequesting(false)} />}
    </Card>
  );
}
