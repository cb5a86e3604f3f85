import { Alert, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { ActionButtons } from '../../../../components/action-buttons';
import { ordersQueryKeys, useOrderAction, type OrderActionInput } from '../../../../hooks/api/orders';
import type { Order, OrderAction } from '../../../../lib/client';
import { describeError, fieldName } from '../../../../lib/errors';
import { OrderLinesModal } from './order-lines-modal';

type FormAction = Exclude<OrderAction, 'edit'>;

/** The fields each action asks for; none means a confirmation only. */
const FIELDS: Record<FormAction, { name: string; required: boolean; multiline: boolean }[]> = {
  approve: [{ name: 'comment', required: false, multiline: true }],
  reject: [{ name: 'reason', required: true, multiline: true }],
  cancel: [{ name: 'reason', required: true, multiline: true }],
  ship: [
    { name: 'carrier', required: true, multiline: false },
    { name: 'trackingNumber', required: true, multiline: false },
  ],
  complete: [],
  retryPayment: [],
};

const DANGER: OrderAction[] = ['reject', 'cancel'];

/**
 * Exactly the actions the API says the signed-in person may take now (`order.actions`), each with its
 * form. A 409 says what the order is now and refreshes it; a 400 marks the field.
 */
export function OrderActions({ order }: { order: Order }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<OrderAction | null>(null);
  const [form] = Form.useForm<Record<string, string>>();
  const [error, setError] = useState<string | null>(null);
  const mutation = useOrderAction(order.id);
  const queryClient = useQueryClient();

  const close = () => {
    setOpen(null);
    setError(null);
    form.resetFields();
  };

  const submit = async (action: FormAction, values: Record<string, string>) => {
    setError(null);
    const body = Object.fromEntries(
      Object.entries(values).filter(([, value]) => value !== undefined && value !== ''),
    );
    try {
      await mutation.mutateAsync({ action, body } as OrderActionInput);
      close();
    } catch (failure) {
      const described = describeError(failure, t);
      if (described.conflict)
        void queryClient.invalidateQueries({ queryKey: ordersQueryKeys.detail(order.id) });
      if (described.field && FIELDS[action].some((field) => field.name === fieldName(described.field!))) {
        form.setFields([{ name: fieldName(described.field), errors: [described.message] }]);
      } else {
        setError(described.message);
      }
    }
  };

  if (order.actions.length === 0) return null;
  const formAction = open && open !== 'edit' ? open : null;
  return (
    <>
      <ActionButtons
        actions={order.actions}
        danger={DANGER}
        label={(action) => t(`orders.actions.${action}`)}
        onPick={setOpen}
        testId="order-actions"
      />
      {formAction && (
        <Modal
          open
          title={t(`orders.actions.${formAction}`)}
          okText={t(`orders.actions.${formAction}`)}
          cancelText={t('common.cancel')}
          okButtonProps={{ danger: DANGER.includes(formAction), loading: mutation.isPending }}
          onOk={() => form.submit()}
          onCancel={close}
          destroyOnHidden
        >
          {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 16 }} />}
          <Form form={form} layout="vertical" onFinish={(values) => void submit(formAction, values)}>
            {FIELDS[formAction].length === 0 && (
              <p>{t(`orders.confirm.${formAction}`, { number: order.number })}</p>
            )}
            {FIELDS[formAction].map((field) => (
              <Form.Item
                key={field.name}
                name={field.name}
                label={t(`orders.fields.${field.name}`)}
                rules={
                  field.required ? [{ required: true, whitespace: true, message: t('common.required') }] : []
                }
              >
                {field.multiline ? <Input.TextArea rows={3} maxLength={2000} /> : <Input maxLength={100} />}
              </Form.Item>
            ))}
          </Form>
        </Modal>
      )}
      {open === 'edit' && <OrderLinesModal order={order} onClose={close} />}
    </>
  );
}
