import {
  Button,
  DatePicker,
  Input,
  InputNumber,
  Select,
  Space,
  Table,
  Typography,
  type TableColumnsType,
} from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { StatusTag } from '../../../components/status-tag';
import { useCustomers } from '../../../hooks/api/customers';
import { useOrderPages, type OrderFilters } from '../../../hooks/api/orders';
import { useCustomerNames } from '../../../hooks/use-customer-names';
import type { Order } from '../../../lib/client';
import { describeError } from '../../../lib/errors';
import { dateTime, money } from '../../../lib/format';
import { hasRole, OPERATORS } from '../../../lib/roles';
import { useMe } from '../../../lib/session';
import { AWAITING_VALUES, ORDER_STATUSES } from '../../../../../domain/order';

/** A whole number of minor units from the URL, or nothing. */
const minorUnits = (value: string | null) =>
  value !== null && /^\d+$/.test(value) ? { value: Number(value) } : null;

/** The order board: every order, filtered and searched, updated live, paged by cursor. */
export function OrderListPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const [customerSearch, setCustomerSearch] = useState('');
  // Dates in the URL are local calendar days (`from`, `to`, both included); the API takes instants.
  const from = params.get('from') ? dayjs(params.get('from')) : null;
  const to = params.get('to') ? dayjs(params.get('to')) : null;
  const minTotal = minorUnits(params.get('minTotal'));
  const maxTotal = minorUnits(params.get('maxTotal'));
  const filters: OrderFilters = {
    ...(params.get('status') ? { status: params.get('status') as Order['status'] } : {}),
    ...(params.get('awaiting') ? { awaiting: params.get('awaiting') as OrderFilters['awaiting'] } : {}),
    ...(params.get('customerId') ? { customerId: params.get('customerId')! } : {}),
    ...(params.get('q') ? { q: params.get('q')! } : {}),
    ...(from?.isValid() ? { createdFrom: from.startOf('day').toISOString() } : {}),
    ...(to?.isValid() ? { createdTo: to.add(1, 'day').startOf('day').toISOString() } : {}),
    ...(minTotal ? { minTotal: minTotal.value } : {}),
    ...(maxTotal ? { maxTotal: maxTotal.value } : {}),
  };
  const pageSize = Number(params.get('pageSize') ?? 100);
  const pages = useOrderPages(filters, pageSize);
  const customers = useCustomers({ limit: 20, ...(customerSearch ? { q: customerSearch } : {}) });
  const customerName = useCustomerNames();
  const orders = useMemo(() => pages.data?.pages.flatMap((page) => page.items) ?? [], [pages.data]);

  const set = (key: string, value: string | undefined) => setMany({ [key]: value });
  const setMany = (values: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(values)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next, { replace: true });
  };
  /** Amounts are typed in the currency's main unit and kept in minor units. */
  const setAmount = (key: 'minTotal' | 'maxTotal', value: number | null) =>
    set(key, value === null ? undefined : String(Math.round(value * 100)));

  const columns: TableColumnsType<Order> = [
    {
      title: t('orders.fields.number'),
      dataIndex: 'number',
      width: 170,
      render: (number: string, order) => <Link to={`/orders/${order.id}`}>{number}</Link>,
    },
    {
      title: t('orders.fields.status'),
      key: 'status',
      width: 280,
      render: (_, order) => <StatusTag status={order.status} awaiting={order.awaiting} />,
    },
    {
      title: t('orders.fields.customer'),
      key: 'customer',
      render: (_, order) => customerName(order.customerId),
    },
    {
      title: t('orders.fields.total'),
      key: 'total',
      align: 'right',
      width: 140,
      render: (_, order) => money(order.total, order.currency, i18n.language),
    },
    {
      title: t('orders.fields.createdAt'),
      dataIndex: 'createdAt',
      width: 190,
      render: (at: string) => dateTime(at, i18n.language),
    },
  ];

  return (
    <>
      <div className="page-header">
        <Typography.Title level={1}>{t('orders.list.title')}</Typography.Title>
        {hasRole(me.roles, OPERATORS) && (
          <Link to="/orders/new">
            <Button type="primary">{t('orders.list.new')}</Button>
          </Link>
        )}
      </div>
      <Space wrap className="filters">
        <Input.Search
          aria-label={t('orders.list.search')}
          placeholder={t('orders.list.search')}
          allowClear
          defaultValue={filters.q}
          onSearch={(value) => set('q', value.trim() || undefined)}
          style={{ width: 260 }}
        />
        <Select
          aria-label={t('orders.fields.status')}
          placeholder={t('orders.list.anyStatus')}
          allowClear
          value={filters.status}
          onChange={(value?: string) => set('status', value)}
          style={{ width: 160 }}
          options={ORDER_STATUSES.map((status) => ({ value: status, label: t(`status.${status}`) }))}
        />
        <Select
          aria-label={t('orders.list.awaiting')}
          placeholder={t('orders.list.anyAwaiting')}
          allowClear
          value={filters.awaiting}
          onChange={(value?: string) => set('awaiting', value)}
          style={{ width: 200 }}
          options={AWAITING_VALUES.map((awaiting) => ({ value: awaiting, label: t(`awaiting.${awaiting}`) }))}
        />
        <Select
          aria-label={t('orders.fields.customer')}
          placeholder={t('orders.list.anyCustomer')}
          allowClear
          showSearch={{ filterOption: false, onSearch: setCustomerSearch }}
          value={filters.customerId}
          onChange={(value?: string) => set('customerId', value)}
          style={{ width: 240 }}
          options={
            customers.data?.items.map((customer) => ({ value: customer.id, label: customer.name })) ?? []
          }
        />
        <DatePicker.RangePicker
          aria-label={t('orders.list.created')}
          placeholder={[t('orders.list.createdFrom'), t('orders.list.createdTo')]}
          allowEmpty={[true, true]}
          value={[from?.isValid() ? from : null, to?.isValid() ? to : null]}
          onChange={(range) =>
            setMany({
              from: range?.[0]?.format('YYYY-MM-DD'),
              to: range?.[1]?.format('YYYY-MM-DD'),
            })
          }
        />
        <Space.Compact>
          <InputNumber<number>
            aria-label={t('orders.list.minTotal')}
            placeholder={t('orders.list.minTotal')}
            min={0}
            precision={2}
            value={minTotal ? minTotal.value / 100 : null}
            onChange={(value) => setAmount('minTotal', value)}
            style={{ width: 130 }}
          />
          <InputNumber<number>
            aria-label={t('orders.list.maxTotal')}
            placeholder={t('orders.list.maxTotal')}
            min={0}
            precision={2}
            value={maxTotal ? maxTotal.value / 100 : null}
            onChange={(value) => setAmount('maxTotal', value)}
            style={{ width: 130 }}
          />
        </Space.Compact>
      </Space>
      {pages.error && (
        <Typography.Text type="danger">{describeError(pages.error, t).message}</Typography.Text>
      )}
      <Table<Order>
        data-testid="order-board"
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={orders}
        loading={pages.isLoading}
        pagination={false}
        virtual
        scroll={{ y: 620, x: 900 }}
      />
      <Space className="filters" style={{ marginTop: 12 }}>
        <Typography.Text type="secondary">{t('orders.list.shown', { count: orders.length })}</Typography.Text>
        {pages.hasNextPage && (
          <Button onClick={() => void pages.fetchNextPage()} loading={pages.isFetchingNextPage}>
            {t('orders.list.more')}
          </Button>
        )}
      </Space>
    </>
  );
}
