import { Alert, Button, Form, Input, Popconfirm, Select, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormModal } from '../../../components/form-modal';
import { PageHeader } from '../../../components/page-header';
import { useCreateWebhook, useDeleteWebhook, useWebhooks } from '../../../hooks/api/operations';
import type { Schemas } from '../../../lib/client';
import { dateTime } from '../../../lib/format';
import { NOTIFICATION_KINDS } from '../../../../../domain/notifications';

/** Webhooks (admin): register a receiver (its signing secret is shown once), or remove one. */
export function WebhookListPage() {
  const { t, i18n } = useTranslation();
  const webhooks = useWebhooks();
  const create = useCreateWebhook();
  const remove = useDeleteWebhook();
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  return (
    <>
      <PageHeader
        title={t('webhooks.title')}
        extra={
          <Button type="primary" onClick={() => setCreating(true)}>
            {t('webhooks.new')}
          </Button>
        }
      />
      {secret && (
        <Alert
          type="warning"
          showIcon
          closable
          onClose={() => setSecret(null)}
          title={t('webhooks.secretOnce')}
          description={
            <Typography.Text code copyable>
              {secret}
            </Typography.Text>
          }
          style={{ marginBottom: 16 }}
        />
      )}
      <Table<Schemas['WebhookDto']>
        rowKey="id"
        loading={webhooks.isLoading}
        dataSource={webhooks.data?.items ?? []}
        pagination={false}
        scroll={{ x: 800 }}
        columns={[
          { title: t('webhooks.url'), dataIndex: 'url' },
          {
            title: t('webhooks.kinds'),
            dataIndex: 'kinds',
            render: (kinds: string[] | null) =>
              kinds?.length ? kinds.map((k) => <Tag key={k}>{k}</Tag>) : t('webhooks.allKinds'),
          },
          {
            title: t('webhooks.active'),
            dataIndex: 'active',
            render: (active: boolean) => (active ? t('common.yes') : t('common.no')),
          },
          {
            title: t('deliveries.createdAt'),
            dataIndex: 'createdAt',
            render: (at: string) => dateTime(at, i18n.language),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, hook) => (
              <Popconfirm
                title={t('webhooks.confirmRemove')}
                okText={t('common.remove')}
                cancelText={t('common.cancel')}
                onConfirm={() => void remove.mutateAsync(hook.id)}
              >
                <Button size="small" danger>
                  {t('common.remove')}
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
      <FormModal<Schemas['CreateWebhookDto']>
        open={creating}
        title={t('webhooks.new')}
        onClose={() => setCreating(false)}
        onSubmit={async (values) => setSecret((await create.mutateAsync(values)).secret)}
      >
        {() => (
          <>
            <Form.Item name="url" label={t('webhooks.url')} rules={[{ required: true }]}>
              <Input placeholder="https://example.com/oms" />
            </Form.Item>
            <Form.Item name="kinds" label={t('webhooks.kinds')} extra={t('webhooks.allKinds')}>
              <Select mode="multiple" options={NOTIFICATION_KINDS.map((k) => ({ value: k, label: k }))} />
            </Form.Item>
          </>
        )}
      </FormModal>
    </>
  );
}
