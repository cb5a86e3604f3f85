import { Button, InputNumber, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useProducts } from '../../../hooks/api/products';
import type { Schemas } from '../../../lib/client';
import { money } from '../../../lib/format';

export interface EditableLine {
  sku: string;
  name: string;
  unitPrice: number;
  currency: string;
  quantity: number;
}

/** Order lines with product search, quantities and the live total (the API prices the order again). */
export function LineEditor({
  lines,
  onChange,
}: {
  lines: EditableLine[];
  onChange: (lines: EditableLine[]) => void;
}) {
  const { t, i18n } = useTranslation();
  const [search, setSearch] = useState('');
  const products = useProducts({ limit: 20, ...(search ? { q: search } : {}) });
  const add = (product: Schemas['ProductDto']) => {
    const existing = lines.find((line) => line.sku === product.sku);
    onChange(
      existing
        ? lines.map((line) => (line.sku === product.sku ? { ...line, quantity: line.quantity + 1 } : line))
        : [
            ...lines,
            {
              sku: product.sku,
              name: product.name,
              unitPrice: product.unitPrice,
              currency: product.currency,
              quantity: 1,
            },
          ],
    );
  };
  const currency = lines[0]?.currency ?? 'CNY';
  const total = lines.reduce((sum, line) => sum + line.unitPrice * line.quantity, 0);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Select
        aria-label={t('orders.create.addProduct')}
        placeholder={t('orders.create.addProduct')}
        showSearch={{ filterOption: false, onSearch: setSearch }}
        value={null}
        style={{ width: '100%', maxWidth: 480 }}
        onChange={(id: string) => {
          const product = products.data?.items.find((candidate) => candidate.id === id);
          if (product) add(product);
        }}
        options={
          products.data?.items.map((product) => ({
            value: product.id,
            label: `${product.sku} · ${product.name} · ${money(product.unitPrice, product.currency, i18n.language)} · ${t('products.available', { count: product.available })}`,
          })) ?? []
        }
      />
      <Table<EditableLine>
        rowKey="sku"
        size="small"
        pagination={false}
        dataSource={lines}
        locale={{ emptyText: t('orders.create.noLines') }}
        columns={[
          { title: t('orders.fields.sku'), dataIndex: 'sku' },
          { title: t('orders.fields.product'), dataIndex: 'name' },
          {
            title: t('orders.fields.unitPrice'),
            key: 'unitPrice',
            align: 'right',
            render: (_, line) => money(line.unitPrice, line.currency, i18n.language),
          },
          {
            title: t('orders.fields.quantity'),
            key: 'quantity',
            render: (_, line) => (
              <InputNumber
                aria-label={t('orders.create.quantityOf', { sku: line.sku })}
                min={1}
                max={100000}
                precision={0}
                value={line.quantity}
                onChange={(value) =>
                  onChange(
                    lines.map((other) =>
                      other.sku === line.sku ? { ...other, quantity: value ?? 1 } : other,
                    ),
                  )
                }
              />
            ),
          },
          {
            title: t('orders.fields.lineTotal'),
            key: 'lineTotal',
            align: 'right',
            render: (_, line) => money(line.unitPrice * line.quantity, line.currency, i18n.language),
          },
          {
            title: <span className="sr-only">{t('common.remove')}</span>,
            key: 'remove',
            render: (_, line) => (
              <Button
                type="link"
                danger
                aria-label={t('orders.create.removeLine', { sku: line.sku })}
                onClick={() => onChange(lines.filter((other) => other.sku !== line.sku))}
              >
                {t('common.remove')}
              </Button>
            ),
          },
        ]}
      />
      <Typography.Text strong data-testid="live-total">
        {t('orders.fields.total')}: {money(total, currency, i18n.language)}
      </Typography.Text>
    </Space>
  );
}
