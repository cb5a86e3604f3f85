import { Alert, Button, Form, Input, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormModal } from '../../../components/form-modal';
import { PageHeader } from '../../../components/page-header';
import { useCreateLocation, useLocations, useSaveLocationPreference } from '../../../hooks/api/locations';
import type { Schemas } from '../../../lib/client';
import { describeError } from '../../../lib/errors';
import { dateTime } from '../../../lib/format';

type Location = Schemas['LocationDto'];

/**
 * The order being edited: the codes as moved so far, then any location created meanwhile (it comes last, as
 * the API puts it), without one that is gone. So Save always names every location once.
 */
function arrange(saved: Location[], draft: string[] | null): Location[] {
  if (!draft) return saved;
  const byCode = new Map(saved.map((location) => [location.code, location]));
  const moved = draft.flatMap((code) => byCode.get(code) ?? []);
  return [...moved, ...saved.filter((location) => !draft.includes(location.code))];
}

/**
 * Stock locations (warehouses) for managers and admins: the list in their order of preference (where `ship`
 * sends from first, and against which a product's reserved units are counted first), a new location, and
 * the order changed with up and down, then saved.
 */
export function LocationListPage() {
  const { t, i18n } = useTranslation();
  const locations = useLocations(true);
  const create = useCreateLocation();
  const save = useSaveLocationPreference();
  const [creating, setCreating] = useState(false);
  const [draft, setDraft] = useState<string[] | null>(null);
  const [message, setMessage] = useState<{ type: 'success' | 'error'; text: string } | null>(null);
  const saved = locations.data ?? [];
  const shown = arrange(saved, draft);
  const changed = shown.some((location, index) => location.code !== saved[index]?.code);

  const move = (index: number, by: -1 | 1) => {
    const codes = shown.map((location) => location.code);
    [codes[index], codes[index + by]] = [codes[index + by]!, codes[index]!];
    setDraft(codes);
    setMessage(null);
  };
  const submit = async () => {
    setMessage(null);
    try {
      const { preference } = await save.mutateAsync(shown.map((location) => location.code));
      setDraft(null);
      setMessage({ type: 'success', text: t('locations.saved', { first: preference[0] }) });
    } catch (failure) {
      setMessage({ type: 'error', text: describeError(failure, t).message });
    }
  };

  return (
    <>
      <PageHeader
        title={t('locations.title')}
        extra={
          <Button type="primary" onClick={() => setCreating(true)}>
            {t('locations.new')}
          </Button>
        }
      />
      <Typography.Paragraph type="secondary" style={{ maxWidth: 720 }}>
        {t('locations.help')}
      </Typography.Paragraph>
      {message && (
        <Alert
          type={message.type}
          showIcon
          title={message.text}
          role={message.type === 'error' ? 'alert' : 'status'}
          data-testid="locations-message"
          style={{ marginBottom: 16, maxWidth: 720 }}
        />
      )}
      <Table<Location>
        rowKey="code"
        data-testid="locations"
        loading={locations.isLoading}
        dataSource={shown}
        pagination={false}
        scroll={{ x: 700 }}
        columns={[
          {
            title: t('locations.rank'),
            key: 'rank',
            width: 110,
            render: (_, _location, index) => <span data-rank>{index + 1}</span>,
          },
          { title: t('locations.fields.code'), dataIndex: 'code' },
          { title: t('locations.fields.name'), dataIndex: 'name' },
          {
            title: t('locations.fields.createdAt'),
            dataIndex: 'createdAt',
            render: (at: string) => dateTime(at, i18n.language),
          },
          {
            title: t('locations.order'),
            key: 'order',
            render: (_, location, index) => (
              <Space>
                {/* Unspaced: the words seen must stay part of the button's name ("上移 MAIN"). */}
                <Button
                  size="small"
                  autoInsertSpace={false}
                  disabled={index === 0}
                  aria-label={t('locations.moveUp', { code: location.code })}
                  onClick={() => move(index, -1)}
                >
                  {t('locations.up')}
                </Button>
                <Button
                  size="small"
                  autoInsertSpace={false}
                  disabled={index === shown.length - 1}
                  aria-label={t('locations.moveDown', { code: location.code })}
                  onClick={() => move(index, 1)}
                >
                  {t('locations.down')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <Space style={{ marginTop: 12 }}>
        <Button
          type="primary"
          data-testid="save-preference"
          disabled={!changed}
          loading={save.isPending}
          onClick={() => void submit()}
        >
          {t('locations.savePreference')}
        </Button>
        <Button
          disabled={!changed}
          onClick={() => {
            setDraft(null);
            setMessage(null);
          }}
        >
          {t('locations.undo')}
        </Button>
      </Space>
      <FormModal<Schemas['CreateLocationDto']>
        open={creating}
        title={t('locations.new')}
        okText={t('locations.create')}
        onClose={() => setCreating(false)}
        onSubmit={async (values) => {
          const location = await create.mutateAsync({ code: values.code.trim(), name: values.name.trim() });
          setMessage({ type: 'success', text: t('locations.created', { code: location.code }) });
        }}
      >
        {() => (
          <>
            <Form.Item
              name="code"
              label={t('locations.fields.code')}
              extra={t('locations.codeHelp')}
              rules={[{ required: true, whitespace: true, message: t('common.required') }]}
            >
              <Input maxLength={32} autoComplete="off" />
            </Form.Item>
            <Form.Item
              name="name"
              label={t('locations.fields.name')}
              rules={[{ required: true, whitespace: true, message: t('common.required') }]}
            >
              <Input maxLength={200} />
            </Form.Item>
          </>
        )}
      </FormModal>
    </>
  );
}
