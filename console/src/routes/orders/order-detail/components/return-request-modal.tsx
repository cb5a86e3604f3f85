import { Form, Input, InputNumber, Radio, Table } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { RETURN_RESOLUTIONS, type ReturnResolution } from '../../../../../../domain/return';
import { FormModal } from '../../../../components/form-modal';
import { useCreateReturn } from '../../../../hooks/api/returns';
import type { Order } from '../../../../lib/client';
import { randomKey } from '../../../../lib/ids';
import { describeReturnRequestError } from '../../../returns/components/return-status-tag';

interface RequestValues {
  /** Units asked back, by SKU. */
  units: Record<string, number | null>;
  reason: string;
  resolution: ReturnResolution;
}

type ShippedLine = Order['lines'][number];

/**
 * Asks back shipped units of the order: how many of each shipped line, why, and refund or exchange. Each
 * input stops at what the line shipped; what earlier returns take and the window are the API's to check,
 * and its refusal is shown in its own words. Opens the new return once it is made.
 */
export function ReturnRequestModal({ order, onClose }: { order: Order; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const create = useCreateReturn(order.id);
  const [idempotencyKey] = useState(randomKey);
  const shipped = order.lines.filter((line) => line.shippedQuantity > 0);
  // The modal closes itself after a success; then the new return opens.
  const created = useRef<string | null>(null);

  const submit = async (values: RequestValues) => {
    const ret = await create.mutateAsync({
      body: {
        lines: shipped.flatMap(({ sku }) => {
          const quantity = values.units[sku] ?? 0;
          return quantity > 0 ? [{ sku, quantity }] : [];
        }),
        reason: values.reason,
        resolution: values.resolution,
      },
      idempotencyKey,
    });
    created.current = ret.id;
  };
  const close = () => {
    onClose();
    if (created.current) void navigate(`/returns/${created.current}`);
  };

  return (
    <FormModal<RequestValues>
      open
      title={t('returns.order.request')}
      okText={t('returns.order.submit')}
      onClose={close}
      onSubmit={submit}
      describe={describeReturnRequestError}
      initialValues={{ resolution: 'refund', units: {} }}
    >
      {() => (
        <>
          <Table<ShippedLine>
            rowKey="sku"
            size="small"
            pagination={false}
            dataSource={shipped}
            style={{ marginBottom: 16 }}
            columns={[
              { title: t('orders.fields.sku'), dataIndex: 'sku' },
              { title: t('orders.fields.product'), dataIndex: 'name' },
              { title: t('returns.order.shipped'), dataIndex: 'shippedQuantity', align: 'right' },
              {
                title: t('returns.order.units'),
                key: 'units',
                render: (_, line) => (
                  <Form.Item name={['units', line.sku]} noStyle>
                    <InputNumber<number>
                      aria-label={t('returns.order.unitsOf', { sku: line.sku })}
                      min={0}
                      max={line.shippedQuantity}
                      precision={0}
                      placeholder="0"
                    />
                  </Form.Item>
                ),
              },
            ]}
          />
          <Form.Item
            name="reason"
            label={t('returns.fields.reason')}
            rules={[{ required: true, whitespace: true, message: t('common.required') }]}
          >
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
          <Form.Item
            name="resolution"
            label={t('returns.fields.resolution')}
            extra={t('returns.order.exchangeHelp')}
          >
            <Radio.Group
              options={RETURN_RESOLUTIONS.map((value) => ({
                value,
                label: t(`returns.resolutions.${value}`),
              }))}
            />
          </Form.Item>
        </>
      )}
    </FormModal>
  );
}
