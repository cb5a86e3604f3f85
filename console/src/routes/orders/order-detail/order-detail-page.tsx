import { Alert, Button, Card, Col, Descriptions, Row, Spin, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { PricedLines } from '../../../components/priced-lines';
import { useParams } from 'react-router-dom';
import { StatusTag } from '../../../components/status-tag';
import { useCustomer } from '../../../hooks/api/customers';
import { useOrder, useWorkflowLink } from '../../../hooks/api/orders';
import type { Order } from '../../../lib/client';
import { describeError } from '../../../lib/errors';
import { dateTime, duration, money } from '../../../lib/format';
import { ADMINS, hasRole, OVERSEERS } from '../../../lib/roles';
import { useMe } from '../../../lib/session';
import { HistoryPanel } from './components/history-panel';
import { OrderAssignee } from './components/order-assignee';
import { OrderActions } from './components/order-actions';
import { OrderDocuments } from './components/order-documents';
import { OrderFulfilment } from './components/order-fulfilment';
import { OrderMessages } from './components/order-messages';
import { OrderReturns } from './components/order-returns';
import { OrderShipments } from './components/order-shipments';
import { PipelineDiagram } from './components/pipeline-diagram';

/** One order: who, what, how much, where it is in the pipeline, what happened, and what you may do now. */
export function OrderDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const order = useOrder(id);
  if (order.isLoading) return <Spin className="page-spin" />;
  if (order.error || !order.data)
    return <Alert type="error" showIcon title={describeError(order.error, t).message} />;
  return <OrderDetail order={order.data} />;
}

function OrderDetail({ order }: { order: Order }) {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const customer = useCustomer(order.customerId);
  const workflow = useWorkflowLink(order.id, hasRole(me.roles, ADMINS));
  const lang = i18n.language;
  const m = (minor: number) => money(minor, order.currency, lang);
  const closure = order.cancellation ?? order.rejection;
  const waited = order.awaitingSince ? (Date.now() - new Date(order.awaitingSince).getTime()) / 1000 : null;

  const details = (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={12}>
        <Card title={t('orders.detail.customer')} size="small">
          <Descriptions column={1} size="small">
            <Descriptions.Item label={t('customers.fields.name')}>
              <span data-testid="customer-name">{customer.data?.name ?? '…'}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('customers.fields.email')}>
              {customer.data?.email ?? '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('customers.fields.phone')}>
              {customer.data?.phone ?? '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('customers.fields.address')}>
              {customer.data?.address ?? '—'}
            </Descriptions.Item>
          </Descriptions>
        </Card>
      </Col>
      <Col xs={24} xl={12}>
        <Card title={t('orders.detail.progress')} size="small">
          <Descriptions column={1} size="small">
            <Descriptions.Item label={t('orders.fields.payment')}>
              {order.payment
                ? `${t(`payment.${order.payment.status}`)} · ${m(order.payment.amount)}${order.payment.lastError ? ` · ${order.payment.lastError}` : ''}`
                : '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('orders.fields.shipment')}>
              <ShipmentSummary order={order} />
            </Descriptions.Item>
            <Descriptions.Item label={t('tasks.assignee')}>
              <OrderAssignee order={order} />
            </Descriptions.Item>
            <Descriptions.Item label={t('orders.fields.waiting')}>
              {order.awaiting && waited !== null
                ? t('orders.detail.waitingFor', {
                    what: t(`awaiting.${order.awaiting}`),
                    time: duration(waited),
                  })
                : '—'}
            </Descriptions.Item>
            {order.stockShortages.length > 0 && (
              <Descriptions.Item label={t('orders.fields.shortages')}>
                {order.stockShortages.map((s) => `${s.sku}: ${s.available}/${s.requested}`).join(', ')}
              </Descriptions.Item>
            )}
            <Descriptions.Item label={t('orders.fields.approvals')}>
              {order.approvals.length === 0
                ? '—'
                : order.approvals
                    .map((a) =>
                      a.automatic
                        ? t('orders.detail.autoApproved', { amount: m(a.amount) })
                        : `${a.by.username} · ${m(a.amount)}${a.comment ? ` · ${a.comment}` : ''}`,
                    )
                    .join('; ')}
            </Descriptions.Item>
            {closure && (
              <Descriptions.Item label={t(`status.${order.status}`)}>
                {`${closure.by.username} · ${closure.reason} · ${dateTime(closure.at, lang)}`}
              </Descriptions.Item>
            )}
            {order.notes && (
              <Descriptions.Item label={t('orders.fields.notes')}>{order.notes}</Descriptions.Item>
            )}
          </Descriptions>
        </Card>
      </Col>
      <Col xs={24} xl={12}>
        <OrderDocuments order={order} />
      </Col>
      <Col span={24}>
        <Card title={t('orders.detail.lines')} size="small">
          <PricedLines
            lines={order.lines}
            total={order.total}
            currency={order.currency}
            totalLabel="orders.fields.total"
            totalTestId="order-total"
          />
        </Card>
      </Col>
      <Col span={24}>
        <OrderFulfilment order={order} />
      </Col>
      <Col span={24}>
        <OrderShipments order={order} />
      </Col>
    </Row>
  );

  return (
    <>
      <div className="page-header">
        <Typography.Title level={1}>
          {t('orders.detail.title', { number: order.number })}{' '}
          <StatusTag status={order.status} awaiting={order.awaiting} />
        </Typography.Title>
        <OrderActions order={order} />
      </div>
      <Card size="small" style={{ marginBottom: 16 }} title={t('orders.pipeline.title')}>
        <PipelineDiagram order={order} now={new Date()} />
        <div>
          <Typography.Text type="secondary">
            {t('orders.detail.created', { at: dateTime(order.createdAt, lang) })}
          </Typography.Text>
          {workflow.data?.url && (
            <Button
              type="link"
              size="small"
              href={workflow.data.url}
              target="_blank"
              rel="noopener noreferrer"
              data-testid="temporal-link"
            >
              {t('orders.detail.openWorkflow', { id: workflow.data.workflowId })}
            </Button>
          )}
        </div>
      </Card>
      {hasRole(me.roles, OVERSEERS) ? (
        <Tabs
          items={[
            { key: 'details', label: t('orders.detail.tabDetails'), children: details },
            {
              key: 'history',
              label: t('orders.detail.tabHistory'),
              children: <HistoryPanel order={order} />,
            },
          ]}
        />
      ) : (
        details
      )}
      <OrderReturns order={order} />
      <OrderMessages order={order} />
    </>
  );
}

/**
 * The order's shipment at a glance: once everything has left, its (last) parcel; while it leaves in parts,
 * how many units have left in how many parcels and the latest of them; before that, nothing.
 */
function ShipmentSummary({ order }: { order: Order }) {
  const { t, i18n } = useTranslation();
  const parcel = (shipment: { carrier: string; trackingNumber: string; shippedAt: string }) =>
    `${shipment.carrier} · ${shipment.trackingNumber} · ${dateTime(shipment.shippedAt, i18n.language)}`;
  if (order.shipment) return <>{parcel(order.shipment)}</>;
  const last = order.shipments.at(-1);
  if (!last) return <>—</>;
  const sum = (quantities: number[]) => quantities.reduce((total, quantity) => total + quantity, 0);
  return (
    <span data-testid="shipment-summary">
      {t('orders.detail.partlyShipped', {
        shipped: sum(order.lines.map((line) => line.shippedQuantity)),
        total: sum(order.lines.map((line) => line.quantity)),
        count: order.shipments.length,
        parcel: parcel(last),
      })}
    </span>
  );
}
