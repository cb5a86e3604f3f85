import { Alert, Button, Card, Form, Input, InputNumber, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/page-header';
import { useApprovalSettings, useSaveApprovalSettings } from '../../../hooks/api/settings';
import type { Schemas } from '../../../lib/client';
import { describeError, fieldName } from '../../../lib/errors';

/** Approval limits: what the system approves by itself, and up to what total staff may approve. */
export function ApprovalSettingsPage() {
  const { t } = useTranslation();
  const settings = useApprovalSettings();
  const save = useSaveApprovalSettings();
  const [form] = Form.useForm<Schemas['ApprovalSettingsInputDto']>();
  const [message, setMessage] = useState<{ type: 'success' | 'error'; text: string } | null>(null);
  const submit = async (values: Schemas['ApprovalSettingsInputDto']) => {
    setMessage(null);
    try {
      const saved = await save.mutateAsync(values);
      setMessage({ type: 'success', text: t('settings.approval.saved', { version: saved.version }) });
    } catch (failure) {
      const described = describeError(failure, t);
      if (described.field)
        form.setFields([{ name: fieldName(described.field) as never, errors: [described.message] }]);
      else setMessage({ type: 'error', text: described.message });
    }
  };
  return (
    <>
      <PageHeader title={t('settings.approval.title')} />
      <Card loading={settings.isLoading} style={{ maxWidth: 560 }}>
        <Typography.Paragraph type="secondary">{t('settings.approval.help')}</Typography.Paragraph>
        {message && <Alert type={message.type} showIcon title={message.text} style={{ marginBottom: 16 }} />}
        {settings.data && (
          <Form
            form={form}
            layout="vertical"
            initialValues={settings.data}
            onFinish={(values) => void submit(values)}
          >
            <Form.Item
              name="autoApproveBelow"
              label={t('settings.approval.autoApproveBelow')}
              extra={t('products.minorUnits')}
              rules={[{ required: true }]}
            >
              <InputNumber min={0} precision={0} style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item
              name="staffApprovalLimit"
              label={t('settings.approval.staffApprovalLimit')}
              extra={t('products.minorUnits')}
              rules={[{ required: true }]}
            >
              <InputNumber min={0} precision={0} style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item name="currency" label={t('products.fields.currency')} rules={[{ required: true }]}>
              <Input maxLength={3} />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Form>
        )}
      </Card>
    </>
  );
}
