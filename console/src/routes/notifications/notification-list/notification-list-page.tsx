import { Button, List, Segmented, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { PageHeader } from '../../../components/page-header';
import { useMarkRead, useNotifications } from '../../../hooks/api/notifications';
import { dateTime } from '../../../lib/format';

/** The signed-in person's inbox; unread first by default. */
export function NotificationListPage() {
  const { t, i18n } = useTranslation();
  const [unread, setUnread] = useState(true);
  const notifications = useNotifications(unread);
  const markRead = useMarkRead();
  return (
    <>
      <PageHeader
        title={t('notifications.title')}
        extra={
          <Segmented<boolean>
            aria-label={t('notifications.filter')}
            value={unread}
            onChange={setUnread}
            options={[
              { value: true, label: t('notifications.unread') },
              { value: false, label: t('notifications.all') },
            ]}
          />
        }
      />
      <List
        loading={notifications.isLoading}
        dataSource={notifications.data?.items ?? []}
        locale={{ emptyText: t('notifications.empty') }}
        renderItem={(item) => (
          <List.Item
            actions={
              item.readAt
                ? []
                : [
                    <Button key="read" size="small" onClick={() => markRead.mutate(item.id)}>
                      {t('notifications.markRead')}
                    </Button>,
                  ]
            }
          >
            <List.Item.Meta
              title={
                <Space wrap>
                  {!item.readAt && <Tag color="blue">{t('notifications.new')}</Tag>}
                  {item.orderId ? <Link to={`/orders/${item.orderId}`}>{item.title}</Link> : item.title}
                </Space>
              }
              description={
                <>
                  <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 4 }}>
                    {item.body}
                  </Typography.Paragraph>
                  <Typography.Text type="secondary">
                    {dateTime(item.createdAt, i18n.language)}
                  </Typography.Text>
                </>
              }
            />
          </List.Item>
        )}
      />
    </>
  );
}
