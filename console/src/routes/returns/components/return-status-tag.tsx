import { Tag } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { RETURN_STATUSES } from '../../../../../domain/return';
import type { ReturnStatus } from '../../../hooks/api/returns';
import { ApiError } from '../../../lib/client';
import { describeError, type ErrorDescription } from '../../../lib/errors';

const COLORS: Record<ReturnStatus, string> = {
  requested: 'blue',
  approved: 'gold',
  received: 'cyan',
  refunded: 'green',
  exchanged: 'green',
  closed: 'default',
  rejected: 'red',
};

/** The return's status in words. */
export function ReturnStatusTag({ status }: { status: ReturnStatus }) {
  const { t } = useTranslation();
  return (
    <span data-testid="return-status" data-status={status}>
      <Tag color={COLORS[status]}>{t(`returns.status.${status}`)}</Tag>
    </span>
  );
}

/**
 * A refused return action in words. A 409 names the return's status (not an order's) and keeps the API's
 * sentence, which says what the action needs; the rest as everywhere.
 */
export function describeReturnError(error: unknown, t: TFunction): ErrorDescription {
  const status = error instanceof ApiError ? (error.body.status as string | undefined) : undefined;
  if (error instanceof ApiError && error.statusCode === 409 && status && isReturnStatus(status))
    return {
      message: t('returns.conflict', {
        status: t(`returns.status.${status}`),
        detail: error.body.message,
      }),
      conflict: true,
    };
  return describeError(error, t);
}

/**
 * A refused return request in words. Its 409 is about the order's units (more than can still come back,
 * not shipped, past the window): the API's sentence says which, so it is shown as it is.
 */
export function describeReturnRequestError(error: unknown, t: TFunction): ErrorDescription {
  if (error instanceof ApiError && error.statusCode === 409)
    return { message: t('errors.conflictOther', { detail: error.body.message }), conflict: true };
  return describeError(error, t);
}

const isReturnStatus = (value: string): value is ReturnStatus =>
  (RETURN_STATUSES as readonly string[]).includes(value);
