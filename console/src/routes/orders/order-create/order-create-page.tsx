import { Alert, Button, Card, Checkbox, Form, Input, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { useCustomers } from '../../../hooks/api/customers';
import { useCreateOrder } from '../../../hooks/api/orders';
import { describeError } from '../../../lib/errors';
import { randomKey } from '../../../lib/ids';
import { LineEditor, type EditableLine } from '../components/line-editor';

/**
 * A new order. The Idempotency-Key is chosen once when the form opens, so a double click, or a retry
 * after a lost answer, finds the same order instead of creating a second.
 */
export function OrderCreatePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [idempotencyKey] = useState(randomKey);
  const [customerSearch, setCustomerSearch] = useState('');
  const [customerId, setCustomerId] = useState<string | undefined>();
  const [lines, setLines] = useState<EditableLine[]>([]);
  const [notes, setNotes] = useState('');
  const [allowPartial, setAllowPartial] = useState(false);
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const customers = useCustomers({ limit: 20, ...(customerSearch ? { q: customerSearch } : {}) });
  const create = useCreateOrder();

  const submit = async () => {
    if (!customerId) {
      setError({ message: t('orders.create.customerRequired'), field: 'customerId' });
      return;
    }
    setError(null);
    try {
      const order = await create.mutateAsync({
        idempotencyKey,
        body: {
          customerId,
          lines: lines.map(({ sku, quantity }) => ({ sku, quantity })),
          ...(notes.trim() ? { notes } : {}),
          ...(allowPartial ? { allowPartial } : {}),
        },
      });
      void navigate(`/orders/${order.id}`);
    } catch (failure) {
      setError(describeError(failure, t));
    }
  };

  return (
    <>
      <div className="page-header">
        <Typography.Title level={1}>{t('orders.create.title')}</Typography.Title>
      </div>
      <Card>
        {error && (
          <Alert type="error" showIcon title={error.message} role="alert" style={{ marginBottom: 16 }} />
        )}
        <Form layout="vertical" onFinish={() => void submit()}>
          <Form.Item
            label={t('orders.fields.customer')}
            htmlFor="order-customer"
            required
            validateStatus={error?.field === 'customerId' ? 'error' : undefined}
          >
            <Select
              id="order-customer"
              placeholder={t('orders.create.searchCustomer')}
              showSearch={{ filterOption: false, onSearch: setCustomerSearch }}
              value={customerId}
              onChange={setCustomerId}
              style={{ maxWidth: 480 }}
              options={
                customers.data?.items.map((c) => ({ value: c.id, label: `${c.name} · ${c.email}` })) ?? []
              }
            />
          </Form.Item>
          <Form.Item
            label={t('orders.detail.lines')}
            required
            validateStatus={error?.field?.startsWith('lines') ? 'error' : undefined}
          >
            <LineEditor lines={lines} onChange={setLines} />
          </Form.Item>
          <Form.Item label={t('orders.fields.notes')} htmlFor="order-notes">
            <Input.TextArea
              id="order-notes"
              rows={2}
              maxLength={2000}
              value={notes}
              onChange={(e) => setNotes(e.target.value)}
            />
          </Form.Item>
          <Form.Item
            help={t('orders.create.allowPartialHelp')}
            validateStatus={error?.field === 'allowPartial' ? 'error' : undefined}
          >
            <Checkbox
              id="order-allow-partial"
              checked={allowPartial}
              onChange={(e) => setAllowPartial(e.target.checked)}
            >
              {t('orders.create.allowPartial')}
            </Checkbox>
          </Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" loading={create.isPending} disabled={lines.length === 0}>
              {t('orders.create.submit')}
            </Button>
            <Button onClick={() => void navigate('/orders')}>{t('common.cancel')}</Button>
          </Space>
        </Form>
      </Card>
    </>
  );
}
