import { Alert, Button, Card, Input, List, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useOrderMessages, useSendOrderMessage } from '../../../../hooks/api/messages';
import type { Order } from '../../../../lib/client';
import { describeError } from '../../../../lib/errors';
import { dateTime } from '../../../../lib/format';
import { hasRole, OPERATORS } from '../../../../lib/roles';
import { useMe } from '../../../../lib/session';

/** The order's e-mail conversation with its customer, as plain text, and staff's answer box. */
export function OrderMessages({ order }: { order: Order }) {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const messages = useOrderMessages(order.id);
  const send = useSendOrderMessage(order.id);
  const [text, setText] = useState('');
  const canSend = hasRole(me.roles, OPERATORS);
  return (
    <Card title={t('orders.messages.title')} data-testid="order-messages">
      {messages.error && <Alert type="error" showIcon title={describeError(messages.error, t).message} />}
      <List
        locale={{ emptyText: t('orders.messages.none') }}
        dataSource={messages.data?.items ?? []}
        renderItem={(message) => (
          <List.Item key={message.id}>
            <Space direction="vertical" style={{ width: '100%' }}>
              <Space wrap>
                <Tag color={message.direction === 'in' ? 'blue' : 'green'}>
                  {t(message.direction === 'in' ? 'orders.messages.in' : 'orders.messages.out')}
                </Tag>
                <Typography.Text strong>{message.from}</Typography.Text>
                <Typography.Text type="secondary">{dateTime(message.at, i18n.language)}</Typography.Text>
                {message.automatic && <Tag>{t('orders.messages.automatic')}</Tag>}
              </Space>
              <Typography.Text>{message.subject}</Typography.Text>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>
                {message.text}
              </Typography.Paragraph>
              {message.attachments.length > 0 && (
                <Space wrap size={4}>
                  <Typography.Text type="secondary">{t('orders.messages.attachments')}</Typography.Text>
                  {message.attachments.map((attachment, n) =>
                    attachment.kept ? (
                      <a
                        key={n}
                        href={`/api/orders/${order.id}/messages/${message.id}/attachments/${n}`}
                        download={attachment.name}
                        style={{ textDecoration: 'underline' }}
                      >
                        {attachment.name}
                      </a>
                    ) : (
                      <Typography.Text key={n} type="secondary" title={attachment.refused}>
                        {attachment.name} ({t('inbound.refused')})
                      </Typography.Text>
                    ),
                  )}
                </Space>
              )}
              {message.authentication && (
                <Typography.Text type="secondary">
                  {t('orders.messages.authentication', { result: message.authentication })}
                </Typography.Text>
              )}
            </Space>
          </List.Item>
        )}
      />
      {canSend && (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Input.TextArea
            rows={3}
            value={text}
            maxLength={10000}
            onChange={(event) => setText(event.target.value)}
            placeholder={t('orders.messages.placeholder')}
            data-testid="order-message-text"
          />
          {send.error && <Alert type="error" showIcon title={describeError(send.error, t).message} />}
          <Button
            type="primary"
            data-testid="order-message-send"
            disabled={text.trim() === ''}
            loading={send.isPending}
            onClick={() => send.mutate(text, { onSuccess: () => setText('') })}
          >
            {t('orders.messages.send')}
          </Button>
        </Space>
      )}
    </Card>
  );
}
