import { Button, Card, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Order } from '../../../../lib/client';
import { dateTime } from '../../../../lib/format';

type Shipment = Order['shipments'][number];

const DOCUMENTS = [
  ['packing-slip', 'packingSlip'],
  ['shipping-label', 'shippingLabel'],
] as const;

/**
 * The parcels an order left in, oldest first: when, from where, with which carrier and tracking number,
 * what was in each, and each parcel's own packing slip and label (HTML or PDF, in a new tab).
 */
export function OrderShipments({ order }: { order: Order }) {
  const { t, i18n } = useTranslation();
  if (order.shipments.length === 0) return null;
  const names = new Map(order.lines.map((line) => [line.sku, line.name]));
  const parcel = (shipment: Shipment) => order.shipments.indexOf(shipment) + 1;
  return (
    <Card
      title={t('shipments.list.title', { count: order.shipments.length })}
      size="small"
      data-testid="order-shipments"
    >
      <Table<Shipment>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={order.shipments}
        scroll={{ x: 900 }}
        columns={[
          {
            title: t('shipments.list.parcel'),
            key: 'parcel',
            width: 70,
            render: (_, shipment) => parcel(shipment),
          },
          {
            title: t('shipments.list.shippedAt'),
            dataIndex: 'shippedAt',
            render: (at: string) => dateTime(at, i18n.language),
          },
          { title: t('shipments.list.location'), dataIndex: 'location' },
          { title: t('orders.fields.carrier'), dataIndex: 'carrier' },
          {
            title: t('orders.fields.trackingNumber'),
            dataIndex: 'trackingNumber',
            render: (trackingNumber: string) => <span data-tracking-number>{trackingNumber}</span>,
          },
          {
            title: t('shipments.list.contents'),
            key: 'contents',
            render: (_, shipment) => (
              <Space direction="vertical" size={0}>
                {shipment.lines.map((line) => (
                  <Typography.Text key={line.sku} data-shipment-line={line.sku}>
                    {`${names.get(line.sku) ?? ''} (${line.sku}) × ${line.quantity}`}
                  </Typography.Text>
                ))}
              </Space>
            ),
          },
          {
            title: t('shipments.list.documents'),
            key: 'documents',
            render: (_, shipment) => (
              <Space direction="vertical" size={4}>
                {DOCUMENTS.map(([path, key]) => (
                  <Space key={path} size={4} wrap>
                    <Typography.Text style={{ display: 'inline-block', minWidth: 72 }}>
                      {t(`documents.${key}`)}
                    </Typography.Text>
                    {(['html', 'pdf'] as const).map((format) => (
                      <Button
                        key={format}
                        size="small"
                        href={`/api/orders/${order.id}/shipments/${shipment.id}/${path}${format === 'pdf' ? '?format=pdf' : ''}`}
                        target="_blank"
                        rel="noopener noreferrer"
                        aria-label={t('shipments.list.documentOf', {
                          document: t(`documents.${key}`),
                          n: parcel(shipment),
                          format: t(`documents.${format}`),
                        })}
                        data-document={`${path}-${format}`}
                      >
                        {t(`documents.${format}`)}
                      </Button>
                    ))}
                  </Space>
                ))}
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}
