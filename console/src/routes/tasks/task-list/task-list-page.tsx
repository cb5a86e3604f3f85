import { Alert, Card, Col, Row, Statistic, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { StatusTag } from '../../../components/status-tag';
import { TASK_KINDS, useMyTasks, type TaskKind } from '../../../hooks/api/orders';
import { useCustomerNames } from '../../../hooks/use-customer-names';
import type { Order } from '../../../lib/client';
import { describeError } from '../../../lib/errors';
import { duration, money } from '../../../lib/format';

/** My tasks: the orders waiting for something I may do, oldest wait first, counted per kind. */
export function TaskListPage() {
  const { t, i18n } = useTranslation();
  const tasks = useMyTasks();
  const customerName = useCustomerNames();
  const now = Date.now();
  return (
    <>
      <div className="page-header">
        <Typography.Title level={1}>{t('tasks.title')}</Typography.Title>
      </div>
      {tasks.error && <Alert type="error" showIcon title={describeError(tasks.error, t).message} />}
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        {TASK_KINDS.map((kind) => (
          <Col key={kind} xs={12} md={6}>
            <Card size="small">
              <Statistic title={t(`tasks.kinds.${kind}`)} value={tasks.data?.counts[kind] ?? 0} />
            </Card>
          </Col>
        ))}
      </Row>
      <Table<{ kind: TaskKind; order: Order }>
        data-testid="task-list"
        rowKey={(task) => task.order.id}
        loading={tasks.isLoading}
        dataSource={tasks.data?.tasks ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        scroll={{ x: 800 }}
        columns={[
          { title: t('tasks.kind'), key: 'kind', render: (_, task) => t(`tasks.kinds.${task.kind}`) },
          {
            title: t('orders.fields.number'),
            key: 'number',
            render: (_, task) => <Link to={`/orders/${task.order.id}`}>{task.order.number}</Link>,
          },
          {
            title: t('orders.fields.status'),
            key: 'status',
            render: (_, task) => <StatusTag status={task.order.status} awaiting={task.order.awaiting} />,
          },
          {
            title: t('orders.fields.customer'),
            key: 'customer',
            render: (_, task) => customerName(task.order.customerId),
          },
          {
            title: t('orders.fields.total'),
            key: 'total',
            align: 'right',
            render: (_, task) => money(task.order.total, task.order.currency, i18n.language),
          },
          {
            title: t('tasks.waiting'),
            key: 'waiting',
            render: (_, task) =>
              task.order.awaitingSince
                ? duration((now - new Date(task.order.awaitingSince).getTime()) / 1000)
                : '—',
          },
        ]}
      />
    </>
  );
}
