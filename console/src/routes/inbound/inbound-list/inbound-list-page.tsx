import { Alert, Button, Card, Empty, Input, List, Space, Spin, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { PageHeader } from '../../../components/page-header';
import {
  findOrderByNumber,
  inboundAttachmentUrl,
  useCloseInbound,
  useFileInbound,
  useOpenInbound,
  type FileInbound,
} from '../../../hooks/api/inbound';
import type { Schemas } from '../../../lib/client';
import { describeError } from '../../../lib/errors';
import { dateTime } from '../../../lib/format';

type Item = Schemas['InboundItemDto'];

/** What was done to a message, shown above the list once it has left it. */
interface Done {
  id: string;
  subject: string;
  as: FileInbound['as'] | 'closed';
  importId?: string;
  order?: { id: string; number: string };
}

/** What the receiving server said of the sender: passed, failed, or not said. */
function authenticationVerdict(result: string | null): 'pass' | 'fail' | 'none' {
  if (!result) return 'none';
  if (/\b(dmarc|spf|dkim)=(fail|softfail|permerror)\b/i.test(result)) return 'fail';
  if (/\b(dmarc|dkim|spf)=pass\b/i.test(result)) return 'pass';
  return 'none';
}

const kilobytes = (bytes: number) => `${Math.max(1, Math.round(bytes / 1024))} KB`;

/**
 * Incoming e-mail that no order claimed (docs/inbound-mail.md), oldest first: staff read it as plain text,
 * with what the receiving server said of its sender, and file it as feedback, as an order draft (an
 * uncommitted import), onto an order, or close it.
 */
export function InboundListPage() {
  const { t } = useTranslation();
  const open = useOpenInbound();
  const [done, setDone] = useState<Done[]>([]);
  return (
    <>
      <PageHeader title={t('inbound.title')} />
      <Typography.Paragraph type="secondary">{t('inbound.intro')}</Typography.Paragraph>
      {done.map((item) => (
        <Alert
          key={item.id}
          type="success"
          showIcon
          closable
          data-testid="inbound-done"
          style={{ marginBottom: 12 }}
          onClose={() => setDone((all) => all.filter((d) => d.id !== item.id))}
          title={t(`inbound.done.${item.as}`, { subject: item.subject, number: item.order?.number ?? '' })}
          description={
            item.importId ? (
              <Link to={`/imports/${item.importId}`} data-testid="inbound-draft-link">
                {t('inbound.openImport')}
              </Link>
            ) : item.order ? (
              <Link to={`/orders/${item.order.id}`}>{item.order.number}</Link>
            ) : undefined
          }
        />
      ))}
      {open.error && <Alert type="error" showIcon title={describeError(open.error, t).message} />}
      {open.isLoading ? (
        <Spin />
      ) : (open.data?.items ?? []).length === 0 ? (
        <Empty description={t('inbound.none')} />
      ) : (
        <List
          data-testid="inbound-list"
          dataSource={open.data?.items ?? []}
          renderItem={(item) => (
            <List.Item key={item.id}>
              <InboundCard item={item} onDone={(d) => setDone((all) => [d, ...all].slice(0, 5))} />
            </List.Item>
          )}
        />
      )}
    </>
  );
}

function InboundCard({ item, onDone }: { item: Item; onDone: (done: Done) => void }) {
  const { t, i18n } = useTranslation();
  const file = useFileInbound();
  const close = useCloseInbound();
  const [onOrder, setOnOrder] = useState(false);
  const [number, setNumber] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [finding, setFinding] = useState(false);
  const verdict = authenticationVerdict(item.authentication);
  const busy = file.isPending || close.isPending || finding;

  const fileAs = (as: FileInbound['as'], order?: { id: string; number: string }) => {
    setError(null);
    file.mutate(
      { id: item.id, as, ...(order ? { orderId: order.id } : {}) },
      {
        onSuccess: (filed) =>
          onDone({
            id: item.id,
            subject: item.subject,
            as,
            ...(filed.importId ? { importId: filed.importId } : {}),
            ...(order ? { order } : {}),
          }),
        onError: (failure) => setError(describeError(failure, t).message),
      },
    );
  };
  const fileOnOrder = async () => {
    setError(null);
    setFinding(true);
    try {
      const order = await findOrderByNumber(number);
      if (!order) setError(t('inbound.noSuchOrder', { number: number.trim() }));
      else fileAs('message', order);
    } catch (failure) {
      setError(describeError(failure, t).message);
    } finally {
      setFinding(false);
    }
  };

  return (
    <Card
      style={{ width: '100%' }}
      data-testid="inbound-item"
      data-id={item.id}
      title={
        <Space wrap>
          <Typography.Text strong>{item.from}</Typography.Text>
          <Typography.Text type="secondary">{dateTime(item.at, i18n.language)}</Typography.Text>
        </Space>
      }
      extra={
        <Space wrap>
          {item.customerId && <Tag color="blue">{t('inbound.knownCustomer')}</Tag>}
          {item.suggestion && (
            <Tag color="purple" data-testid="inbound-suggestion">
              {t(`inbound.suggestion.${item.suggestion}`)}
            </Tag>
          )}
        </Space>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text strong data-testid="inbound-subject">
          {item.subject || t('inbound.noSubject')}
        </Typography.Text>
        <Space wrap data-testid="inbound-authentication">
          <Typography.Text type="secondary">{t('inbound.authentication')}</Typography.Text>
          <Tag color={verdict === 'pass' ? 'green' : verdict === 'fail' ? 'red' : 'default'}>
            {t(`inbound.verdict.${verdict}`)}
          </Tag>
          {item.authentication && <Typography.Text type="secondary">{item.authentication}</Typography.Text>}
        </Space>
        {item.problem && <Alert type="warning" showIcon title={item.problem} />}
        <Typography.Paragraph
          style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}
          ellipsis={{ rows: 8, expandable: true, symbol: t('inbound.more') }}
        >
          {item.text}
        </Typography.Paragraph>
        {item.attachments.length > 0 && (
          <div data-testid="inbound-attachments">
            <Typography.Text type="secondary">{t('inbound.attachments')}</Typography.Text>
            <ul className="inbound-attachments">
              {item.attachments.map((attachment, n) => (
                <li key={n}>
                  {attachment.kept ? (
                    <a
                      href={inboundAttachmentUrl(item.id, n)}
                      download={attachment.name}
                      style={{ textDecoration: 'underline' }}
                    >
                      {attachment.name}
                    </a>
                  ) : (
                    <Typography.Text>{attachment.name}</Typography.Text>
                  )}{' '}
                  <Typography.Text type="secondary">
                    ({attachment.type}, {kilobytes(attachment.size)})
                  </Typography.Text>{' '}
                  {!attachment.kept && (
                    <Tag color="orange">
                      {t('inbound.refused')}
                      {attachment.refused ? `: ${attachment.refused}` : ''}
                    </Tag>
                  )}
                </li>
              ))}
            </ul>
          </div>
        )}
        {error && <Alert type="error" showIcon title={error} data-testid="inbound-error" />}
        <Space wrap>
          <Button
            type={item.suggestion === 'feedback' ? 'primary' : 'default'}
            disabled={busy}
            data-testid="inbound-file-feedback"
            onClick={() => fileAs('feedback')}
          >
            {t('inbound.fileFeedback')}
          </Button>
          <Button
            type={item.suggestion === 'order' ? 'primary' : 'default'}
            disabled={busy}
            data-testid="inbound-file-draft"
            onClick={() => fileAs('order-draft')}
          >
            {t('inbound.fileDraft')}
          </Button>
          <Button disabled={busy} data-testid="inbound-file-message" onClick={() => setOnOrder((v) => !v)}>
            {t('inbound.fileMessage')}
          </Button>
          <Button
            danger
            disabled={busy}
            data-testid="inbound-close"
            onClick={() =>
              close.mutate(item.id, {
                onSuccess: () => onDone({ id: item.id, subject: item.subject, as: 'closed' }),
                onError: (failure) => setError(describeError(failure, t).message),
              })
            }
          >
            {t('inbound.close')}
          </Button>
        </Space>
        {onOrder && (
          <Space wrap>
            <Input
              aria-label={t('inbound.orderNumber')}
              placeholder="SO-2026-000123"
              value={number}
              onChange={(event) => setNumber(event.target.value)}
              onPressEnter={() => void fileOnOrder()}
              data-testid="inbound-order-number"
              style={{ width: 220 }}
            />
            <Button
              type="primary"
              disabled={busy || number.trim() === ''}
              loading={finding}
              data-testid="inbound-order-submit"
              onClick={() => void fileOnOrder()}
            >
              {t('inbound.fileOnOrder')}
            </Button>
          </Space>
        )}
      </Space>
    </Card>
  );
}
