import { Alert, Button, Select, Space, Table, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { PageHeader } from '../../../components/page-header';
import { useQuotes, type Quote, type QuoteStatus } from '../../../hooks/api/quotes';
import { useCustomerNames } from '../../../hooks/use-customer-names';
import { describeError } from '../../../lib/errors';
import { dateTime, money } from '../../../lib/format';
import { hasRole, OPERATORS } from '../../../lib/roles';
import { useMe } from '../../../lib/session';
import { QUOTE_STATUSES } from '../../../../../domain/quote';
import { QuoteStatusTag } from '../components/quote-status-tag';

/** Quotes newest first, filtered by status (kept in the address). */
export function QuoteListPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const status = (params.get('status') ?? undefined) as QuoteStatus | undefined;
  const quotes = useQuotes(status ? { status } : {});
  const customerName = useCustomerNames();

  const setStatus = (value?: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set('status', value);
    else next.delete('status');
    setParams(next, { replace: true });
  };

  const columns: TableColumnsType<Quote> = [
    {
      title: t('quotes.fields.number'),
      dataIndex: 'number',
      width: 170,
      render: (number: string, quote) => <Link to={`/quotes/${quote.id}`}>{number}</Link>,
    },
    {
      title: t('quotes.fields.customer'),
      key: 'customer',
      render: (_, quote) => customerName(quote.customerId),
    },
    {
      title: t('quotes.fields.status'),
      key: 'status',
      width: 140,
      render: (_, quote) => <QuoteStatusTag status={quote.status} />,
    },
    {
      title: t('quotes.fields.total'),
      key: 'total',
      align: 'right',
      width: 140,
      render: (_, quote) => money(quote.total, quote.currency, i18n.language),
    },
    {
      title: t('quotes.fields.validUntil'),
      dataIndex: 'validUntil',
      width: 190,
      render: (at: string) => dateTime(at, i18n.language),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('quotes.list.title')}
        extra={
          hasRole(me.roles, OPERATORS) && (
            <Link to="/quotes/new">
              <Button type="primary">{t('quotes.list.new')}</Button>
            </Link>
          )
        }
      />
      <Space wrap className="filters">
        <Select
          aria-label={t('quotes.fields.status')}
          placeholder={t('quotes.list.anyStatus')}
          allowClear
          value={status}
          onChange={setStatus}
          style={{ width: 180 }}
          options={QUOTE_STATUSES.map((value) => ({ value, label: t(`quotes.status.${value}`) }))}
        />
      </Space>
      {quotes.error && (
        <Alert type="error" showIcon title={describeError(quotes.error, t).message} role="alert" />
      )}
      <Table<Quote>
        rowKey="id"
        loading={quotes.isLoading}
        dataSource={quotes.data?.items ?? []}
        columns={columns}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        scroll={{ x: 800 }}
        locale={{ emptyText: t('quotes.list.empty') }}
      />
    </>
  );
}
