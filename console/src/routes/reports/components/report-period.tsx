import { Button, DatePicker, Space } from 'antd';
import dayjs from 'dayjs';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export interface Period {
  from?: string;
  to?: string;
}

/**
 * The period of a report (local dates, both included; empty: the API's default) and the CSV download of
 * exactly what is shown. `children` are the report's own choices.
 */
export function ReportPeriod({
  period,
  onChange,
  csvUrl,
  children,
}: {
  period: Period;
  onChange: (period: Period) => void;
  csvUrl: string;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Space wrap className="filters">
      <DatePicker.RangePicker
        aria-label={t('reports.period')}
        placeholder={[t('reports.from'), t('reports.to')]}
        allowEmpty={[true, true]}
        value={[period.from ? dayjs(period.from) : null, period.to ? dayjs(period.to) : null]}
        onChange={(range) => {
          const from = range?.[0]?.format('YYYY-MM-DD');
          const to = range?.[1]?.format('YYYY-MM-DD');
          onChange({ ...(from ? { from } : {}), ...(to ? { to } : {}) });
        }}
      />
      {children}
      <Button href={csvUrl} download data-testid="csv-download">
        {t('reports.downloadCsv')}
      </Button>
    </Space>
  );
}
