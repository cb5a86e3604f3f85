import { Button, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Return } from '../../../../hooks/api/returns';

/** The refunded return's credit note, as HTML or PDF, opened in a new tab; before the refund there is none. */
export function CreditNoteLinks({ ret }: { ret: Return }) {
  const { t } = useTranslation();
  if (ret.refundedAmount === null)
    return <Typography.Text type="secondary">{t('returns.creditNote.notYet')}</Typography.Text>;
  return (
    <Space wrap data-testid="credit-note">
      {(['html', 'pdf'] as const).map((format) => (
        <Button
          key={format}
          size="small"
          href={`/api/returns/${ret.id}/credit-note${format === 'pdf' ? '?format=pdf' : ''}`}
          target="_blank"
          rel="noopener noreferrer"
          aria-label={`${t('returns.creditNote.title')} ${t(`documents.${format}`)}`}
          data-document={`credit-note-${format}`}
        >
          {t(`documents.${format}`)}
        </Button>
      ))}
    </Space>
  );
}
