import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Order } from '../lib/client';

const COLORS: Record<Order['status'], string> = {
  created: 'blue',
  processing: 'gold',
  shipped: 'cyan',
  completed: 'green',
  cancelled: 'default',
  rejected: 'red',
};

/** The order's status, and what it waits for, in words. */
export function StatusTag({ status, awaiting }: Pick<Order, 'status' | 'awaiting'>) {
  const { t } = useTranslation();
  return (
    <span data-testid="order-status" data-status={status} data-awaiting={awaiting ?? ''}>
      <Tag color={COLORS[status]}>{t(`status.${status}`)}</Tag>
      {awaiting && <Tag>{t(`awaiting.${awaiting}`)}</Tag>}
    </span>
  );
}
