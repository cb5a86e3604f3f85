import { Alert, Button, Card, Col, Descriptions, Row, Spin, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PricedLines } from '../../../components/priced-lines';
import { Link, useParams } from 'react-router-dom';
import { useCustomer } from '../../../hooks/api/customers';
import { useOrder } from '../../../hooks/api/orders';
import { useQuote, useSendQuote, type Quote } from '../../../hooks/api/quotes';
import { describeError } from '../../../lib/errors';
import { dateTime } from '../../../lib/format';
import { hasRole, OPERATORS } from '../../../lib/roles';
import { useMe } from '../../../lib/session';
import { describeQuoteError, QuoteStatusTag } from '../components/quote-status-tag';

/** One quote: its customer, lines and totals, where it stands, Send, and the order it became. */
export function QuoteDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const quote = useQuote(id);
  if (quote.isLoading) return <Spin className="page-spin" />;
  if (quote.error || !quote.data)
    return <Alert type="error" showIcon title={describeError(quote.error, t).message} />;
  return <QuoteDetail quote={quote.data} />;
}

function QuoteDetail({ quote }: { quote: Quote }) {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const customer = useCustomer(quote.customerId);
  const send = useSendQuote(quote.id);
  const quoteQuery = useQuote(quote.id);
  const [error, setError] = useState<string | null>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const lang = i18n.language;
  const sendable = hasRole(me.roles, OPERATORS) && (quote.status === 'draft' || quote.status === 'sent');

  const sendNow = async () => {
    setError(null);
    setSentTo(null);
    try {
      await send.mutateAsync();
      setSentTo(customer.data?.email ?? '');
    } catch (failure) {
      const described = describeQuoteError(failure, t);
      setError(described.message);
      if (described.conflict) void quoteQuery.refetch();
    }
  };

  return (
    <>
      <div className="page-header">
        <Typography.Title level={1}>
          {t('quotes.detail.title', { number: quote.number })} <QuoteStatusTag status={quote.status} />
        </Typography.Title>
        {sendable && (
          <Button
            type="primary"
            data-testid="quote-send"
            loading={send.isPending}
            onClick={() => void sendNow()}
          >
            {quote.status === 'sent' ? t('quotes.detail.sendAgain') : t('quotes.detail.send')}
          </Button>
        )}
      </div>
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 16 }} />}
      {sentTo !== null && (
        <Alert
          type="success"
          showIcon
          closable
          onClose={() => setSentTo(null)}
          title={t('quotes.detail.sentTo', { email: sentTo })}
          role="status"
          data-testid="quote-sent"
          style={{ marginBottom: 16 }}
        />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card title={t('quotes.fields.customer')} size="small">
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t('customers.fields.name')}>
                <span data-testid="customer-name">{customer.data?.name ?? '…'}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('customers.fields.email')}>
                {customer.data?.email ?? '—'}
              </Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card title={t('quotes.detail.progress')} size="small">
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t('quotes.fields.validUntil')}>
                {dateTime(quote.validUntil, lang)}
              </Descriptions.Item>
              <Descriptions.Item label={t('quotes.fields.createdBy')}>
                {`${quote.createdBy.username} · ${dateTime(quote.createdAt, lang)}`}
              </Descriptions.Item>
              <Descriptions.Item label={t('quotes.fields.sentAt')}>
                {dateTime(quote.sentAt, lang)}
              </Descriptions.Item>
              <Descriptions.Item label={t('quotes.fields.answeredAt')}>
                {dateTime(quote.answeredAt, lang)}
              </Descriptions.Item>
              <Descriptions.Item label={t('quotes.fields.order')}>
                {quote.orderId ? <OrderLink id={quote.orderId} /> : '—'}
              </Descriptions.Item>
              {quote.notes && (
                <Descriptions.Item label={t('quotes.fields.notes')}>
                  <span style={{ whiteSpace: 'pre-wrap' }}>{quote.notes}</span>
                </Descriptions.Item>
              )}
            </Descriptions>
          </Card>
        </Col>
        <Col span={24}>
          <Card title={t('quotes.fields.lines')} size="small">
            <PricedLines
              lines={quote.lines}
              total={quote.total}
              currency={quote.currency}
              totalLabel="quotes.fields.total"
              totalTestId="quote-total"
            />
          </Card>
        </Col>
      </Row>
    </>
  );
}

/** The order an accepted quote became, by its number. */
function OrderLink({ id }: { id: string }) {
  const { t } = useTranslation();
  const order = useOrder(id);
  return (
    <Link to={`/orders/${id}`} data-testid="quote-order-link">
      {order.data?.number ?? t('quotes.detail.openOrder')}
    </Link>
  );
}
