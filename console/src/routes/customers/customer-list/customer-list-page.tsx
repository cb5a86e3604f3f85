import { Button, Form, Input, InputNumber, Select, Space, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormModal } from '../../../components/form-modal';
import { PageHeader } from '../../../components/page-header';
import { useCreateCustomer, useCustomers, useUpdateCustomer } from '../../../hooks/api/customers';
import type { Schemas } from '../../../lib/client';
import { hasRole, OPERATORS } from '../../../lib/roles';
import { useMe } from '../../../lib/session';

type Customer = Schemas['CustomerDto'];

function CustomerFields() {
  const { t } = useTranslation();
  return (
    <>
      <Form.Item
        name="name"
        label={t('customers.fields.name')}
        rules={[{ required: true, whitespace: true, message: t('common.required') }]}
      >
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item
        name="email"
        label={t('customers.fields.email')}
        rules={[{ required: true, type: 'email', message: t('common.email') }]}
      >
        <Input maxLength={320} />
      </Form.Item>
      <Form.Item name="phone" label={t('customers.fields.phone')}>
        <Input maxLength={50} />
      </Form.Item>
      <Form.Item name="address" label={t('customers.fields.address')}>
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
      <Form.Item name="creditLimit" label={t('customers.fields.creditLimit')}>
        <InputNumber min={0} precision={0} style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="language" label={t('customers.fields.language')}>
        <Select
          options={[
            { value: 'zh-CN', label: '中文' },
            { value: 'en', label: 'English' },
          ]}
        />
      </Form.Item>
    </>
  );
}

function EditCustomer({ customer, onClose }: { customer: Customer; onClose: () => void }) {
  const { t } = useTranslation();
  const update = useUpdateCustomer(customer.id);
  return (
    <FormModal<Schemas['UpdateCustomerDto']>
      open
      title={t('customers.edit')}
      onClose={onClose}
      initialValues={{
        ...customer,
        phone: customer.phone ?? undefined,
        address: customer.address ?? undefined,
      }}
      onSubmit={(values) => update.mutateAsync(values)}
    >
      {() => <CustomerFields />}
    </FormModal>
  );
}

/** Customers: search, create, edit. Names are shown as text, whatever they contain. */
export function CustomerListPage() {
  const { t } = useTranslation();
  const me = useMe();
  const [q, setQ] = useState('');
  const [cursors, setCursors] = useState<string[]>([]);
  const customers = useCustomers({
    limit: 50,
    ...(q ? { q } : {}),
    ...(cursors.length ? { cursor: cursors.at(-1)! } : {}),
  });
  const create = useCreateCustomer();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Customer | null>(null);
  const operator = hasRole(me.roles, OPERATORS);
  return (
    <>
      <PageHeader
        title={t('customers.title')}
        extra={
          operator && (
            <Button type="primary" onClick={() => setCreating(true)}>
              {t('customers.new')}
            </Button>
          )
        }
      />
      <Input.Search
        className="filters"
        aria-label={t('customers.search')}
        placeholder={t('customers.search')}
        allowClear
        onSearch={(value) => {
          setCursors([]);
          setQ(value.trim());
        }}
        style={{ maxWidth: 320 }}
      />
      <Table<Customer>
        data-testid="customer-list"
        rowKey="id"
        loading={customers.isLoading}
        dataSource={customers.data?.items ?? []}
        pagination={false}
        scroll={{ x: 700 }}
        columns={[
          { title: t('customers.fields.name'), dataIndex: 'name' },
          { title: t('customers.fields.email'), dataIndex: 'email' },
          { title: t('customers.fields.phone'), dataIndex: 'phone' },
          { title: t('customers.fields.language'), dataIndex: 'language' },
          ...(operator
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  render: (_: unknown, customer: Customer) => (
                    <Button size="small" onClick={() => setEditing(customer)}>
                      {t('common.edit')}
                    </Button>
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
          disabled={!customers.data?.nextCursor}
          onClick={() => setCursors([...cursors, customers.data!.nextCursor!])}
        >
          {t('common.next')}
        </Button>
      </Space>
      <FormModal<Schemas['CreateCustomerDto']>
        open={creating}
        title={t('customers.new')}
        onClose={() => setCreating(false)}
        initialValues={{ language: 'zh-CN' }}
        onSubmit={(values) => create.mutateAsync(values)}
      >
        {() => <CustomerFields />}
      </FormModal>
      {editing && <EditCustomer customer={editing} onClose={() => setEditing(null)} />}
    </>
  );
}
