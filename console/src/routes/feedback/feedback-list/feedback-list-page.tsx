import { Alert, Button, Rate, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { PageHeader } from '../../../components/page-header';
import { useFeedbackList, useMarkFeedbackHandled, type FeedbackQuery } from '../../../hooks/api/feedback';
import type { Schemas } from '../../../lib/client';
import { describeError } from '../../../lib/errors';
import { dateTime } from '../../../lib/format';

type State = 'open' | 'handled';

/** Managers read what people said, filter it by state and rating, and mark it handled. */
export function FeedbackListPage() {
  const { t, i18n } = useTranslation();
  const [state, setState] = useState<State | undefined>('open');
  const [rating, setRating] = useState<number | undefined>();
  const query: FeedbackQuery = {
    ...(state ? { handled: state === 'handled' } : {}),
    ...(rating ? { rating } : {}),
  };
  const feedback = useFeedbackList(query);
  const handle = useMarkFeedbackHandled();
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <PageHeader
        title={t('feedback.list.title')}
        extra={
          <Link to="/feedback/new">
            <Button>{t('nav.feedbackNew')}</Button>
          </Link>
        }
      />
      <Space wrap className="filters">
        <Select
          aria-label={t('feedback.list.state')}
          placeholder={t('feedback.list.anyState')}
          allowClear
          value={state}
          onChange={setState}
          style={{ width: 160 }}
          options={(['open', 'handled'] as const).map((s) => ({ value: s, label: t(`feedback.list.${s}`) }))}
        />
        <Select
          aria-label={t('feedback.fields.rating')}
          placeholder={t('feedback.list.anyRating')}
          allowClear
          value={rating}
          onChange={setRating}
          style={{ width: 160 }}
          options={[1, 2, 3, 4, 5].map((r) => ({ value: r, label: '★'.repeat(r) }))}
        />
      </Space>
      {(error ?? feedback.error) && (
        <Alert
          type="error"
          showIcon
          title={error ?? describeError(feedback.error, t).message}
          style={{ marginBottom: 16 }}
        />
      )}
      <Table<Schemas['FeedbackDto']>
        data-testid="feedback-list"
        rowKey="id"
        loading={feedback.isLoading}
        dataSource={feedback.data?.items ?? []}
        pagination={false}
        scroll={{ x: 900 }}
        columns={[
          {
            title: t('feedback.fields.createdAt'),
            dataIndex: 'createdAt',
            width: 180,
            render: (at: string) => dateTime(at, i18n.language),
          },
          { title: t('feedback.fields.author'), key: 'author', render: (_, f) => f.author.username },
          { title: t('feedback.fields.message'), dataIndex: 'message' },
          {
            title: t('feedback.fields.rating'),
            dataIndex: 'rating',
            width: 150,
            render: (r: number | null) =>
              r ? <Rate disabled value={r} aria-label={t('feedback.list.stars', { count: r })} /> : '—',
          },
          {
            title: t('feedback.fields.orderId'),
            dataIndex: 'orderId',
            render: (id: string | null) =>
              id ? <Link to={`/orders/${id}`}>{t('deliveries.openOrder')}</Link> : '—',
          },
          {
            title: t('feedback.list.state'),
            key: 'state',
            render: (_, f) =>
              f.handledAt ? (
                <Tag color="green">
                  {t('feedback.list.handledBy', {
                    who: f.handledBy?.username ?? '—',
                    at: dateTime(f.handledAt, i18n.language),
                  })}
                </Tag>
              ) : (
                <Tag>{t('feedback.list.open')}</Tag>
              ),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, f) =>
              !f.handledAt && (
                <Button
                  size="small"
                  data-action="mark-handled"
                  onClick={() => {
                    setError(null);
                    void handle
                      .mutateAsync(f.id)
                      .catch((failure: unknown) => setError(describeError(failure, t).message));
                  }}
                >
                  {t('feedback.list.markHandled')}
                </Button>
              ),
          },
        ]}
      />
    </>
  );
}
