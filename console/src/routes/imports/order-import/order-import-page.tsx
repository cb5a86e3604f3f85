import { Alert, Button, Card, Descriptions, Progress, Space, Table, Tag, Typography, Upload } from 'antd';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import {
  IMPORT_COLUMNS,
  MAX_IMPORT_BYTES,
  MAX_IMPORT_QUANTITY,
  MAX_IMPORT_ROWS,
} from '../../../../../domain/order-import';
import { PageHeader } from '../../../components/page-header';
import { useCommitImport, useImport, useUploadImport, type OrderImport } from '../../../hooks/api/imports';
import { ApiError, type Schemas } from '../../../lib/client';
import { describeError } from '../../../lib/errors';
import { dateTime } from '../../../lib/format';

type ImportProblem = Schemas['ImportErrorDto'];
type ImportResult = Schemas['ImportResultDto'];

const REQUIRED = new Set(['externalRef', 'customer', 'sku', 'quantity']);
const MEGABYTES = MAX_IMPORT_BYTES / 1024 / 1024;

/** The template: the header and a few example rows, UTF-8 with a BOM so that Excel shows it as UTF-8. */
const TEMPLATE = [
  IMPORT_COLUMNS.join(','),
  'SHOP-1001,buyer@example.com,TEA-001,2,Leave at the door',
  'SHOP-1001,buyer@example.com,CUP-002,3,',
  'SHOP-1002,buyer@example.com,TEA-001,1,',
].join('\r\n');
const TEMPLATE_HREF = `data:text/csv;charset=utf-8,${encodeURIComponent(`\uFEFF${TEMPLATE}\r\n`)}`;

/** Why an upload was refused, in words for the person who chose the file. */
function uploadProblem(error: unknown, t: TFunction): string {
  if (error instanceof ApiError) {
    if (error.statusCode === 415) return t('imports.refused.notUtf8');
    if (error.statusCode === 413) return t('imports.refused.tooLarge', { mb: MEGABYTES });
    if (error.statusCode === 400) return t('imports.refused.unreadable', { detail: error.body.message });
  }
  return describeError(error, t).message;
}

/**
 * Order import: a CSV or XLSX file is checked by the API (a preview: nothing written), staff fix the file
 * and upload it again until it is right, then commit; the commit's progress and each order's result show
 * here. `/imports/:id` is one import (an upload's preview, or an e-mailed order's draft).
 */
export function OrderImportPage() {
  const { t } = useTranslation();
  const { id } = useParams<{ id: string }>();
  const navigate = useNavigate();
  const current = useImport(id);
  const upload = useUploadImport();
  const commit = useCommitImport();
  const [refusal, setRefusal] = useState<string | null>(null);

  const send = (file: File) => {
    setRefusal(null);
    if (file.size > MAX_IMPORT_BYTES) {
      setRefusal(t('imports.refused.tooLarge', { mb: MEGABYTES }));
      return;
    }
    upload
      .mutateAsync(file)
      .then((preview) => navigate(`/imports/${preview.id}`))
      .catch((failure: unknown) => setRefusal(uploadProblem(failure, t)));
  };

  const shown = current.data;
  return (
    <>
      <PageHeader title={t('imports.title')} />
      <Space direction="vertical" size="large" style={{ width: '100%' }}>
        <Card title={t('imports.upload.title')}>
          <div data-testid="import-upload">
            <Upload.Dragger
              accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              multiple={false}
              showUploadList={false}
              disabled={upload.isPending}
              beforeUpload={(file) => {
                send(file);
                return Upload.LIST_IGNORE;
              }}
            >
              <Typography.Paragraph strong style={{ marginBottom: 4 }}>
                {upload.isPending ? t('imports.upload.checking') : t('imports.upload.choose')}
              </Typography.Paragraph>
              <Typography.Text type="secondary">
                {t('imports.upload.formats', { mb: MEGABYTES, rows: MAX_IMPORT_ROWS.toLocaleString() })}
              </Typography.Text>
            </Upload.Dragger>
          </div>
          {refusal && (
            <Alert
              type="error"
              showIcon
              title={refusal}
              style={{ marginTop: 16 }}
              data-testid="import-refused"
            />
          )}
          <ImportHelp />
        </Card>
        {id && current.error && (
          <Alert type="error" showIcon title={describeError(current.error, t).message} />
        )}
        {shown && (
          <Preview
            preview={shown}
            committing={commit.isPending}
            commitError={commit.error ? describeError(commit.error, t).message : null}
            onCommit={() => commit.mutate(shown.id)}
          />
        )}
        {shown && shown.status !== 'previewed' && <CommitProgress preview={shown} />}
      </Space>
    </>
  );
}

