import { Alert, Button, Card, Form, Input, InputNumber, Select, Space, Table, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocations } from '../../../../hooks/api/locations';
import { ordersQueryKeys, useCreateShipment } from '../../../../hooks/api/orders';
import type { Order } from '../../../../lib/client';
import { describeError } from '../../../../lib/errors';
import { hasRole, MANAGERS } from '../../../../lib/roles';
import { useMe } from '../../../../lib/session';

type Line = Order['lines'][number];

/** The location every order ships from unless told otherwise (created by the migration). */
const MAIN = 'MAIN';

interface Values {
  /** Units to ship now, by SKU. */
  quantities: Record<string, number | null>;
  location: string;
  carrier: string;
  trackingNumber: string;
}

/**
 * Per line of an order being fulfilled: how many units have shipped, how many are reserved and ready, how
 * many still wait for stock; and, when the API says the signed-in person may ship (`actions`), a parcel of
 * any of the ready units (`POST /api/orders/:id/shipments`). Shown while the order is processing and once
 * anything has shipped.
 */
export function OrderFulfilment({ order }: { order: Order }) {
  const { t } = useTranslation();
  const [shipped, setShipped] = useState<string | null>(null);
  if (order.status !== 'processing' && order.shipments.length === 0) return null;
  // The form starts again from the order's new figures after a shipment (or a restock) changed them.
  const figures = order.lines.map((l) => `${l.sku}:${l.shippedQuantity}:${l.reservedQuantity}`).join(',');
  return (
    <Card title={t('shipments.fulfilment.title')} size="small" data-testid="order-fulfilment">
      {shipped && (
        <Alert
          type="success"
          showIcon
          closable={{ onClose: () => setShipped(null) }}
          title={t('shipments.fulfilment.done', { trackingNumber: shipped })}
          style={{ marginBottom: 12 }}
          data-testid="shipment-done"
        />
      )}
      <FulfilmentForm
        key={figures}
        order={order}
        onShipping={() => setShipped(null)}
        onShipped={(trackingNumber) => setShipped(trackingNumber)}
      />
    </Card>
  );
}

