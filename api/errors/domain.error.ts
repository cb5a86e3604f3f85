/**
 * The closed set of business refusals. Services throw these; one filter maps them to HTTP, so a caller
 * always gets a 4xx that says what was wrong, never a stack trace.
 */
export const DOMAIN_ERROR_STATUS = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  gone: 410,
  invalid_state: 409,
  duplicate: 409,
  unsupported_media: 415,
  idempotency_mismatch: 422,
  throttled: 429,
  unavailable: 503,
} as const;

export type DomainErrorKind = keyof typeof DOMAIN_ERROR_STATUS;

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    /** Extra fields for the response body, e.g. the order's current status. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }

  get statusCode(): number {
    return DOMAIN_ERROR_STATUS[this.kind];
  }
}

/** A field of the request that is wrong; the message starts with the field's path. */
export function invalidField(field: string, problem: string): DomainError {
  return new DomainError('invalid_input', `${field} ${problem}`, { field });
}

export function notFound(what: string, id: string): DomainError {
  return new DomainError('not_found', `${what} ${JSON.stringify(id)} does not exist`);
}

/** The order's state does not allow the action; names the current status. */
export function invalidState(message: string, status: string, awaiting: string | null): DomainError {
  return new DomainError('invalid_state', message, { status, awaiting });
}

/** A refusal the client may repeat after a while: answered with `Retry-After` (seconds). */
export class RetryLater extends DomainError {
  constructor(
    kind: 'throttled' | 'unavailable',
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(kind, message);
  }
}
