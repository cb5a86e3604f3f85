import { Alert, Button, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useBulkOrderAction, type BulkOrderAction, type BulkResult } from '../../../../hooks/api/orders';
import { useTaskPeople } from '../../../../hooks/api/tasks';
import type { Order } from '../../../../lib/client';
import { describeError, fieldName } from '../../../../lib/errors';
import { hasRole, MANAGERS } from '../../../../lib/roles';
import { useMe } from '../../../../lib/session';

/** What the board does to many orders at once (the bulk endpoint also has claim and unclaim). */
export const BULK_ACTIONS = ['approve', 'reject', 'cancel', 'ship', 'complete', 'assign'] as const;
type BulkAction = (typeof BULK_ACTIONS)[number];
type Values = {
  comment?: string;
  reason?: string;
  carrier?: string;
  trackingNumbers?: string;
  userId?: string;
};

const DANGER: BulkAction[] = ['reject', 'cancel'];

/** One tracking number a line, blank lines dropped (a column pasted from a spreadsheet). */
const lines = (text: string | undefined) =>
  (text ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');

/**
 * The people an order may be given to: oneself always; for managers and admins every enabled member of staff,
 * manager and admin (`GET /api/tasks/people`). Staff may only take orders themselves.
 */
function usePeople() {
  const me = useMe();
  const manager = hasRole(me.roles, MANAGERS);
  const staff = useTaskPeople(manager);
  return useMemo(() => {
    const people = new Map<string, string>([[me.id, me.username]]);
    for (const person of staff.data?.items ?? [])
      people.set(person.id, `${person.displayName} (${person.username})`);
    return [...people].map(([value, label]) => ({ value, label }));
  }, [me, staff.data]);
}

/**
 * The bar under the board for the selected orders: one button per action, a dialog asking what the action
 * needs, one request to `POST /api/orders/bulk`, and a table of what happened to each order.
 */
export function BulkActions({
  selected,
  onClear,
}: {
  /** The selected orders in the board's order (a pasted column of tracking numbers follows it). */
  selected: Order[];
  onClear: () => void;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<BulkAction | null>(null);
  const [results, setResults] = useState<{ rows: BulkResult[]; numbers: Map<string, string> } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<Values>();
  const bulk = useBulkOrderAction();
  const people = usePeople();

  // The API decides what may be done to each order (`actions`); an action none of them offers is greyed.
  const offered = (action: BulkAction) =>
    action === 'assign' || selected.some((order) => order.actions.includes(action));

  const close = () => {
    setOpen(null);
    setError(null);
    form.resetFields();
  };

  const submit = async (action: BulkAction, values: Values) => {
    setError(null);
    const ids = selected.map((order) => order.id);
    const body: BulkOrderAction = {
      action,
      ids,
      ...(values.comment?.trim() ? { comment: values.comment.trim() } : {}),
      ...(values.reason?.trim() ? { reason: values.reason.trim() } : {}),
      ...(values.carrier?.trim() ? { carrier: values.carrier.trim() } : {}),
      ...(action === 'ship' ? { trackingNumbers: lines(values.trackingNumbers) } : {}),
      ...(values.userId ? { userId: values.userId } : {}),
    };
    try {
      const rows = await bulk.mutateAsync(body);
      setResults({ rows, numbers: new Map(selected.map((order) => [order.id, order.number])) });
      close();
      onClear();
    } catch (failure) {
      const described = describeError(failure, t);
      const name = described.field ? fieldName(described.field) : null;
      if (name && form.getFieldInstance(name) !== undefined) {
        form.setFields([{ name: name as keyof Values, errors: [described.message] }]);
      } else {
        setError(described.message);
      }
    }
  };

  const done = results?.rows.filter((row) => row.status === 200).length ?? 0;
  return (
    <>
      {selected.length > 0 && (
        <div role="group" aria-label={t('orders.bulk.label')} className="bulk-bar" data-testid="bulk-actions">
          <Typography.Text strong data-testid="bulk-selected">
            {t('orders.bulk.selected', { count: selected.length })}
          </Typography.Text>
          <Space wrap>
            {BULK_ACTIONS.map((action) => (
              <Button
                key={action}
                type={DANGER.includes(action) ? 'default' : 'primary'}
                danger={DANGER.includes(action)}
                disabled={!offered(action)}
                onClick={() => setOpen(action)}
                data-action={action}
              >
                {t(`orders.bulk.actions.${action}`)}
              </Button>
            ))}
            <Button onClick={onClear}>{t('orders.bulk.clear')}</Button>
          </Space>
        </div>
      )}
      {open && (
        <Modal
          open
          title={t('orders.bulk.title', { action: t(`orders.bulk.actions.${open}`), count: selected.length })}
          footer={null}
          onCancel={close}
          destroyOnHidden
        >
          {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 16 }} />}
          <Form<Values>
            form={form}
            layout="vertical"
            onFinish={(values) => void submit(open, values)}
            data-testid="bulk-form"
            initialValues={open === 'assign' && people.length === 1 ? { userId: people[0]!.value } : {}}
          >
            <BulkFields action={open} selected={selected} people={people} />
            <div className="bulk-form-buttons">
              <Button onClick={close}>{t('common.cancel')}</Button>
              <Button
                type="primary"
                danger={DANGER.includes(open)}
                htmlType="submit"
                loading={bulk.isPending}
                autoFocus={open === 'complete'}
                data-testid="bulk-submit"
              >
                {t('orders.bulk.submit', {
                  action: t(`orders.bulk.actions.${open}`),
                  count: selected.length,
                })}
              </Button>
            </div>
          </Form>
        </Modal>
      )}
      {results && (
        <Modal
          open
          title={t('orders.bulk.results', { done, refused: results.rows.length - done })}
          onCancel={() => setResults(null)}
          footer={
            <Button type="primary" onClick={() => setResults(null)} autoFocus>
              {t('orders.bulk.close')}
            </Button>
          }
          width={720}
          destroyOnHidden
        >
          <Table<BulkResult>
            data-testid="bulk-results"
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={results.rows}
            scroll={{ y: 420 }}
            onRow={(row) => ({ 'data-result': row.status === 200 ? 'ok' : 'refused' }) as object}
            columns={[
              {
                title: t('orders.fields.number'),
                key: 'number',
                width: 170,
                render: (_, row) => {
                  const number = row.order?.number ?? results.numbers.get(row.id) ?? row.id;
                  return <Link to={`/orders/${row.id}`}>{number}</Link>;
                },
              },
              {
                title: t('orders.bulk.result'),
                key: 'result',
                render: (_, row) =>
                  row.status === 200 ? (
                    <Tag className="bulk-result-ok">{t('orders.bulk.ok')}</Tag>
                  ) : (
                    <Space direction="vertical" size={0}>
                      <Tag className="bulk-result-refused">
                        {t('orders.bulk.refused', { status: row.status })}
                      </Tag>
                      <Typography.Text data-testid="bulk-reason">{row.message}</Typography.Text>
                    </Space>
                  ),
              },
            ]}
          />
        </Modal>
      )}
    </>
  );
}

