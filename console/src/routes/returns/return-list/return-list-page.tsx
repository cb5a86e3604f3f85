import { Alert, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { RETURN_STATUSES } from '../../../../../domain/return';
import { PageHeader } from '../../../components/page-header';
import { useReturns, type ReturnStatus } from '../../../hooks/api/returns';
import { describeError } from '../../../lib/errors';
import { ReturnTable } from '../components/return-table';

/** Returns newest first, filtered by status (kept in the address, so a filtered list can be linked). */
export function ReturnListPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const status = (params.get('status') ?? undefined) as ReturnStatus | undefined;
  const returns = useReturns(status ? { status } : {}, true);

  const setStatus = (value?: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set('status', value);
    else next.delete('status');
    setParams(next, { replace: true });
  };

  return (
    <>
      <PageHeader title={t('returns.list.title')} />
      <Space wrap className="filters">
        <Select
          aria-label={t('returns.fields.status')}
          placeholder={t('returns.list.anyStatus')}
          allowClear
          value={status}
          onChange={setStatus}
          style={{ width: 180 }}
          data-testid="return-status-filter"
          options={RETURN_STATUSES.map((value) => ({ value, label: t(`returns.status.${value}`) }))}
        />
      </Space>
      {returns.error && (
        <Alert type="error" showIcon title={describeError(returns.error, t).message} role="alert" />
      )}
      <ReturnTable returns={returns.data?.items ?? []} loading={returns.isLoading} />
    </>
  );
}
