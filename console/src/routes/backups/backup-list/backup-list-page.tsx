import { Alert, Button, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/page-header';
import { useBackups, useStartBackup } from '../../../hooks/api/backups';
import type { Schemas } from '../../../lib/client';
import { describeError } from '../../../lib/errors';
import { dateTime } from '../../../lib/format';

const size = (bytes: number) =>
  bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;

/** The backup archives on the server, newest first, and a button that writes one now (admins). */
export function BackupListPage() {
  const { t, i18n } = useTranslation();
  const backups = useBackups();
  const start = useStartBackup();
  const [outcome, setOutcome] = useState<{ ok: boolean; message: string } | null>(null);
  return (
    <>
      <PageHeader
        title={t('backups.title')}
        extra={
          <Button
            type="primary"
            loading={start.isPending}
            data-action="start-backup"
            onClick={() => {
              setOutcome(null);
              void start
                .mutateAsync()
                .then((backup) => setOutcome({ ok: true, message: t('backups.written', { id: backup.id }) }))
                .catch((failure: unknown) =>
                  setOutcome({ ok: false, message: describeError(failure, t).message }),
                );
            }}
          >
            {t('backups.start')}
          </Button>
        }
      />
      {outcome && (
        <Alert
          type={outcome.ok ? 'success' : 'error'}
          showIcon
          title={outcome.message}
          style={{ marginBottom: 16 }}
        />
      )}
      {backups.error && <Alert type="error" showIcon title={describeError(backups.error, t).message} />}
      <Table<Schemas['BackupDto']>
        data-testid="backup-list"
        rowKey="id"
        loading={backups.isLoading}
        dataSource={backups.data?.items ?? []}
        pagination={false}
        scroll={{ x: 900 }}
        columns={[
          {
            title: t('backups.createdAt'),
            dataIndex: 'createdAt',
            width: 190,
            render: (at: string) => dateTime(at, i18n.language),
          },
          { title: t('backups.id'), dataIndex: 'id' },
          { title: t('backups.size'), dataIndex: 'bytes', align: 'right', render: size },
          { title: t('backups.appVersion'), dataIndex: 'appVersion' },
          {
            title: t('backups.temporal'),
            key: 'temporal',
            render: (_, b) => (
              <Tag>
                {t(`backups.temporalKinds.${b.temporalPersistence}`, { defaultValue: b.temporalPersistence })}
              </Tag>
            ),
          },
          { title: t('backups.file'), dataIndex: 'file' },
        ]}
      />
    </>
  );
}
