import { Button, Form, Input, InputNumber, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormModal } from '../../../components/form-modal';
import { PageHeader } from '../../../components/page-header';
import { useLocations } from '../../../hooks/api/locations';
import {
  useAdjustStock,
  useCreateProduct,
  useProduct,
  useProducts,
  useUpdateProduct,
} from '../../../hooks/api/products';
import type { Schemas } from '../../../lib/client';
import { money } from '../../../lib/format';
import { hasRole, MANAGERS, OPERATORS } from '../../../lib/roles';
import { useMe } from '../../../lib/session';

type Product = Schemas['ProductDto'];
type LocationStock = Schemas['LocationStockDto'];
const required = (message: string) => [{ required: true, message }];
/** Where stock moves unless another location is chosen (the API's default; created by the migration). */
const MAIN = 'MAIN';

/**
 * A location's code, with its name where the reader may list the locations (managers and admins); others
 * see the codes a product's stock names.
 */
function useLocationLabel(): (code: string) => string {
  const me = useMe();
  const locations = useLocations(hasRole(me.roles, MANAGERS));
  const names = new Map((locations.data ?? []).map(({ code, name }) => [code, name]));
  return (code) => (names.get(code) ? `${code} · ${names.get(code)}` : code);
}

/** A product's stock per location, in the managers' order of preference (the row's expansion). */
function ProductStock({ product }: { product: Product }) {
  const { t } = useTranslation();
  const detail = useProduct(product.id);
  const label = useLocationLabel();
  const figure = (name: string, value: number) => <span data-figure={name}>{value}</span>;
  return (
    <div data-testid={`stock-of-${product.sku}`}>
      <Table<LocationStock>
        rowKey="location"
        size="small"
        loading={detail.isLoading}
        dataSource={detail.data?.stock ?? []}
        pagination={false}
        title={() => t('products.stockPerLocation', { sku: product.sku })}
        columns={[
          {
            title: t('products.fields.location'),
            dataIndex: 'location',
            render: (code: string) => label(code),
          },
          {
            title: t('products.fields.stockOnHand'),
            key: 'onHand',
            align: 'right',
            render: (_, row) => figure('onHand', row.onHand),
          },
          {
            title: t('products.fields.reserved'),
            key: 'reserved',
            align: 'right',
            render: (_, row) => figure('reserved', row.reserved),
          },
          {
            title: t('products.fields.available'),
            key: 'available',
            align: 'right',
            render: (_, row) => figure('available', row.available),
          },
        ]}
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
        {t('products.reservedHelp')}
      </Typography.Paragraph>
    </div>
  );
}

function StockModal({ product, onClose }: { product: Product; onClose: () => void }) {
  const { t } = useTranslation();
  const adjust = useAdjustStock(product.id);
  // Anyone may read a product, and its stock names every location: so staff, who may not list the
  // locations, choose from it too.
  const detail = useProduct(product.id);
  const label = useLocationLabel();
  const options = (detail.data?.stock ?? [{ location: MAIN, onHand: product.stockOnHand }]).map(
    ({ location, onHand }) => ({
      value: location,
      label: t('products.locationOption', { location: label(location), onHand }),
    }),
  );
  return (
    <FormModal<Schemas['StockAdjustmentDto']>
      open
      title={t('products.restockOf', { sku: product.sku })}
      onClose={onClose}
      initialValues={{ location: MAIN }}
      onSubmit={(values) => adjust.mutateAsync(values)}
    >
      {() => (
        <>
          <Form.Item
            name="location"
            label={t('products.fields.location')}
            extra={t('products.locationHelp')}
            htmlFor="stock-location"
            rules={required(t('common.required'))}
          >
            {/* Searchable: a business with many locations finds one by typing its code or name. */}
            <Select
              id="stock-location"
              loading={detail.isLoading}
              options={options}
              showSearch={{ optionFilterProp: 'label' }}
            />
          </Form.Item>
          <Form.Item
            name="delta"
            label={t('products.fields.delta')}
            extra={t('products.deltaHelp')}
            rules={required(t('common.required'))}
          >
            <InputNumber precision={0} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item
            name="reason"
            label={t('products.fields.reason')}
            rules={[{ required: true, whitespace: true, message: t('common.required') }]}
          >
            <Input maxLength={500} />
          </Form.Item>
        </>
      )}
    </FormModal>
  );
}

