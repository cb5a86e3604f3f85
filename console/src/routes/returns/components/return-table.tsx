import { Table, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { Return } from '../../../hooks/api/returns';
import { dateTime, money } from '../../../lib/format';
import { ReturnStatusTag } from './return-status-tag';

/** Returns as rows, each number linking to the return's page: the returns list and the order's returns. */
export function ReturnTable({
  returns,
  loading,
  compact = false,
}: {
  returns: Return[];
  loading: boolean;
  /** The order's page: fewer columns, no paging. */
  compact?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const columns: TableColumnsType<Return> = [
    {
      title: t('returns.fields.number'),
      dataIndex: 'number',
      width: 170,
      render: (number: string, ret) => <Link to={`/returns/${ret.id}`}>{number}</Link>,
    },
    {
      title: t('returns.fields.status'),
      key: 'status',
      width: 130,
      render: (_, ret) => <ReturnStatusTag status={ret.status} />,
    },
    {
      title: t('returns.fields.units'),
      key: 'units',
      render: (_, ret) => ret.lines.map((line) => `${line.sku} × ${line.quantity}`).join(', '),
    },
    {
      title: t('returns.fields.refunded'),
      key: 'refunded',
      align: 'right',
      width: 140,
      render: (_, ret) =>
        ret.refundedAmount === null ? '—' : money(ret.refundedAmount, ret.currency, i18n.language),
    },
    {
      title: t('returns.fields.createdAt'),
      dataIndex: 'createdAt',
      width: 190,
      render: (at: string) => dateTime(at, i18n.language),
    },
  ];
  if (!compact)
    columns.splice(
      2,
      0,
      {
        title: t('returns.fields.resolution'),
        key: 'resolution',
        width: 120,
        render: (_, ret) => t(`returns.resolutions.${ret.resolution}`),
      },
      { title: t('returns.fields.reason'), dataIndex: 'reason', ellipsis: true },
    );
  return (
    <Table<Return>
      rowKey="id"
      size={compact ? 'small' : 'middle'}
      loading={loading}
      dataSource={returns}
      columns={columns}
      pagination={compact ? false : { pageSize: 50, hideOnSinglePage: true }}
      scroll={{ x: compact ? 600 : 900 }}
      locale={{ emptyText: t('returns.list.empty') }}
    />
  );
}
