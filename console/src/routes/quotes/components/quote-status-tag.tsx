import { Tag } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { QuoteStatus } from '../../../hooks/api/quotes';
import { ApiError } from '../../../lib/client';
import { describeError, type ErrorDescription } from '../../../lib/errors';
import { QUOTE_STATUSES } from '../../../../../domain/quote';

const COLORS: Record<QuoteStatus, string> = {
  draft: 'default',
  sent: 'blue',
  accepted: 'green',
  declined: 'red',
  expired: 'orange',
};

/** The quote's status in words. */
export function QuoteStatusTag({ status }: { status: QuoteStatus }) {
  const { t } = useTranslation();
  return (
    <span data-testid="quote-status" data-status={status}>
      <Tag color={COLORS[status]}>{t(`quotes.status.${status}`)}</Tag>
    </span>
  );
}

/** A failed quote request in words: a 409 names the quote's status (not an order's), the rest as everywhere. */
export function describeQuoteError(error: unknown, t: TFunction): ErrorDescription {
  const status = error instanceof ApiError ? (error.body.status as string | undefined) : undefined;
  if (error instanceof ApiError && error.statusCode === 409 && status && isQuoteStatus(status))
    return { message: t('quotes.conflict', { status: t(`quotes.status.${status}`) }), conflict: true };
  return describeError(error, t);
}

const isQuoteStatus = (value: string): value is QuoteStatus =>
  (QUOTE_STATUSES as readonly string[]).includes(value);
