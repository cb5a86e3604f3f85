/** The lines of an order or a quote with their prices and the total, as both pages show them. */
import { Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { money } from '../lib/format';

export interface PricedLine {
  sku: string;
  name: string;
  quantity: number;
  unitPrice: number;
  lineTotal: number;
}

export function PricedLines(props: {
  lines: PricedLine[];
  total: number;
  currency: string;
  /** The i18n key of the total's label. */
  totalLabel: string;
  totalTestId: string;
}) {
  const { t, i18n } = useTranslation();
  const m = (minor: number) => money(minor, props.currency, i18n.language);
  return (
    <Table<PricedLine>
      rowKey="sku"
      size="small"
      pagination={false}
      dataSource={props.lines}
      scroll={{ x: 600 }}
      columns={[
        { title: t('orders.fields.sku'), dataIndex: 'sku' },
        { title: t('orders.fields.product'), dataIndex: 'name' },
        { title: t('orders.fields.quantity'), dataIndex: 'quantity', align: 'right' },
        { title: t('orders.fields.unitPrice'), dataIndex: 'unitPrice', align: 'right', render: m },
        { title: t('orders.fields.lineTotal'), dataIndex: 'lineTotal', align: 'right', render: m },
      ]}
      summary={() => (
        <Table.Summary.Row>
          <Table.Summary.Cell index={0} colSpan={4}>
            <strong>{t(props.totalLabel)}</strong>
          </Table.Summary.Cell>
          <Table.Summary.Cell index={1} align="right">
            <strong data-testid={props.totalTestId}>{m(props.total)}</strong>
          </Table.Summary.Cell>
        </Table.Summary.Row>
      )}
    />
  );
}
