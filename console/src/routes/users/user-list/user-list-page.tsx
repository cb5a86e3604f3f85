import { Button, Form, Input, Select, Switch, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormModal } from '../../../components/form-modal';
import { PageHeader } from '../../../components/page-header';
import { useCreateUser, useUpdateUser, useUsers } from '../../../hooks/api/operations';
import type { Schemas } from '../../../lib/client';

type User = Schemas['UserDto'];
const ROLES = ['admin', 'manager', 'staff', 'auditor'];

/** Users (admin): create, change roles and details, reset a password, disable. */
export function UserListPage() {
  const { t } = useTranslation();
  const users = useUsers();
  const create = useCreateUser();
  const update = useUpdateUser();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<User | null>(null);
  const roleOptions = ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }));
  const common = (
    <>
      <Form.Item name="displayName" label={t('users.displayName')} rules={[{ required: true }]}>
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item name="email" label={t('customers.fields.email')}>
        <Input maxLength={320} />
      </Form.Item>
      <Form.Item name="roles" label={t('users.roles')} rules={[{ required: true }]}>
        <Select mode="multiple" options={roleOptions} />
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
  return (
    <>
      <PageHeader
        title={t('users.title')}
        extra={
          <Button type="primary" onClick={() => setCreating(true)}>
            {t('users.new')}
          </Button>
        }
      />
      <Table<User>
        rowKey="id"
        loading={users.isLoading}
        dataSource={users.data?.items ?? []}
        pagination={false}
        scroll={{ x: 800 }}
        columns={[
          { title: t('users.username'), dataIndex: 'username' },
          { title: t('users.displayName'), dataIndex: 'displayName' },
          {
            title: t('users.roles'),
            dataIndex: 'roles',
            render: (roles: string[]) => roles.map((r) => <Tag key={r}>{t(`roles.${r}`)}</Tag>),
          },
          {
            title: t('users.disabled'),
            dataIndex: 'disabled',
            render: (d: boolean) => (d ? t('common.yes') : t('common.no')),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, user) => (
              <Button size="small" onClick={() => setEditing(user)}>
                {t('common.edit')}
              </Button>
            ),
          },
        ]}
      />
      <FormModal<Schemas['CreateUserDto']>
        open={creating}
        title={t('users.new')}
        onClose={() => setCreating(false)}
        initialValues={{ roles: ['staff'], language: 'zh-CN' }}
        onSubmit={(values) => create.mutateAsync(values)}
      >
        {() => (
          <>
            <Form.Item name="username" label={t('users.username')} rules={[{ required: true }]}>
              <Input maxLength={64} autoComplete="off" />
            </Form.Item>
            <Form.Item name="password" label={t('users.password')} rules={[{ required: true, min: 12 }]}>
              <Input.Password autoComplete="new-password" />
            </Form.Item>
            {common}
          </>
        )}
      </FormModal>
      {editing && (
        <FormModal<Schemas['UpdateUserDto']>
          open
          title={t('users.editOf', { username: editing.username })}
          onClose={() => setEditing(null)}
          initialValues={{ ...editing, email: editing.email ?? undefined }}
          onSubmit={(values) =>
            update.mutateAsync({
              id: editing.id,
              body: { ...values, ...(values.password ? {} : { password: undefined }) },
            })
          }
        >
          {() => (
            <>
              {common}
              <Form.Item name="password" label={t('users.newPassword')} extra={t('users.passwordHelp')}>
                <Input.Password autoComplete="new-password" />
              </Form.Item>
              <Form.Item name="disabled" label={t('users.disabled')} valuePropName="checked">
                <Switch />
              </Form.Item>
            </>
          )}
        </FormModal>
      )}
    </>
  );
}
