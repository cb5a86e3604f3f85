import { Alert, Card, Col, Descriptions, Row, Spin, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { returnValue } from '../../../../../domain/return';
import { PricedLines } from '../../../components/priced-lines';
import { useOrder } from '../../../hooks/api/orders';
import { useReturn, type Return } from '../../../hooks/api/returns';
import { describeError } from '../../../lib/errors';
import { dateTime, money } from '../../../lib/format';
import { ReturnStatusTag } from '../components/return-status-tag';
import { CreditNoteLinks } from './components/credit-note-links';
import { ReturnActions } from './components/return-actions';

/** One return: its order, what comes back and why, what came back in which condition, the refund, and what you may do now. */
export function ReturnDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const ret = useReturn(id);
  if (ret.isLoading) return <Spin className="page-spin" />;
  if (ret.error || !ret.data)
    return <Alert type="error" showIcon title={describeError(ret.error, t).message} />;
  return <ReturnDetail ret={ret.data} />;
}

function ReturnDetail({ ret }: { ret: Return }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const order = useOrder(ret.orderId);
  // The return's lines carry SKU and price; the product names are the order's.
  const names = new Map(order.data?.lines.map((line) => [line.sku, line.name]));
  const lines = ret.lines.map((line) => ({
    ...line,
    name: names.get(line.sku) ?? '',
    lineTotal: line.quantity * line.unitPrice,
  }));

  return (
    <>
      <div className="page-header">
        <Typography.Title level={1}>
          {t('returns.detail.title', { number: ret.number })} <ReturnStatusTag status={ret.status} />
        </Typography.Title>
        <ReturnActions ret={ret} />
      </div>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card title={t('returns.detail.request')} size="small">
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t('returns.fields.order')}>
                <Link to={`/orders/${ret.orderId}`} data-testid="return-order-link">
                  {order.data?.number ?? t('returns.detail.openOrder')}
                </Link>
              </Descriptions.Item>
              <Descriptions.Item label={t('returns.fields.resolution')}>
                {t(`returns.resolutions.${ret.resolution}`)}
              </Descriptions.Item>
              <Descriptions.Item label={t('returns.fields.reason')}>
                <span style={{ whiteSpace: 'pre-wrap' }}>{ret.reason}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('returns.fields.createdBy')}>
                {`${ret.createdBy.username} · ${dateTime(ret.createdAt, lang)}`}
              </Descriptions.Item>
              {ret.rejection && (
                <Descriptions.Item label={t('returns.status.rejected')}>
                  {`${ret.rejection.by.username} · ${ret.rejection.reason} · ${dateTime(ret.rejection.at, lang)}`}
                </Descriptions.Item>
              )}
            </Descriptions>
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          {ret.resolution === 'exchange' ? <Replacement ret={ret} /> : <Refund ret={ret} />}
        </Col>
        <Col span={24}>
          <Card title={t('returns.detail.lines')} size="small">
            <PricedLines
              lines={lines}
              total={returnValue(ret.lines)}
              currency={ret.currency}
              totalLabel="returns.fields.value"
              totalTestId="return-value"
            />
          </Card>
        </Col>
        <Col span={24}>
          <Card title={t('returns.detail.received')} size="small">
            <ReceivedLines ret={ret} />
          </Card>
        </Col>
      </Row>
    </>
  );
}

/** The units received back, each line in one condition; empty until the receipt. */
function ReceivedLines({ ret }: { ret: Return }) {
  const { t } = useTranslation();
  return (
    <Table<Return['received'][number]>
      rowKey={(line) => `${line.sku}:${line.condition}`}
      size="small"
      pagination={false}
      dataSource={ret.received}
      data-testid="return-received"
      locale={{ emptyText: t('returns.detail.nothingReceived') }}
      columns={[
        { title: t('orders.fields.sku'), dataIndex: 'sku' },
        { title: t('orders.fields.quantity'), dataIndex: 'quantity', align: 'right' },
        {
          title: t('returns.fields.condition'),
          key: 'condition',
          render: (_, line) => t(`returns.conditions.${line.condition}`),
        },
      ]}
    />
  );
}

/** A refund return's money: what was refunded, and its credit note. */
function Refund({ ret }: { ret: Return }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  return (
    <Card title={t('returns.detail.refund')} size="small">
      <Descriptions column={1} size="small">
        <Descriptions.Item label={t('returns.fields.refunded')}>
          <span data-testid="return-refunded">
            {ret.refundedAmount === null ? '—' : money(ret.refundedAmount, ret.currency, lang)}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('returns.creditNote.title')}>
          <CreditNoteLinks ret={ret} />
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

/** An exchange's replacement order, once the units are received. */
function Replacement({ ret }: { ret: Return }) {
  const { t } = useTranslation();
  return (
    <Card title={t('returns.detail.exchange')} size="small">
      <Descriptions column={1} size="small">
        <Descriptions.Item label={t('returns.fields.replacement')}>
          {ret.replacement ? (
            <Link to={`/orders/${ret.replacement.orderId}`} data-testid="return-replacement-link">
              {ret.replacement.number}
            </Link>
          ) : (
            t('returns.detail.replacementPending')
          )}
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}
