/** The one place where a failed request becomes words for a person. */
import type { TFunction } from 'i18next';
import { ApiError } from './client';

export interface ErrorDescription {
  message: string;
  /** The request field the error is about (400, or a 409 about one field), to mark it in the form. */
  field?: string;
  /** The order's status now (409), so the page can refresh it. */
  conflict?: boolean;
}

export function describeError(error: unknown, t: TFunction): ErrorDescription {
  if (!(error instanceof ApiError)) return { message: t('errors.network') };
  const { statusCode, body } = error;
  switch (statusCode) {
    case 400: {
      const field = body.field ?? /^([\w.[\]]+) /.exec(body.message)?.[1];
      return { message: t('errors.invalid', { detail: body.message }), ...(field ? { field } : {}) };
    }
    case 401:
      return { message: t('errors.sessionExpired') };
    case 403:
      return { message: t('errors.forbidden', { detail: body.message }) };
    case 404:
      return { message: t('errors.notFound') };
    case 409: {
      // A refusal about one field (`lines.0.quantity … is more than is left to ship`, a location that does
      // not hold the units): its own words say what to change, where the order's status alone would not.
      const field = body.field ?? /^(\w+\.\d+\.\w+) /.exec(body.message)?.[1];
      if (field)
        return { message: t('errors.conflictField', { detail: body.message }), field, conflict: true };
      return {
        message: body.status
          ? t('errors.conflict', {
              status: t(`status.${body.status}`),
              awaiting: body.awaiting ? t(`awaiting.${body.awaiting}`) : t('awaiting.none'),
            })
          : t('errors.conflictOther', { detail: body.message }),
        conflict: true,
      };
    }
    case 413:
      return { message: t('errors.tooLarge') };
    case 422:
      return { message: t('errors.idempotency') };
    case 429:
      return { message: t('errors.throttled') };
    case 503:
      return { message: t('errors.unavailable') };
    default:
      return { message: t('errors.server') };
  }
}

/** The last segment of a field path (`lines[0].quantity` → `quantity`), to find the form item. */
export function fieldName(field: string): string {
  return field
    .split('.')
    .pop()!
    .replace(/\[\d+\]$/, '');
}
