import {
  Alert,
  Button,
  Card,
  Col,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Switch,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/page-header';
import {
  useCalendar,
  useEscalationPolicies,
  useSaveCalendar,
  useSavePolicy,
} from '../../../hooks/api/settings';
import type { Schemas } from '../../../lib/client';
import { describeError } from '../../../lib/errors';

type Policy = Schemas['PolicyDto'];
const ROLE_OPTIONS = ['admin', 'manager', 'staff', 'auditor'];

function PolicyCard({ policy }: { policy: Policy }) {
  const { t } = useTranslation();
  const save = useSavePolicy();
  const [result, setResult] = useState<{ type: 'success' | 'error'; text: string } | null>(null);
  const submit = async (values: Schemas['PolicyInputDto']) => {
    setResult(null);
    try {
      const changed = await save.mutateAsync({
        stage: policy.stage,
        body: {
          ...values,
          levels: values.levels.map((level) => ({
            after: level.after,
            notify: level.notify,
            ...(level.repeatEvery ? { repeatEvery: level.repeatEvery } : {}),
          })),
        },
      });
      setResult({ type: 'success', text: t('settings.escalation.saved', { count: changed.appliedTo }) });
    } catch (failure) {
      setResult({ type: 'error', text: describeError(failure, t).message });
    }
  };
  return (
    <Card title={t(`settings.escalation.stages.${policy.stage}`)} size="small">
      {result && <Alert type={result.type} showIcon title={result.text} style={{ marginBottom: 12 }} />}
      <Form<Schemas['PolicyInputDto']>
        layout="vertical"
        initialValues={{ levels: policy.levels, businessHours: policy.businessHours }}
        onFinish={(values) => void submit(values)}
      >
        <Form.List name="levels">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field, index) => (
                <Space key={field.key} align="start" wrap>
                  <Form.Item
                    name={[field.name, 'after']}
                    label={t('settings.escalation.after', { level: index + 1 })}
                    rules={[{ required: true }]}
                  >
                    <Input placeholder="PT4H" style={{ width: 100 }} />
                  </Form.Item>
                  <Form.Item
                    name={[field.name, 'notify']}
                    label={t('settings.escalation.notify')}
                    rules={[{ required: true }]}
                  >
                    <Select
                      mode="tags"
                      style={{ minWidth: 200 }}
                      options={ROLE_OPTIONS.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
                    />
                  </Form.Item>
                  <Form.Item name={[field.name, 'repeatEvery']} label={t('settings.escalation.repeatEvery')}>
                    <Input placeholder="PT2H" style={{ width: 100 }} />
                  </Form.Item>
                  <Button type="link" danger onClick={() => remove(field.name)} style={{ marginTop: 30 }}>
                    {t('common.remove')}
                  </Button>
                </Space>
              ))}
              <Button onClick={() => add({ after: 'PT4H', notify: ['manager'] })}>
                {t('settings.escalation.addLevel')}
              </Button>
            </>
          )}
        </Form.List>
        <Form.Item
          name="businessHours"
          label={t('settings.escalation.businessHours')}
          valuePropName="checked"
          style={{ marginTop: 12 }}
        >
          <Switch />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={save.isPending}>
          {t('common.save')}
        </Button>
      </Form>
    </Card>
  );
}

function CalendarCard() {
  const { t } = useTranslation();
  const calendar = useCalendar();
  const save = useSaveCalendar();
  const [result, setResult] = useState<{ type: 'success' | 'error'; text: string } | null>(null);
  if (!calendar.data) return <Card loading />;
  const submit = async (values: Schemas['CalendarInputDto'] & { holidayText: string }) => {
    setResult(null);
    const { holidayText, ...rest } = values;
    try {
      await save.mutateAsync({ ...rest, holidays: holidayText.split(/[\s,]+/).filter(Boolean) });
      setResult({ type: 'success', text: t('common.saved') });
    } catch (failure) {
      setResult({ type: 'error', text: describeError(failure, t).message });
    }
  };
  return (
    <Card title={t('settings.calendar.title')} size="small">
      {result && <Alert type={result.type} showIcon title={result.text} style={{ marginBottom: 12 }} />}
      <Form
        layout="vertical"
        initialValues={{ ...calendar.data, holidayText: calendar.data.holidays.join(' ') }}
        onFinish={(values) => void submit(values as Schemas['CalendarInputDto'] & { holidayText: string })}
      >
        <Form.Item name="timeZone" label={t('settings.calendar.timeZone')} rules={[{ required: true }]}>
          <Input style={{ maxWidth: 240 }} />
        </Form.Item>
        <Form.List name="hours">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field) => (
                <Space key={field.key} wrap>
                  <Form.Item name={[field.name, 'weekday']} label={t('settings.calendar.weekday')}>
                    <InputNumber min={1} max={7} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'start']} label={t('settings.calendar.start')}>
                    <Input style={{ width: 90 }} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'end']} label={t('settings.calendar.end')}>
                    <Input style={{ width: 90 }} />
                  </Form.Item>
                  <Button type="link" danger onClick={() => remove(field.name)}>
                    {t('common.remove')}
                  </Button>
                </Space>
              ))}
              <Button onClick={() => add({ weekday: 1, start: '09:00', end: '18:00' })}>
                {t('settings.calendar.addHours')}
              </Button>
            </>
          )}
        </Form.List>
        <Form.Item
          name="holidayText"
          label={t('settings.calendar.holidays')}
          extra="2026-10-01 2026-10-02"
          style={{ marginTop: 12 }}
        >
          <Input.TextArea rows={2} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={save.isPending}>
          {t('common.save')}
        </Button>
      </Form>
    </Card>
  );
}

/** Escalation policies per watched wait, and the business calendar that working-time policies count on. */
export function EscalationSettingsPage() {
  const { t } = useTranslation();
  const policies = useEscalationPolicies();
  return (
    <>
      <PageHeader title={t('settings.escalation.title')} />
      <Typography.Paragraph type="secondary">{t('settings.escalation.help')}</Typography.Paragraph>
      <Row gutter={[16, 16]}>
        {(policies.data?.items ?? []).map((policy) => (
          <Col xs={24} xxl={12} key={policy.stage}>
            <PolicyCard policy={policy} />
          </Col>
        ))}
        <Col xs={24} xxl={12}>
          <CalendarCard />
        </Col>
      </Row>
    </>
  );
}
