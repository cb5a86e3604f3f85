import { Button, Input, Select, Space, Table, Typography, type TableColumnsType } from 'antd';
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

const STATUSES: Order['status'][] = [
  'created',
  'processing',
  'shipped',
  'completed',
  'cancelled',
  'rejected',
];

/** The order board: every order, filtered and searched, updated live, paged by cursor. */
export function OrderListPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const [customerSearch, setCustomerSearch] = useState('');
  const filters: OrderFilters = {
    ...(params.get('status') ? { status: params.get('status') as Order['status'] } : {}),
    ...(params.get('customerId') ? { customerId: params.get('customerId')! } : {}),
    ...(params.get('q') ? { q: params.get('q')! } : {}),
  };
  const pageSize = Number(params.get('pageSize') ?? 100);
  const pages = useOrderPages(filters, pageSize);
  const customers = useCustomers({ limit: 20, ...(customerSearch ? { q: customerSearch } : {}) });
  const customerName = useCustomerNames();
  const orders = useMemo(() => pages.data?.pages.flatMap((page) => page.items) ?? [], [pages.data]);

  const set = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

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
          options={STATUSES.map((status) => ({ value: status, label: t(`status.${status}`) }))}
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
