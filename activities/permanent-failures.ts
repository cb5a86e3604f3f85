import { ApplicationFailure } from '@temporalio/common';
import { PERMANENT_FAILURES, isPermanentFailureKind, type PermanentFailureKind } from '../domain/order';

/** PostgreSQL error classes that mean "this value or this statement will never work": not worth a retry. */
const INVALID_DATA_CLASSES = ['22', '23'];
const DEFECT_CLASSES = ['0A', '21', '25', '26', '28', '2B', '34', '3D', '3F', '42', '44'];
/** JavaScript errors that only a defect in our code raises. */
const DEFECT_ERRORS = [TypeError, RangeError, ReferenceError, SyntaxError];

/**
 * Whether a failure can never pass by retrying, and which kind it is; null for everything else (a lost
 * connection, a deadlock, a timeout, a server restarting), which Temporal keeps retrying with backoff.
 */
function permanentKind(error: unknown): PermanentFailureKind | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
    const sqlClass = code.slice(0, 2);
    if (INVALID_DATA_CLASSES.includes(sqlClass)) return PERMANENT_FAILURES.invalidData;
    if (DEFECT_CLASSES.includes(sqlClass)) return PERMANENT_FAILURES.defect;
    return null;
  }
  if (DEFECT_ERRORS.some((type) => error instanceof type)) return PERMANENT_FAILURES.defect;
  return null;
}

const WHAT_FAILED: Record<PermanentFailureKind, string> = {
  InvalidData: 'the database refused a value of this order',
  Defect: 'a defect in the order system stopped this step',
};

/**
 * The non-retryable failure an activity raises for an error that retrying cannot fix (of a kind from a
 * closed set, its message naming the kind and the database's error code, never connection details or stack
 * traces); the failure itself when it already is one; null for everything else, which is retried.
 */
export function permanentFailureOf(error: unknown): ApplicationFailure | null {
  if (error instanceof ApplicationFailure)
    return error.nonRetryable && isPermanentFailureKind(error.type) ? error : null;
  const kind = permanentKind(error);
  if (!kind) return null;
  const code = (error as { code?: unknown }).code;
  const detail = typeof code === 'string' ? ` (database error ${code})` : '';
  return ApplicationFailure.create({
    type: kind,
    message: `${WHAT_FAILED[kind]}${detail}`,
    nonRetryable: true,
  });
}
