import { Alert, Button, Card, DatePicker, Form, Input, Select, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { PageHeader } from '../../../components/page-header';
import { useCustomers } from '../../../hooks/api/customers';
import { useCreateQuote } from '../../../hooks/api/quotes';
import type { ErrorDescription } from '../../../lib/errors';
import { LineEditor, type EditableLine } from '../../orders/components/line-editor';
import { describeQuoteError } from '../components/quote-status-tag';

/** The form item a field the API names belongs to (`lines.1.quantity` → the lines). */
const FIELDS = ['customerId', 'lines', 'validUntil', 'notes'] as const;
type Field = (typeof FIELDS)[number];
const itemOf = (field: string | undefined): Field | undefined =>
  FIELDS.find((name) => field === name || field?.startsWith(`${name}.`) || field?.startsWith(`${name}[`));

/**
 * A new quote from the catalogue: a customer, products with quantities (priced by the API from the catalogue
 * when the quote is made, and kept), how long it is valid and notes. It starts as a draft.
 */
export function QuoteCreatePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [customerSearch, setCustomerSearch] = useState('');
  const [customerId, setCustomerId] = useState<string | undefined>();
  const [lines, setLines] = useState<EditableLine[]>([]);
  const [validUntil, setValidUntil] = useState<Dayjs | null>(() => dayjs().add(14, 'day').endOf('day'));
  const [notes, setNotes] = useState('');
  const [error, setError] = useState<ErrorDescription | null>(null);
  const customers = useCustomers({ limit: 20, ...(customerSearch ? { q: customerSearch } : {}) });
  const create = useCreateQuote();
  const item = itemOf(error?.field);
  /** Marks the field the error names, with the message under it. */
  const marked = (field: Field) =>
    item === field ? { validateStatus: 'error' as const, help: error!.message } : {};

  const submit = async () => {
    if (!customerId) {
      setError({ message: t('quotes.create.customerRequired'), field: 'customerId' });
      return;
    }
    if (!validUntil) {
      setError({ message: t('quotes.create.validUntilRequired'), field: 'validUntil' });
      return;
    }
    setError(null);
    try {
      const quote = await create.mutateAsync({
        customerId,
        lines: lines.map(({ sku, quantity }) => ({ sku, quantity })),
        validUntil: validUntil.toISOString(),
        ...(notes.trim() ? { notes } : {}),
      });
      void navigate(`/quotes/${quote.id}`);
    } catch (failure) {
      setError(describeQuoteError(failure, t));
    }
  };

  return (
    <>
      <PageHeader title={t('quotes.create.title')} />
      <Card>
        {error && !item && (
          <Alert type="error" showIcon title={error.message} role="alert" style={{ marginBottom: 16 }} />
        )}
        <Form layout="vertical" onFinish={() => void submit()}>
          <Form.Item
            label={t('quotes.fields.customer')}
            htmlFor="quote-customer"
            required
            {...marked('customerId')}
          >
            <Select
              id="quote-customer"
              placeholder={t('quotes.create.searchCustomer')}
              showSearch={{ filterOption: false, onSearch: setCustomerSearch }}
              value={customerId}
              onChange={setCustomerId}
              style={{ maxWidth: 480 }}
              options={
                customers.data?.items.map((c) => ({ value: c.id, label: `${c.name} · ${c.email}` })) ?? []
              }
            />
          </Form.Item>
          <Form.Item label={t('quotes.fields.lines')} required {...marked('lines')}>
            <LineEditor lines={lines} onChange={setLines} />
          </Form.Item>
          <Form.Item
            label={t('quotes.fields.validUntil')}
            htmlFor="quote-valid-until"
            required
            extra={t('quotes.create.validUntilHelp')}
            {...marked('validUntil')}
          >
            <DatePicker
              id="quote-valid-until"
              showTime={{ format: 'HH:mm' }}
              format="YYYY-MM-DD HH:mm"
              value={validUntil}
              onChange={setValidUntil}
              disabledDate={(day) => day.isBefore(dayjs(), 'day')}
            />
          </Form.Item>
          <Form.Item label={t('quotes.fields.notes')} htmlFor="quote-notes" {...marked('notes')}>
            <Input.TextArea
              id="quote-notes"
              rows={3}
              maxLength={2000}
              value={notes}
              onChange={(e) => setNotes(e.target.value)}
            />
          </Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" loading={create.isPending} disabled={lines.length === 0}>
              {t('quotes.create.submit')}
            </Button>
            <Button onClick={() => void navigate('/quotes')}>{t('common.cancel')}</Button>
          </Space>
        </Form>
      </Card>
    </>
  );
}
