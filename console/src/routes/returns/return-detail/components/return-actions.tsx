import { Form, Input, InputNumber, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { receivedValue } from '../../../../../../domain/return';
import { ActionButtons } from '../../../../components/action-buttons';
import { FormModal } from '../../../../components/form-modal';
import {
  returnsQueryKeys,
  useReturnAction,
  type Return,
  type ReturnAction,
  type ReturnActionInput,
} from '../../../../hooks/api/returns';
import { ApiError } from '../../../../lib/client';
import { money } from '../../../../lib/format';
import { describeReturnError } from '../../components/return-status-tag';
import { ReceiptFields, receiptLines, type ReceiptValues } from './receipt-fields';

const DANGER: ReturnAction[] = ['reject'];

/**
 * Exactly the actions the API says the signed-in person may take on the return now (`actions`), each in a
 * modal with its form. A refusal is shown in the modal in the API's words; a 409 also re-reads the return.
 */
export function ReturnActions({ ret }: { ret: Return }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<ReturnAction | null>(null);
  const mutation = useReturnAction(ret.id);
  const queryClient = useQueryClient();

  const run = async (input: ReturnActionInput) => {
    try {
      await mutation.mutateAsync(input);
    } catch (failure) {
      if (failure instanceof ApiError && failure.statusCode === 409)
        void queryClient.invalidateQueries({ queryKey: returnsQueryKeys.detail(ret.id) });
      throw failure;
    }
  };

  if (ret.actions.length === 0 && open === null) return null;
  const modal = {
    title: open ? t(`returns.actions.${open}`) : '',
    okText: open ? t(`returns.actions.${open}`) : '',
    danger: open !== null && DANGER.includes(open),
    open: true,
    onClose: () => setOpen(null),
    describe: describeReturnError,
  };
  return (
    <>
      <ActionButtons
        actions={ret.actions}
        danger={DANGER}
        label={(action) => t(`returns.actions.${action}`)}
        onPick={setOpen}
        testId="return-actions"
      />
      {(open === 'approve' || open === 'close') && (
        <FormModal<object> {...modal} onSubmit={() => run({ action: open })}>
          {() => <p>{t(`returns.confirm.${open}`, { number: ret.number })}</p>}
        </FormModal>
      )}
      {open === 'reject' && (
        <FormModal<{ reason: string }>
          {...modal}
          onSubmit={(values) => run({ action: 'reject', body: { reason: values.reason } })}
        >
          {() => (
            <Form.Item
              name="reason"
              label={t('returns.fields.rejectReason')}
              rules={[{ required: true, whitespace: true, message: t('common.required') }]}
            >
              <Input.TextArea rows={3} maxLength={2000} />
            </Form.Item>
          )}
        </FormModal>
      )}
      {open === 'receive' && (
        <FormModal<ReceiptValues>
          {...modal}
          initialValues={{
            resellable: ret.lines.map((line) => line.quantity),
            damaged: ret.lines.map(() => 0),
          }}
          onSubmit={(values) => run({ action: 'receive', body: { lines: receiptLines(ret, values) } })}
        >
          {() => <ReceiptFields ret={ret} />}
        </FormModal>
      )}
      {open === 'refund' && (
        <FormModal<{ amount?: number | null }>
          {...modal}
          onSubmit={(values) =>
            run({
              action: 'refund',
              body: typeof values.amount === 'number' ? { amount: Math.round(values.amount * 100) } : {},
            })
          }
        >
          {() => <RefundFields ret={ret} />}
        </FormModal>
      )}
    </>
  );
}

/** The refund's optional amount; left empty, the API refunds what the received units are worth. */
function RefundFields({ ret }: { ret: Return }) {
  const { t, i18n } = useTranslation();
  const value = money(receivedValue(ret.lines, ret.received), ret.currency, i18n.language);
  return (
    <>
      <Typography.Paragraph>{t('returns.refund.help', { amount: value })}</Typography.Paragraph>
      <Form.Item name="amount" label={t('returns.refund.amount', { currency: ret.currency })}>
        <InputNumber<number> min={0.01} precision={2} placeholder={value} style={{ width: '100%' }} />
      </Form.Item>
    </>
  );
}
