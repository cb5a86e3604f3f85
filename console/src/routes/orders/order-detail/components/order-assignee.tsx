import { Alert, Button, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useHold, useTaskPeople, type HoldAction } from '../../../../hooks/api/tasks';
import type { Order } from '../../../../lib/client';
import { describeError } from '../../../../lib/errors';
import { hasRole, MANAGERS, OPERATORS } from '../../../../lib/roles';
import { useMe } from '../../../../lib/session';

const CLOSED: Order['status'][] = ['completed', 'cancelled', 'rejected'];

/**
 * Who works on the order: claim it when nobody does, free it when it is mine (managers and admins free
 * anyone's), and for managers and admins assign it to a person. The API decides; a refusal is shown.
 */
export function OrderAssignee({ order }: { order: Order }) {
  const { t } = useTranslation();
  const me = useMe();
  const hold = useHold({ kind: 'order', id: order.id, orderId: order.id });
  const manager = hasRole(me.roles, MANAGERS);
  const people = useTaskPeople(manager);
  const [error, setError] = useState<string | null>(null);
  const assignee = order.assignee ?? null;
  const open = !CLOSED.includes(order.status);
  const operator = hasRole(me.roles, OPERATORS);

  const run = async (input: HoldAction) => {
    setError(null);
    try {
      await hold.mutateAsync(input);
    } catch (failure) {
      setError(describeError(failure, t).message);
    }
  };

  return (
    <Space direction="vertical" size="small" style={{ width: '100%' }}>
      <Space wrap size="small">
        <Typography.Text data-testid="order-assignee">
          {assignee ? `${assignee.displayName} (${assignee.username})` : t('tasks.nobody')}
        </Typography.Text>
        {operator && open && assignee === null && (
          <Button size="small" loading={hold.isPending} onClick={() => void run({ action: 'claim' })}>
            {t('assignment.claim')}
          </Button>
        )}
        {operator && assignee !== null && (assignee.id === me.id || manager) && (
          <Button size="small" loading={hold.isPending} onClick={() => void run({ action: 'unclaim' })}>
            {t('assignment.unclaim')}
          </Button>
        )}
        {manager && open && (
          <Select
            size="small"
            showSearch
            optionFilterProp="label"
            style={{ minWidth: 200 }}
            aria-label={t('assignment.assignTo')}
            placeholder={t('assignment.assignTo')}
            loading={people.isLoading}
            value={null}
            data-testid="order-assign"
            options={(people.data?.items ?? [])
              .filter((person) => person.id !== assignee?.id)
              .map((person) => ({ value: person.id, label: `${person.displayName} (${person.username})` }))}
            onChange={(userId: string | null) => {
              if (userId) void run({ action: 'assign', userId });
            }}
          />
        )}
      </Space>
      {error && <Alert type="error" showIcon title={error} data-testid="assignee-error" />}
    </Space>
  );
}