/** The expected columns, the rules of the file and a template to start from. */
function ImportHelp() {
  const { t } = useTranslation();
  return (
    <div data-testid="import-help" style={{ marginTop: 16 }}>
      <Typography.Title level={2} style={{ fontSize: 16 }}>
        {t('imports.help.title')}
      </Typography.Title>
      <Typography.Paragraph>{t('imports.help.format')}</Typography.Paragraph>
      <Typography.Paragraph>{t('imports.help.grouping')}</Typography.Paragraph>
      <Table<{ column: string }>
        data-testid="import-columns"
        rowKey="column"
        size="small"
        pagination={false}
        dataSource={IMPORT_COLUMNS.map((column) => ({ column }))}
        columns={[
          {
            title: t('imports.help.column'),
            dataIndex: 'column',
            width: 140,
            render: (column: string) => <Typography.Text code>{column}</Typography.Text>,
          },
          {
            title: t('imports.help.required'),
            key: 'required',
            width: 100,
            render: (_, { column }) => (REQUIRED.has(column) ? t('common.yes') : t('common.no')),
          },
          {
            title: t('imports.help.meaning'),
            key: 'meaning',
            render: (_, { column }) =>
              t(`imports.columns.${column}`, { max: MAX_IMPORT_QUANTITY.toLocaleString() }),
          },
        ]}
      />
      <Space style={{ marginTop: 12 }} wrap>
        <Button href={TEMPLATE_HREF} download="order-import-template.csv" data-testid="import-template">
          {t('imports.help.template')}
        </Button>
        <Typography.Text type="secondary">{t('imports.help.templateHint')}</Typography.Text>
      </Space>
    </div>
  );
}

/** The checked file: counts, what a commit would do, each problem by row and column, and the commit button. */
function Preview({
  preview,
  committing,
  commitError,
  onCommit,
}: {
  preview: OrderImport;
  committing: boolean;
  commitError: string | null;
  onCommit: () => void;
}) {
  const { t, i18n } = useTranslation();
  const problems = preview.errorCount > 0;
  const counts = {
    rows: preview.rows,
    valid: preview.valid,
    orders: preview.orders,
    errors: preview.errorCount,
  };
  return (
    <Card title={t('imports.preview.title')} data-testid="import-preview" data-import-id={preview.id}>
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2, lg: 3 }}
        items={[
          { key: 'file', label: t('imports.preview.file'), children: preview.fileName },
          {
            key: 'createdAt',
            label: t('imports.preview.createdAt'),
            children: dateTime(preview.createdAt, i18n.language),
          },
          {
            key: 'rows',
            label: t('imports.preview.rows'),
            children: <span data-testid="import-rows">{preview.rows}</span>,
          },
          {
            key: 'valid',
            label: t('imports.preview.valid'),
            children: <span data-testid="import-valid">{preview.valid}</span>,
          },
          {
            key: 'orders',
            label: t('imports.preview.orders'),
            children: <span data-testid="import-orders">{preview.orders}</span>,
          },
          {
            key: 'errors',
            label: t('imports.preview.errorCount'),
            children: <span data-testid="import-error-count">{preview.errorCount}</span>,
          },
        ]}
      />
      {preview.status === 'previewed' && (
        <Alert
          data-testid="import-verdict"
          style={{ margin: '16px 0' }}
          showIcon
          type={preview.orders === 0 ? 'error' : problems ? 'warning' : 'success'}
          title={
            preview.orders === 0
              ? t('imports.preview.nothing', counts)
              : problems
                ? t('imports.preview.someInvalid', counts)
                : t('imports.preview.allValid', counts)
          }
          description={problems ? t('imports.preview.fixAndUpload') : t('imports.preview.idempotent')}
        />
      )}
      {commitError && <Alert type="error" showIcon title={commitError} style={{ marginBottom: 16 }} />}
      {preview.status === 'previewed' && preview.orders > 0 && (
        <Button
          type="primary"
          danger={problems}
          loading={committing}
          onClick={onCommit}
          data-testid="import-commit"
          style={{ marginBottom: 16 }}
        >
          {problems
            ? t('imports.preview.commitValid', { count: preview.orders })
            : t('imports.preview.commit', { count: preview.orders })}
        </Button>
      )}
      {problems && (
        <>
          <Typography.Title level={2} style={{ fontSize: 16 }}>
            {t('imports.problems.title')}
          </Typography.Title>
          {preview.errorCount > preview.errors.length && (
            <Typography.Paragraph type="secondary">
              {t('imports.problems.firstOnly', { shown: preview.errors.length, count: preview.errorCount })}
            </Typography.Paragraph>
          )}
          <Table<ImportProblem & { index: number }>
            data-testid="import-errors"
            rowKey="index"
            size="small"
            dataSource={preview.errors.map((problem, index) => ({ ...problem, index }))}
            pagination={preview.errors.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
            columns={[
              { title: t('imports.problems.row'), dataIndex: 'row', width: 90, align: 'right' },
              {
                title: t('imports.problems.field'),
                dataIndex: 'field',
                width: 140,
                render: (field: string) => <Typography.Text code>{field}</Typography.Text>,
              },
              { title: t('imports.problems.message'), dataIndex: 'message' },
            ]}
          />
        </>
      )}
    </Card>
  );
}

