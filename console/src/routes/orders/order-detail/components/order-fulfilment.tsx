import { Alert, Button, Card, Form, Input, InputNumber, Select, Space, Table, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ordersQueryKeys, useCreateShipment, useOrderFulfilment } from '../../../../hooks/api/orders';
import type { Order, Schemas } from '../../../../lib/client';
import { describeError } from '../../../../lib/errors';

type Line = Order['lines'][number];
type Fulfilment = Schemas['OrderFulfilmentDto'];
type AtLocation = Fulfilment['lines'][number]['locations'][number];

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
  const shown = order.status === 'processing' || order.shipments.length > 0;
  const fulfilment = useOrderFulfilment(order.id, shown);
  if (!shown) return null;
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
        fulfilment={fulfilment.data}
        onShipping={() => setShipped(null)}
        onShipped={(trackingNumber) => setShipped(trackingNumber)}
      />
    </Card>
  );
}

function FulfilmentForm(props: {
  order: Order;
  /** The lines per location; undefined while it loads. */
  fulfilment: Fulfilment | undefined;
  onShipping: () => void;
  onShipped: (trackingNumber: string) => void;
}) {
  const { order, fulfilment } = props;
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const create = useCreateShipment(order.id);
  const queryClient = useQueryClient();
  const canShip = order.actions.includes('ship');
  const closed = order.status === 'cancelled' || order.status === 'rejected';
  const perLocation = new Map(fulfilment?.lines.map((line) => [line.sku, line.locations]) ?? []);
  const planned = fulfilment && plannedParcel(order, fulfilment);
  // The figures per location come after the order's: an untouched form then offers the planned parcel
  // (the effect follows the plan's content, not its identity).
  const plannedKey = planned ? JSON.stringify(planned) : '';
  useEffect(() => {
    if (planned && !form.isFieldsTouched()) form.setFieldsValue(planned);
  }, [plannedKey]);

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
    {
      title: t('shipments.fulfilment.byLocation'),
      key: 'byLocation',
      render: (_: unknown, line: Line) => <ByLocation places={perLocation.get(line.sku)} sku={line.sku} />,
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

  const locationOptions = (fulfilment?.locations ?? [{ code: MAIN, name: '' }]).map(({ code, name }) => ({
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
        ...planned,
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
              <Select
                id="shipment-location"
                options={locationOptions}
                showSearch={{ optionFilterProp: 'label' }}
                style={{ width: 200 }}
              />
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

/**
 * One line at each location that has anything to do with it: units that left from there, ready units that
 * would leave from there now, and what the location holds of the product.
 */
function ByLocation({ places, sku }: { places: AtLocation[] | undefined; sku: string }) {
  const { t } = useTranslation();
  if (!places) return <>…</>;
  const relevant = places.filter((place) => place.shipped > 0 || place.ready > 0 || place.onHand > 0);
  if (relevant.length === 0) return <>—</>;
  return (
    <Space direction="vertical" size={0}>
      {relevant.map((place) => (
        <Typography.Text key={place.location} data-location-figures={`${sku}@${place.location}`}>
          {t('shipments.fulfilment.atLocation', {
            location: place.location,
            shipped: place.shipped,
            ready: place.ready,
            onHand: place.onHand,
          })}
        </Typography.Text>
      ))}
    </Space>
  );
}

/**
 * The parcel the form offers: what the first location to send would send now (as `ship` plans it), once
 * the figures per location agree with the order's; undefined before.
 */
function plannedParcel(
  order: Order,
  fulfilment: Fulfilment,
): Pick<Values, 'quantities' | 'location'> | undefined {
  const lines = new Map(fulfilment.lines.map((line) => [line.sku, line]));
  const agree = order.lines.every(
    (line) =>
      lines.get(line.sku)?.shippedQuantity === line.shippedQuantity &&
      lines.get(line.sku)?.reservedQuantity === line.reservedQuantity,
  );
  const location = fulfilment.lines
    .flatMap((line) => line.locations)
    .find((place) => place.ready > 0)?.location;
  if (!agree || location === undefined) return undefined;
  const readyThere = (sku: string) =>
    lines.get(sku)?.locations.find((place) => place.location === location)?.ready ?? 0;
  return {
    location,
    quantities: Object.fromEntries(order.lines.map((line) => [line.sku, readyThere(line.sku)])),
  };
}
