import { Alert, Checkbox, Select, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/page-header';
import { useRecipients, useSaveRecipients } from '../../../hooks/api/settings';
import type { Schemas } from '../../../lib/client';
import { describeError } from '../../../lib/errors';

type Setting = Schemas['RecipientSettingDto'];
const ROLES: Setting['roles'] = ['admin', 'manager', 'staff', 'auditor'];

/** Who is told about each kind of order event: staff by role, and whether the customer is e-mailed. */
export function RecipientSettingsPage() {
  const { t } = useTranslation();
  const recipients = useRecipients();
  const save = useSaveRecipients();
  const [error, setError] = useState<string | null>(null);
  const change = (setting: Setting, next: Partial<Setting>) => {
    setError(null);
    save
      .mutateAsync({
        kind: setting.kind,
        body: { roles: next.roles ?? setting.roles, customer: next.customer ?? setting.customer },
      })
      .catch((failure: unknown) => setError(describeError(failure, t).message));
  };
  return (
    <>
      <PageHeader title={t('recipients.title')} />
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Table<Setting>
        rowKey="kind"
        loading={recipients.isLoading}
        dataSource={recipients.data?.items ?? []}
        pagination={false}
        scroll={{ x: 600 }}
        columns={[
          {
            title: t('recipients.kind'),
            dataIndex: 'kind',
            render: (kind: string) => t(`notifications.kinds.${kind}`),
          },
          {
            title: t('recipients.roles'),
            key: 'roles',
            render: (_, setting) => (
              <Select
                mode="multiple"
                aria-label={t('recipients.rolesFor', { kind: t(`notifications.kinds.${setting.kind}`) })}
                style={{ minWidth: 260 }}
                value={setting.roles}
                onChange={(roles: Setting['roles']) => change(setting, { roles })}
                options={ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
              />
            ),
          },
          {
            title: t('recipients.customer'),
            key: 'customer',
            render: (_, setting) => (
              <Checkbox
                aria-label={t('recipients.customerFor', { kind: t(`notifications.kinds.${setting.kind}`) })}
                checked={setting.customer}
                onChange={(event) => change(setting, { customer: event.target.checked })}
              />
            ),
          },
        ]}
      />
    </>
  );
}
