import { Alert, Button, Card, DatePicker, Form, Select, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDelegation, useSetDelegation, useTaskPeople } from '../../../../hooks/api/tasks';
import { describeError, fieldName } from '../../../../lib/errors';
import { dateTime } from '../../../../lib/format';
import { useMe } from '../../../../lib/session';

interface Values {
  userId?: string;
  until?: Dayjs;
}

/**
 * While I am away: hand my tasks and notifications to a colleague until a moment, or end that now. The
 * delegation ends by itself at `until` (the API compares it with its clock at every use).
 */
export function DelegationCard() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const delegation = useDelegation();
  const people = useTaskPeople();
  const save = useSetDelegation();
  const [form] = Form.useForm<Values>();
  const [message, setMessage] = useState<{ type: 'success' | 'error'; text: string } | null>(null);
  const current = delegation.data;

  const submit = async (body: { userId: string; until: string } | { userId: null }) => {
    setMessage(null);
    try {
      await save.mutateAsync(body);
      setMessage({ type: 'success', text: t('common.saved') });
      if (body.userId === null) form.resetFields();
    } catch (failure) {
      const described = describeError(failure, t);
      if (described.field) {
        form.setFields([{ name: fieldName(described.field) as keyof Values, errors: [described.message] }]);
      } else {
        setMessage({ type: 'error', text: described.message });
      }
    }
  };

  return (
    <Card title={t('profile.delegation.title')} style={{ maxWidth: 640, marginTop: 16 }}>
      <Typography.Paragraph type="secondary">{t('profile.delegation.help')}</Typography.Paragraph>
      <Typography.Paragraph data-testid="delegation-current">
        {current?.delegate && current.inForce
          ? t('profile.delegation.current', {
              name: `${current.delegate.displayName} (${current.delegate.username})`,
              until: dateTime(current.until, i18n.language),
            })
          : current?.delegate
            ? t('profile.delegation.ended', {
                name: `${current.delegate.displayName} (${current.delegate.username})`,
                until: dateTime(current.until, i18n.language),
              })
            : t('profile.delegation.none')}
      </Typography.Paragraph>
      {message && <Alert type={message.type} showIcon title={message.text} style={{ marginBottom: 16 }} />}
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={(values) =>
          void submit({ userId: values.userId!, until: values.until!.toDate().toISOString() })
        }
      >
        <Form.Item
          name="userId"
          label={t('profile.delegation.delegate')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Select
            showSearch
            optionFilterProp="label"
            loading={people.isLoading}
            data-testid="delegation-delegate"
            options={(people.data?.items ?? [])
              .filter((person) => person.id !== me.id)
              .map((person) => ({ value: person.id, label: `${person.displayName} (${person.username})` }))}
          />
        </Form.Item>
        <Form.Item
          name="until"
          label={t('profile.delegation.until')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <DatePicker
            showTime={{ format: 'HH:mm' }}
            format="YYYY-MM-DD HH:mm"
            data-testid="delegation-until"
            disabledDate={(day) => day.isBefore(dayjs(), 'day') || day.isAfter(dayjs().add(1, 'year'), 'day')}
          />
        </Form.Item>
        <Space wrap>
          <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="delegation-save">
            {t('profile.delegation.save')}
          </Button>
          <Button
            danger
            disabled={!current?.delegate || !current.inForce || save.isPending}
            onClick={() => void submit({ userId: null })}
            data-testid="delegation-end"
          >
            {t('profile.delegation.end')}
          </Button>
        </Space>
      </Form>
    </Card>
  );
}
