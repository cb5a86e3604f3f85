import { Form, InputNumber, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { UNIT_CONDITIONS, type UnitCondition } from '../../../../../../domain/return';
import type { Return } from '../../../../hooks/api/returns';
import type { Schemas } from '../../../../lib/client';

/** Units received per line of the return, by position, in each condition. */
export type ReceiptValues = Record<UnitCondition, (number | null)[]>;

/** The receipt the API takes: a line per SKU and condition that has units. */
export function receiptLines(ret: Return, values: ReceiptValues): Schemas['ReceiveLineInputDto'][] {
  return ret.lines.flatMap((line, index) =>
    UNIT_CONDITIONS.flatMap((condition) => {
      const quantity = values[condition][index] ?? 0;
      return quantity > 0 ? [{ sku: line.sku, quantity, condition }] : [];
    }),
  );
}

/**
 * Per line of the return: how many units came back resellable (back on hand) and how many damaged. Each
 * input goes up to the line's units; the API refuses a line whose two counts together exceed them.
 */
export function ReceiptFields({ ret }: { ret: Return }) {
  const { t } = useTranslation();
  return (
    <>
      <p>{t('returns.receive.help')}</p>
      <Table<Return['lines'][number]>
        rowKey="sku"
        size="small"
        pagination={false}
        dataSource={ret.lines}
        columns={[
          { title: t('orders.fields.sku'), dataIndex: 'sku' },
          { title: t('returns.fields.expected'), dataIndex: 'quantity', align: 'right' },
          ...UNIT_CONDITIONS.map((condition) => ({
            title: t(`returns.conditions.${condition}`),
            key: condition,
            render: (_: unknown, line: Return['lines'][number], index: number) => (
              <Form.Item name={[condition, index]} noStyle>
                <InputNumber<number>
                  aria-label={t(`returns.receive.unitsOf.${condition}`, { sku: line.sku })}
                  min={0}
                  max={line.quantity}
                  precision={0}
                />
              </Form.Item>
            ),
          })),
        ]}
      />
    </>
  );
}