/** The commit as it runs (the import is read again every second) and, order by order, what came of it. */
function CommitProgress({ preview }: { preview: OrderImport }) {
  const { t } = useTranslation();
  const done = preview.status === 'committed';
  const created = preview.results.filter((result) => result.created).length;
  const failed = preview.results.filter((result) => result.error !== null).length;
  const existed = preview.results.length - created - failed;
  const percent = preview.orders === 0 ? 100 : Math.floor((preview.processed / preview.orders) * 100);
  return (
    <Card
      title={t('imports.progress.title')}
      data-testid="import-progress"
      data-status={preview.status}
      aria-busy={!done}
    >
      <Progress
        percent={done ? 100 : percent}
        // Not `success`/`exception` when done: their green and red figures are too faint to read (axe).
        status={done ? 'normal' : 'active'}
        aria-label={t('imports.progress.label')}
        format={() => `${preview.processed} / ${preview.orders}`}
      />
      <Typography.Paragraph data-testid="import-progress-text" style={{ marginTop: 8 }} aria-live="polite">
        {done
          ? t('imports.progress.done', { created, existed, failed })
          : t('imports.progress.running', { processed: preview.processed, orders: preview.orders })}
      </Typography.Paragraph>
      <Table<ImportResult>
        data-testid="import-results"
        rowKey="externalRef"
        size="small"
        dataSource={preview.results}
        pagination={preview.results.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
        columns={[
          { title: t('imports.results.externalRef'), dataIndex: 'externalRef' },
          {
            title: t('imports.results.order'),
            key: 'order',
            render: (_, result) =>
              result.orderId ? (
                <Link to={`/orders/${result.orderId}`}>{result.number ?? result.orderId}</Link>
              ) : (
                '—'
              ),
          },
          {
            title: t('imports.results.outcome'),
            key: 'outcome',
            render: (_, result) =>
              result.error !== null ? (
                <Space direction="vertical" size={0}>
                  <Tag color="red">{t('imports.results.failed')}</Tag>
                  <Typography.Text type="danger">{result.error}</Typography.Text>
                </Space>
              ) : result.created ? (
                <Tag color="green">{t('imports.results.created')}</Tag>
              ) : (
                <Tag>{t('imports.results.existed')}</Tag>
              ),
          },
        ]}
      />
    </Card>
  );
}