function FulfilmentForm(props: {
  order: Order;
  onShipping: () => void;
  onShipped: (trackingNumber: string) => void;
}) {
  const { order } = props;
  const { t } = useTranslation();
  const me = useMe();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const create = useCreateShipment(order.id);
  const queryClient = useQueryClient();
  const canShip = order.actions.includes('ship');
  // Only managers and admins may list the locations; everyone else ships from MAIN.
  const locations = useLocations(canShip && hasRole(me.roles, MANAGERS));
  const closed = order.status === 'cancelled' || order.status === 'rejected';

  const submit = async (values: Values) => {
    setError(null);
    props.onShipping();
    const lines = order.lines
      .map(({ sku }) => ({ sku, quantity: values.quantities[sku] ?? 0 }))
      .filter(({ quantity }) => quantity > 0);
    if (lines.length === 0) {
      setError(t('shipments.fulfilment.nothing'));
      return;
    }
    try {
      const shipment = await create.mutateAsync({
        lines,
        location: values.location,
        carrier: values.carrier.trim(),
        trackingNumber: values.trackingNumber.trim(),
      });
      props.onShipped(shipment.trackingNumber);
    } catch (failure) {
      const described = describeError(failure, t);
      if (described.conflict)
        void queryClient.invalidateQueries({ queryKey: ordersQueryKeys.detail(order.id) });
      // `lines.N.…` is the N-th line of the request, not of the order.
      const line = /^lines\.(\d+)\./.exec(described.field ?? '');
      const sku = line ? lines[Number(line[1])]?.sku : undefined;
      if (sku) {
        form.setFields([{ name: ['quantities', sku], errors: [described.message] }]);
      } else if (described.field && ['location', 'carrier', 'trackingNumber'].includes(described.field)) {
        form.setFields([{ name: described.field as keyof Values, errors: [described.message] }]);
      } else {
        setError(described.message);
      }
    }
  };

  const figure = (name: string, value: number | string) => <span data-figure={name}>{value}</span>;
  const columns = [
    { title: t('orders.fields.sku'), dataIndex: 'sku' },
    { title: t('orders.fields.product'), dataIndex: 'name' },
    {
      title: t('shipments.fulfilment.ordered'),
      key: 'ordered',
      align: 'right' as const,
      render: (_: unknown, line: Line) => figure('ordered', line.quantity),
    },
    {
      title: t('shipments.fulfilment.shipped'),
      key: 'shipped',
      align: 'right' as const,
      render: (_: unknown, line: Line) => figure('shipped', line.shippedQuantity),
    },
    {
      title: t('shipments.fulfilment.ready'),
      key: 'ready',
      align: 'right' as const,
      render: (_: unknown, line: Line) => figure('ready', line.reservedQuantity),
    },
    {
      title: t('shipments.fulfilment.waiting'),
      key: 'waiting',
      align: 'right' as const,
      // A closed order waits for nothing: what did not ship was cancelled.
      render: (_: unknown, line: Line) =>
        figure(
          'waiting',
          closed ? '—' : Math.max(0, line.quantity - line.shippedQuantity - line.reservedQuantity),
        ),
    },
    ...(canShip
      ? [
          {
            title: t('shipments.fulfilment.toShip'),
            key: 'toShip',
            width: 150,
            render: (_: unknown, line: Line) => (
              <Form.Item name={['quantities', line.sku]} style={{ margin: 0 }}>
                <InputNumber<number>
                  aria-label={t('shipments.fulfilment.quantityOf', { sku: line.sku })}
                  min={0}
                  precision={0}
                  style={{ width: 110 }}
                />
              </Form.Item>
            ),
          },
        ]
      : []),
  ];

  const locationOptions = (locations.data ?? [{ code: MAIN, name: '' }]).map(({ code, name }) => ({
    value: code,
    label: name ? `${code} · ${name}` : code,
  }));

  return (
    <Form<Values>
      form={form}
      layout="vertical"
      initialValues={{
        quantities: Object.fromEntries(order.lines.map((line) => [line.sku, line.reservedQuantity])),
        location: MAIN,
        carrier: '',
        trackingNumber: '',
      }}
      onFinish={(values) => void submit(values)}
    >
      {canShip && (
        <Typography.Paragraph type="secondary">{t('shipments.fulfilment.help')}</Typography.Paragraph>
      )}
      <Table<Line>
        rowKey="sku"
        size="small"
        pagination={false}
        dataSource={order.lines}
        scroll={{ x: 700 }}
        columns={columns}
      />
      {canShip && (
        <>
          {error && <Alert type="error" showIcon title={error} role="alert" style={{ margin: '12px 0' }} />}
          <Space wrap align="start" style={{ marginTop: 12 }}>
            <Form.Item name="location" label={t('shipments.fulfilment.location')} htmlFor="shipment-location">
              <Select id="shipment-location" options={locationOptions} style={{ width: 200 }} />
            </Form.Item>
            <Form.Item
              name="carrier"
              label={t('orders.fields.carrier')}
              htmlFor="shipment-carrier"
              rules={[{ required: true, whitespace: true, message: t('common.required') }]}
            >
              <Input id="shipment-carrier" maxLength={100} style={{ width: 200 }} />
            </Form.Item>
            <Form.Item
              name="trackingNumber"
              label={t('orders.fields.trackingNumber')}
              htmlFor="shipment-tracking-number"
              rules={[{ required: true, whitespace: true, message: t('common.required') }]}
            >
              <Input id="shipment-tracking-number" maxLength={100} style={{ width: 220 }} />
            </Form.Item>
          </Space>
          <div>
            <Button type="primary" htmlType="submit" loading={create.isPending} data-testid="ship-selection">
              {t('shipments.fulfilment.submit')}
            </Button>
          </div>
        </>
      )}
    </Form>
  );
}
