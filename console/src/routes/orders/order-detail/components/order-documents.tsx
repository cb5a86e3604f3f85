import { Button, Card, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Order } from '../../../../lib/client';

/** From `processing` on an order has something to invoice, pack and ship (as the API says with a 409). */
const PRINTABLE: Order['status'][] = ['processing', 'shipped', 'completed'];
const DOCUMENTS = [
  ['invoice', 'invoice'],
  ['packing-slip', 'packingSlip'],
  ['shipping-label', 'shippingLabel'],
] as const;

/** Invoice, packing slip and shipping label of the order, as HTML or PDF, opened in a new tab. */
export function OrderDocuments({ order }: { order: Order }) {
  const { t } = useTranslation();
  return (
    <Card title={t('documents.title')} size="small" data-testid="order-documents">
      {PRINTABLE.includes(order.status) ? (
        <Space direction="vertical">
          {DOCUMENTS.map(([path, key]) => (
            <Space key={path} wrap>
              <Typography.Text style={{ display: 'inline-block', minWidth: 96 }}>
                {t(`documents.${key}`)}
              </Typography.Text>
              {(['html', 'pdf'] as const).map((format) => (
                <Button
                  key={format}
                  size="small"
                  href={`/api/orders/${order.id}/${path}${format === 'pdf' ? '?format=pdf' : ''}`}
                  target="_blank"
                  rel="noopener noreferrer"
                  aria-label={`${t(`documents.${key}`)} ${t(`documents.${format}`)}`}
                  data-document={`${path}-${format}`}
                >
                  {t(`documents.${format}`)}
                </Button>
              ))}
            </Space>
          ))}
        </Space>
      ) : (
        <Typography.Text type="secondary">{t('documents.notYet')}</Typography.Text>
      )}
    </Card>
  );
}
