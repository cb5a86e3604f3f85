import {
  Alert,
  Button,
  Checkbox,
  DatePicker,
  Input,
  InputNumber,
  Select,
  Space,
  Table,
  Tag,
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
import { filtersFromParams, paramsFromFilters, waitWindowFromParams } from '../../../lib/board-filters';
import { useMe } from '../../../lib/session';
import { AWAITING_VALUES, ORDER_STATUSES } from '../../../../../domain/order';
import { BulkActions } from './components/bulk-actions';
import { SavedViews } from './components/saved-views';

const NOTHING = new Map<string, Order>();

/**
 * The order board: every order, filtered and searched, updated live, paged by cursor; operators select
 * orders for one action on all of them, and anyone saves the filters as a named view.
 */
export function OrderListPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const [customerSearch, setCustomerSearch] = useState('');
  const filters: OrderFilters = filtersFromParams(params);
  // Dates in the URL are local calendar days (`from`, `to`, both included); the API takes instants.
  const from = params.get('from') ? dayjs(params.get('from')) : null;
  const to = params.get('to') ? dayjs(params.get('to')) : null;
  const minTotal = filters.minTotal;
  const maxTotal = filters.maxTotal;
  const pageSize = Number(params.get('pageSize') ?? 100);
  const waitWindow = waitWindowFromParams(params);
  const pages = useOrderPages({ ...filters, ...waitWindow }, pageSize);
  const customers = useCustomers({ limit: 20, ...(customerSearch ? { q: customerSearch } : {}) });
  const customerName = useCustomerNames();
  const orders = useMemo(() => pages.data?.pages.flatMap((page) => page.items) ?? [], [pages.data]);
  const operator = hasRole(me.roles, OPERATORS);
  // The selection belongs to the filters it was made under: other filters start with none.
  const filterKey = paramsFromFilters(filters).toString();
  const [selection, setSelection] = useState({ filterKey, orders: new Map<string, Order>() });
  const chosen = selection.filterKey === filterKey ? selection.orders : NOTHING;
  const select = (change: (next: Map<string, Order>) => void) => {
    const next = new Map(chosen);
    change(next);
    setSelection({ filterKey, orders: next });
  };
  // In the board's order; an order that left the board since it was chosen (another person changed it)
  // stays chosen, after the rest, so the request says what became of it.
  const shown = new Set(orders.map((order) => order.id));
  const selected = [
    ...orders.filter((order) => chosen.has(order.id)),
    ...[...chosen.values()].filter((order) => !shown.has(order.id)),
  ];
  const allShown = orders.length > 0 && orders.every((order) => chosen.has(order.id));
  const someShown = orders.some((order) => chosen.has(order.id));

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
      render: (_, order) => (
        <>
          <StatusTag status={order.status} awaiting={order.awaiting} />
          {order.status === 'processing' && order.shipments.length > 0 && (
            <Tag data-testid="partly-shipped">{t('orders.list.partlyShippedTag')}</Tag>
          )}
        </>
      ),
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
        {operator && (
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
            value={minTotal === undefined ? null : minTotal / 100}
            onChange={(value) => setAmount('minTotal', value)}
            style={{ width: 130 }}
          />
          <InputNumber<number>
            aria-label={t('orders.list.maxTotal')}
            placeholder={t('orders.list.maxTotal')}
            min={0}
            precision={2}
            value={maxTotal === undefined ? null : maxTotal / 100}
            onChange={(value) => setAmount('maxTotal', value)}
            style={{ width: 130 }}
          />
        </Space.Compact>
        <Checkbox
          checked={filters.partlyShipped === true}
          onChange={(event) => set('partlyShipped', event.target.checked ? 'true' : undefined)}
          data-testid="filter-partly-shipped"
        >
          {t('orders.list.partlyShipped')}
        </Checkbox>
        <SavedViews filters={filters} />
      </Space>
      {(waitWindow.awaitingSinceFrom || waitWindow.awaitingSinceTo) && (
        <Alert
          data-testid="wait-window"
          type="info"
          showIcon
          style={{ marginTop: 12 }}
          title={t('orders.list.waitWindow', {
            from: waitWindow.awaitingSinceFrom ? dateTime(waitWindow.awaitingSinceFrom, i18n.language) : '…',
            to: waitWindow.awaitingSinceTo ? dateTime(waitWindow.awaitingSinceTo, i18n.language) : '…',
          })}
          action={
            <Button
              size="small"
              onClick={() => setMany({ awaitingSinceFrom: undefined, awaitingSinceTo: undefined })}
            >
              {t('orders.list.clearWaitWindow')}
            </Button>
          }
        />
      )}
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
        rowSelection={
          operator
            ? {
                columnWidth: 48,
                preserveSelectedRowKeys: true,
                selectedRowKeys: [...chosen.keys()],
                columnTitle: (
                  <Checkbox
                    aria-label={t('orders.bulk.selectAll')}
                    data-testid="select-all"
                    checked={allShown}
                    indeterminate={someShown && !allShown}
                    disabled={orders.length === 0}
                    onChange={(event) =>
                      select((next) => {
                        for (const order of orders)
                          if (event.target.checked) next.set(order.id, order);
                          else next.delete(order.id);
                      })
                    }
                  />
                ),
                onSelect: (order, checked) =>
                  select((next) => (checked ? next.set(order.id, order) : next.delete(order.id))),
                getCheckboxProps: (order) => ({
                  'aria-label': t('orders.bulk.selectOne', { number: order.number }),
                }),
              }
            : undefined
        }
        virtual
        scroll={{ y: 620, x: 900 }}
      />
      {operator && (
        <BulkActions selected={selected} onClear={() => setSelection({ filterKey, orders: new Map() })} />
      )}
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