function PriceModal({ product, onClose }: { product: Product; onClose: () => void }) {
  const { t } = useTranslation();
  const update = useUpdateProduct(product.id);
  return (
    <FormModal<Schemas['UpdateProductDto']>
      open
      title={t('products.editOf', { sku: product.sku })}
      onClose={onClose}
      initialValues={{ name: product.name, unitPrice: product.unitPrice }}
      onSubmit={(values) => update.mutateAsync(values)}
    >
      {() => (
        <>
          <Form.Item name="name" label={t('products.fields.name')} rules={required(t('common.required'))}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item
            name="unitPrice"
            label={t('products.fields.unitPrice')}
            extra={t('products.minorUnits')}
            rules={required(t('common.required'))}
          >
            <InputNumber min={0} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </>
      )}
    </FormModal>
  );
}

/**
 * Products with stock on hand, reserved and available (a row expands to its stock per location); restock,
 * corrections at a chosen location and price changes.
 */
export function ProductListPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const [q, setQ] = useState('');
  const [cursors, setCursors] = useState<string[]>([]);
  const products = useProducts({
    limit: 50,
    ...(q ? { q } : {}),
    ...(cursors.length ? { cursor: cursors.at(-1)! } : {}),
  });
  const create = useCreateProduct();
  const [creating, setCreating] = useState(false);
  const [stock, setStock] = useState<Product | null>(null);
  const [price, setPrice] = useState<Product | null>(null);
  const operator = hasRole(me.roles, OPERATORS);
  return (
    <>
      <PageHeader
        title={t('products.title')}
        extra={
          operator && (
            <Button type="primary" onClick={() => setCreating(true)}>
              {t('products.new')}
            </Button>
          )
        }
      />
      <Input.Search
        className="filters"
        aria-label={t('products.search')}
        placeholder={t('products.search')}
        allowClear
        onSearch={(value) => {
          setCursors([]);
          setQ(value.trim());
        }}
        style={{ maxWidth: 320 }}
      />
      <Table<Product>
        rowKey="id"
        loading={products.isLoading}
        dataSource={products.data?.items ?? []}
        pagination={false}
        scroll={{ x: 800 }}
        expandable={{ expandedRowRender: (p) => <ProductStock product={p} /> }}
        columns={[
          { title: t('products.fields.sku'), dataIndex: 'sku' },
          { title: t('products.fields.name'), dataIndex: 'name' },
          {
            title: t('products.fields.unitPrice'),
            key: 'price',
            align: 'right',
            render: (_, p) => money(p.unitPrice, p.currency, i18n.language),
          },
          { title: t('products.fields.stockOnHand'), dataIndex: 'stockOnHand', align: 'right' },
          { title: t('products.fields.reserved'), dataIndex: 'reserved', align: 'right' },
          { title: t('products.fields.available'), dataIndex: 'available', align: 'right' },
          ...(operator
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  render: (_: unknown, p: Product) => (
                    <Space>
                      <Button size="small" onClick={() => setStock(p)}>
                        {t('products.restock')}
                      </Button>
                      <Button size="small" onClick={() => setPrice(p)}>
                        {t('common.edit')}
                      </Button>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Space style={{ marginTop: 12 }}>
        <Button disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>
          {t('common.previous')}
        </Button>
        <Button
          disabled={!products.data?.nextCursor}
          onClick={() => setCursors([...cursors, products.data!.nextCursor!])}
        >
          {t('common.next')}
        </Button>
      </Space>
      <FormModal<Schemas['CreateProductDto']>
        open={creating}
        title={t('products.new')}
        onClose={() => setCreating(false)}
        initialValues={{ currency: 'CNY', stockOnHand: 0 }}
        onSubmit={(values) => create.mutateAsync(values)}
      >
        {() => (
          <>
            <Form.Item name="sku" label={t('products.fields.sku')} rules={required(t('common.required'))}>
              <Input maxLength={64} />
            </Form.Item>
            <Form.Item name="name" label={t('products.fields.name')} rules={required(t('common.required'))}>
              <Input maxLength={200} />
            </Form.Item>
            <Form.Item
              name="unitPrice"
              label={t('products.fields.unitPrice')}
              extra={t('products.minorUnits')}
              rules={required(t('common.required'))}
            >
              <InputNumber min={0} precision={0} style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item
              name="currency"
              label={t('products.fields.currency')}
              rules={required(t('common.required'))}
            >
              <Input maxLength={3} />
            </Form.Item>
            <Form.Item
              name="stockOnHand"
              label={t('products.fields.stockOnHand')}
              rules={required(t('common.required'))}
            >
              <InputNumber min={0} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </>
        )}
      </FormModal>
      {stock && <StockModal product={stock} onClose={() => setStock(null)} />}
      {price && <PriceModal product={price} onClose={() => setPrice(null)} />}
    </>
  );
}