/** What each action asks for, as one by one; the first field takes the focus. */
function BulkFields({
  action,
  selected,
  people,
}: {
  action: BulkAction;
  selected: Order[];
  people: { value: string; label: string }[];
}) {
  const { t } = useTranslation();
  const required = [{ required: true, whitespace: true, message: t('common.required') }];
  switch (action) {
    case 'approve':
      return (
        <Form.Item name="comment" label={t('orders.bulk.comment')}>
          <Input maxLength={2000} autoFocus />
        </Form.Item>
      );
    case 'reject':
    case 'cancel':
      return (
        <Form.Item name="reason" label={t('orders.fields.reason')} rules={required}>
          <Input.TextArea rows={3} maxLength={2000} autoFocus />
        </Form.Item>
      );
    case 'complete':
      return <p>{t('orders.bulk.confirmComplete', { count: selected.length })}</p>;
    case 'assign':
      return (
        <Form.Item
          name="userId"
          label={t('orders.bulk.assignee')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Select
            autoFocus
            showSearch={{ optionFilterProp: 'label' }}
            options={people}
            aria-label={t('orders.bulk.assignee')}
          />
        </Form.Item>
      );
    case 'ship':
      return (
        <>
          <Form.Item name="carrier" label={t('orders.fields.carrier')} rules={required}>
            <Input maxLength={100} autoFocus />
          </Form.Item>
          <Form.Item
            name="trackingNumbers"
            label={t('orders.bulk.trackingNumbers', { count: selected.length })}
            extra={t('orders.bulk.trackingHelp')}
            rules={[
              {
                validator: (_, value: string | undefined) => {
                  const count = lines(value).length;
                  return count === selected.length
                    ? Promise.resolve()
                    : Promise.reject(
                        new Error(t('orders.bulk.trackingCount', { count, expected: selected.length })),
                      );
                },
              },
            ]}
          >
            <Input.TextArea rows={Math.min(12, Math.max(3, selected.length))} data-testid="bulk-tracking" />
          </Form.Item>
          <ol className="bulk-ship-order" aria-label={t('orders.bulk.trackingOrder')}>
            {selected.map((order) => (
              <li key={order.id}>{order.number}</li>
            ))}
          </ol>
        </>
      );
  }
}
