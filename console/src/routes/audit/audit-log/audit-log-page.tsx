import { Button, Input, Select, Space, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/page-header';
import { useAuditLog } from '../../../hooks/api/operations';
import type { Schemas } from '../../../lib/client';
import { dateTime } from '../../../lib/format';

type Entity = Schemas['AuditRecordDto']['entity'];
const ENTITIES: Entity[] = ['customer', 'product', 'settings', 'user', 'webhook', 'delivery'];

/** The audit log of changes made outside the workflows, with who, when, before and after. */
export function AuditLogPage() {
  const { t, i18n } = useTranslation();
  const [entity, setEntity] = useState<Entity | undefined>();
  const [entityId, setEntityId] = useState('');
  const [cursors, setCursors] = useState<string[]>([]);
  const audit = useAuditLog({
    ...(entity ? { entity } : {}),
    ...(entityId ? { entityId } : {}),
    ...(cursors.length ? { cursor: cursors.at(-1)! } : {}),
  });
  return (
    <>
      <PageHeader title={t('audit.title')} />
      <Space wrap className="filters">
        <Select
          aria-label={t('audit.entity')}
          placeholder={t('audit.entity')}
          allowClear
          value={entity}
          onChange={(v?: Entity) => {
            setCursors([]);
            setEntity(v);
          }}
          style={{ width: 180 }}
          options={ENTITIES.map((e) => ({ value: e, label: t(`audit.entities.${e}`) }))}
        />
        <Input.Search
          aria-label={t('audit.entityId')}
          placeholder={t('audit.entityId')}
          allowClear
          onSearch={(v) => {
            setCursors([]);
            setEntityId(v.trim());
          }}
          style={{ width: 320 }}
        />
      </Space>
      <Table<Schemas['AuditRecordDto']>
        rowKey="id"
        loading={audit.isLoading}
        dataSource={audit.data?.items ?? []}
        pagination={false}
        scroll={{ x: 1000 }}
        expandable={{
          expandedRowRender: (record) => (
            <div className="history-details">
              {t('audit.before')}: {JSON.stringify(record.before)}
              {'\n'}
              {t('audit.after')}: {JSON.stringify(record.after)}
            </div>
          ),
        }}
        columns={[
          { title: t('audit.at'), dataIndex: 'at', render: (at: string) => dateTime(at, i18n.language) },
          { title: t('audit.actor'), key: 'actor', render: (_, r) => r.actor.username },
          { title: t('audit.action'), dataIndex: 'action' },
          {
            title: t('audit.entity'),
            dataIndex: 'entity',
            render: (e: string) => t(`audit.entities.${e}`, { defaultValue: e }),
          },
          { title: t('audit.entityId'), dataIndex: 'entityId' },
        ]}
      />
      <Space style={{ marginTop: 12 }}>
        <Button disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>
          {t('common.previous')}
        </Button>
        <Button
          disabled={!audit.data?.nextCursor}
          onClick={() => setCursors([...cursors, audit.data!.nextCursor!])}
        >
          {t('common.next')}
        </Button>
      </Space>
    </>
  );
}
