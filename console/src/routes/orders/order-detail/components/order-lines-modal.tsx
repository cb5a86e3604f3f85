import { Alert, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useOrderAction } from '../../../../hooks/api/orders';
import type { Order } from '../../../../lib/client';
import { describeError } from '../../../../lib/errors';
import { LineEditor, type EditableLine } from '../../components/line-editor';

/** Edits an order's lines and notes; the API decides whether the edit needs approval again. */
export function OrderLinesModal({ order, onClose }: { order: Order; onClose: () => void }) {
  const { t } = useTranslation();
  const [lines, setLines] = useState<EditableLine[]>(
    order.lines.map((line) => ({ ...line, currency: order.currency })),
  );
  const [notes, setNotes] = useState(order.notes ?? '');
  const [error, setError] = useState<string | null>(null);
  const mutation = useOrderAction(order.id);
  const save = async () => {
    setError(null);
    try {
      await mutation.mutateAsync({
        action: 'edit',
        body: { lines: lines.map(({ sku, quantity }) => ({ sku, quantity })), notes: notes || null },
      });
      onClose();
    } catch (failure) {
      setError(describeError(failure, t).message);
    }
  };
  return (
    <Modal
      open
      width={860}
      title={t('orders.actions.edit')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: mutation.isPending, disabled: lines.length === 0 }}
      onOk={() => void save()}
      onCancel={onClose}
    >
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 16 }} />}
      <LineEditor lines={lines} onChange={setLines} />
      <Form layout="vertical" style={{ marginTop: 16 }}>
        <Form.Item label={t('orders.fields.notes')} htmlFor="edit-notes">
          <Input.TextArea
            id="edit-notes"
            rows={2}
            maxLength={2000}
            value={notes}
            onChange={(e) => setNotes(e.target.value)}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
