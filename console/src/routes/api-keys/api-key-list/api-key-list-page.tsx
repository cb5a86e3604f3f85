import { Alert, Button, Form, Input, Popconfirm, Select, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormModal } from '../../../components/form-modal';
import { PageHeader } from '../../../components/page-header';
import { useApiKeys, useCreateApiKey, useRevokeApiKey } from '../../../hooks/api/quotes';
import type { Schemas } from '../../../lib/client';
import { describeError } from '../../../lib/errors';
import { dateTime } from '../../../lib/format';
import { ROLES } from '../../../../../domain/people';

/** A key never manages users or keys: the API refuses `admin` among its roles. */
const KEY_ROLES = ROLES.filter((role) => role !== 'admin');

type ApiKey = Schemas['ApiKeyDto'];

/**
 * API keys for machine clients (admin): create one (the key is shown this once, the API keeps only its hash),
 * see when each was last used, revoke one (refused from its next request on).
 */
export function ApiKeyListPage() {
  const { t, i18n } = useTranslation();
  const keys = useApiKeys();
  const create = useCreateApiKey();
  const revoke = useRevokeApiKey();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const lang = i18n.language;

  const revokeNow = async (id: string) => {
    setError(null);
    try {
      await revoke.mutateAsync(id);
    } catch (failure) {
      setError(describeError(failure, t).message);
    }
  };

  return (
    <>
      <PageHeader
        title={t('apiKeys.title')}
        extra={
          <Button type="primary" onClick={() => setCreating(true)}>
            {t('apiKeys.new')}
          </Button>
        }
      />
      {created && (
        <Alert
          type="warning"
          showIcon
          closable
          onClose={() => setCreated(null)}
          title={t('apiKeys.shownOnce', { name: created.name })}
          description={
            <>
              <Typography.Paragraph>{t('apiKeys.copyHint')}</Typography.Paragraph>
              <Typography.Text code copyable={{ text: created.key }}>
                <span data-testid="api-key-secret">{created.key}</span>
              </Typography.Text>
            </>
          }
          style={{ marginBottom: 16 }}
        />
      )}
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 16 }} />}
      <Table<ApiKey>
        rowKey="id"
        loading={keys.isLoading}
        dataSource={keys.data?.items ?? []}
        pagination={false}
        scroll={{ x: 900 }}
        locale={{ emptyText: t('apiKeys.empty') }}
        columns={[
          { title: t('apiKeys.name'), dataIndex: 'name' },
          {
            title: t('apiKeys.prefix'),
            dataIndex: 'prefix',
            render: (prefix: string) => <Typography.Text code>{`${prefix}…`}</Typography.Text>,
          },
          {
            title: t('apiKeys.roles'),
            dataIndex: 'roles',
            render: (roles: string[]) => roles.map((role) => <Tag key={role}>{t(`roles.${role}`)}</Tag>),
          },
          {
            title: t('apiKeys.createdAt'),
            key: 'createdAt',
            render: (_, key) => `${dateTime(key.createdAt, lang)} · ${key.createdBy.username}`,
          },
          {
            title: t('apiKeys.lastUsedAt'),
            dataIndex: 'lastUsedAt',
            render: (at: string | null) => (at ? dateTime(at, lang) : t('apiKeys.never')),
          },
          {
            title: t('apiKeys.revokedAt'),
            dataIndex: 'revokedAt',
            render: (at: string | null) => (
              <span data-testid="api-key-revoked" data-revoked={at ? 'true' : 'false'}>
                {at ? dateTime(at, lang) : '—'}
              </span>
            ),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, key) =>
              key.revokedAt ? null : (
                <Popconfirm
                  title={t('apiKeys.confirmRevoke', { name: key.name })}
                  description={t('apiKeys.confirmRevokeHelp')}
                  okText={t('apiKeys.revoke')}
                  okButtonProps={{ danger: true }}
                  cancelText={t('common.cancel')}
                  onConfirm={() => void revokeNow(key.id)}
                >
                  {/* No space inserted into a two-character label: the accessible name starts with the text shown. */}
                  <Button
                    size="small"
                    danger
                    autoInsertSpace={false}
                    aria-label={t('apiKeys.revokeNamed', { name: key.name })}
                  >
                    {t('apiKeys.revoke')}
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
      <FormModal<Schemas['CreateApiKeyDto']>
        open={creating}
        title={t('apiKeys.new')}
        initialValues={{ roles: ['staff'] }}
        onClose={() => setCreating(false)}
        onSubmit={async (values) => {
          const answer = await create.mutateAsync(values);
          setCreated({ name: answer.name, key: answer.key });
        }}
      >
        {() => (
          <>
            <Form.Item
              name="name"
              label={t('apiKeys.name')}
              extra={t('apiKeys.nameHelp')}
              rules={[{ required: true, message: t('common.required') }]}
            >
              <Input maxLength={100} />
            </Form.Item>
            <Form.Item
              name="roles"
              label={t('apiKeys.roles')}
              extra={t('apiKeys.rolesHelp')}
              rules={[{ required: true, message: t('common.required') }]}
            >
              <Select
                mode="multiple"
                options={KEY_ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
              />
            </Form.Item>
          </>
        )}
      </FormModal>
    </>
  );
}
