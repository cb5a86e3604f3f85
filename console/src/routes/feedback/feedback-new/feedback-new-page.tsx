import { Alert, Button, Card, Form, Input, Rate } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/page-header';
import { useSubmitFeedback } from '../../../hooks/api/feedback';
import { describeError } from '../../../lib/errors';

interface Values {
  message: string;
  rating?: number;
  orderId?: string;
}

/** Anyone signed in tells the team what works and what does not, optionally about one order. */
export function FeedbackNewPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const submit = useSubmitFeedback();
  const [outcome, setOutcome] = useState<{ ok: boolean; message: string } | null>(null);
  return (
    <>
      <PageHeader title={t('feedback.new.title')} />
      <Card style={{ maxWidth: 640 }}>
        {outcome && (
          <Alert
            type={outcome.ok ? 'success' : 'error'}
            showIcon
            title={outcome.message}
            style={{ marginBottom: 16 }}
            data-testid="feedback-outcome"
          />
        )}
        <Form<Values>
          form={form}
          layout="vertical"
          onFinish={(values) => {
            setOutcome(null);
            void submit
              .mutateAsync({
                message: values.message,
                ...(values.rating ? { rating: values.rating } : {}),
                ...(values.orderId?.trim() ? { orderId: values.orderId.trim() } : {}),
              })
              .then(() => {
                form.resetFields();
                setOutcome({ ok: true, message: t('feedback.new.thanks') });
              })
              .catch((failure: unknown) =>
                setOutcome({ ok: false, message: describeError(failure, t).message }),
              );
          }}
        >
          <Form.Item
            name="message"
            label={t('feedback.fields.message')}
            rules={[{ required: true, message: t('feedback.new.messageRequired') }]}
          >
            <Input.TextArea rows={5} maxLength={4000} showCount />
          </Form.Item>
          <Form.Item name="rating" label={t('feedback.fields.rating')}>
            <Rate aria-label={t('feedback.fields.rating')} />
          </Form.Item>
          <Form.Item name="orderId" label={t('feedback.fields.orderId')}>
            <Input placeholder={t('feedback.new.orderIdHint')} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={submit.isPending}>
            {t('feedback.new.submit')}
          </Button>
        </Form>
      </Card>
    </>
  );
}
