import { Alert, Button, Popconfirm, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { useOrderAction } from '../../../hooks/api/orders';
import { useHold, useTasks, type Task, type TaskScope } from '../../../hooks/api/tasks';
import { describeError } from '../../../lib/errors';
import { duration, money } from '../../../lib/format';
import { hasRole, MANAGERS } from '../../../lib/roles';
import { useMe } from '../../../lib/session';

/** Each scope has its own address, so the navigation can link (and count) each. */
export const SCOPE_PATHS: Record<TaskScope, string> = {
  mine: '/tasks',
  unassigned: '/tasks/unassigned',
  team: '/tasks/team',
};

/** Where a task is worked on: a return's own page, or the order's. */
const taskPath = (task: Task) => (task.returnId ? `/returns/${task.returnId}` : `/orders/${task.orderId}`);

/** Order actions taken from the list without a form (the order page asks for the rest, e.g. ship). */
const DIRECT_ACTIONS = ['approve', 'complete', 'retryPayment'] as const;
type DirectAction = (typeof DIRECT_ACTIONS)[number];
const isDirect = (action: Task['action']): action is DirectAction =>
  (DIRECT_ACTIONS as readonly string[]).includes(action);

/**
 * Tasks: orders and returns waiting for a person, oldest wait first, as mine (held by me or by someone I stand
 * in for), unassigned (held by nobody) or the team's (held by someone; managers and admins).
 */
export function TaskListPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const location = useLocation();
  const navigate = useNavigate();
  const manager = hasRole(me.roles, MANAGERS);
  const scopes: TaskScope[] = manager ? ['mine', 'unassigned', 'team'] : ['mine', 'unassigned'];
  const scope =
    (Object.entries(SCOPE_PATHS).find(([, path]) => path === location.pathname)?.[0] as TaskScope) ?? 'mine';
  const tasks = useTasks(scope);
  const [error, setError] = useState<string | null>(null);
  const now = Date.now();
  const fetchedAt = tasks.dataUpdatedAt || now;

  return (
    <>
      <div className="page-header">
        <Typography.Title level={1}>{t('tasks.title')}</Typography.Title>
      </div>
      <Tabs
        activeKey={scope}
        onChange={(key) => {
          setError(null);
          void navigate(SCOPE_PATHS[key as TaskScope]);
        }}
        items={scopes.map((key) => ({ key, label: t(`tasks.scopes.${key}`) }))}
      />
      <Typography.Paragraph type="secondary">{t(`tasks.scopeHelp.${scope}`)}</Typography.Paragraph>
      {tasks.error && <Alert type="error" showIcon title={describeError(tasks.error, t).message} />}
      {error && (
        <Alert
          type="error"
          showIcon
          closable
          title={error}
          onClose={() => setError(null)}
          style={{ marginBottom: 16 }}
          data-testid="task-error"
        />
      )}
      <Table<Task>
        data-testid="task-list"
        rowKey={(task) => task.returnId ?? task.orderId}
        loading={tasks.isLoading}
        dataSource={tasks.data?.items ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        scroll={{ x: 900 }}
        columns={[
          {
            title: t('tasks.number'),
            key: 'number',
            render: (_, task) => (
              <Space size="small">
                <Link to={taskPath(task)}>{task.number}</Link>
                {task.kind === 'return' && <Tag>{t('tasks.kinds.return')}</Tag>}
              </Space>
            ),
          },
          {
            title: t('tasks.waitsFor'),
            key: 'waitsFor',
            render: (_, task) => t(`tasks.actions.${task.action}`),
          },
          {
            title: t('tasks.waited'),
            key: 'waited',
            render: (_, task) => duration(task.waitedSeconds + (now - fetchedAt) / 1000),
          },
          {
            title: t('tasks.assignee'),
            key: 'assignee',
            render: (_, task) => task.assignee?.displayName ?? t('tasks.nobody'),
          },
          {
            title: t('orders.fields.total'),
            key: 'total',
            align: 'right',
            render: (_, task) => money(task.total, task.currency, i18n.language),
          },
          {
            title: t('tasks.actionsColumn'),
            key: 'actions',
            render: (_, task) => <TaskActions task={task} onError={setError} />,
          },
        ]}
      />
    </>
  );
}

/** Claim what nobody holds; take the waiting step itself where it needs no form; else open the order or return. */
function TaskActions({ task, onError }: { task: Task; onError: (message: string | null) => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const hold = useHold({ kind: task.kind, id: task.returnId ?? task.orderId, orderId: task.orderId });
  const act = useOrderAction(task.orderId);
  const direct =
    task.kind === 'order' &&
    isDirect(task.action) &&
    (task.awaiting !== 'manager_approval' || hasRole(me.roles, MANAGERS));
  const run = async (work: () => Promise<unknown>) => {
    onError(null);
    try {
      await work();
    } catch (failure) {
      onError(`${task.number}: ${describeError(failure, t).message}`);
    }
  };
  return (
    <Space size="small" wrap>
      {task.assignee === null && (
        <Button
          size="small"
          loading={hold.isPending}
          data-testid={`claim-${task.number}`}
          onClick={() => void run(() => hold.mutateAsync({ action: 'claim' }))}
        >
          {t('assignment.claim')}
          <span className="visually-hidden"> {task.number}</span>
        </Button>
      )}
      {direct && (
        <Popconfirm
          title={t('tasks.confirm', { action: t(`orders.actions.${task.action}`), number: task.number })}
          okText={t(`orders.actions.${task.action}`)}
          cancelText={t('common.cancel')}
          onConfirm={() =>
            void run(() =>
              act.mutateAsync(
                task.action === 'approve'
                  ? { action: 'approve', body: {} }
                  : { action: task.action as 'complete' | 'retryPayment' },
              ),
            )
          }
        >
          <Button
            size="small"
            type="primary"
            loading={act.isPending}
            data-testid={`${task.action}-${task.number}`}
          >
            {t(`orders.actions.${task.action}`)}
            <span className="visually-hidden"> {task.number}</span>
          </Button>
        </Popconfirm>
      )}
      <Link to={taskPath(task)}>
        {t('tasks.open')}
        <span className="visually-hidden"> {task.number}</span>
      </Link>
    </Space>
  );
}
