import { log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, Next } from '@temporalio/worker';
import { PERMANENT_FAILURES, type PermanentFailureKind } from '../domain/order';

/** PostgreSQL error classes that mean "this value or this statement will never work": not worth a retry. */
const INVALID_DATA_CLASSES = ['22', '23'];
const DEFECT_CLASSES = ['0A', '21', '25', '26', '28', '2B', '34', '3D', '3F', '42', '44'];
/** JavaScript errors that only a defect in our code raises. */
const DEFECT_ERRORS = [TypeError, RangeError, ReferenceError, SyntaxError];

/**
 * Whether a failure can never pass by retrying, and which kind it is; null for everything else (a lost
 * connection, a deadlock, a timeout, a server restarting), which Temporal keeps retrying with backoff.
 */
export function permanentKind(error: unknown): PermanentFailureKind | null {
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
 * Runs around every activity: a failure that retrying cannot fix becomes a non-retryable ApplicationFailure
 * of a kind from a closed set, so the workflow shows it on the order at once instead of retrying forever;
 * the message names the kind and the database's error code, never connection details or stack traces.
 */
export class PermanentFailureInterceptor implements ActivityInboundCallsInterceptor {
  async execute(
    input: ActivityExecuteInput,
    next: Next<ActivityInboundCallsInterceptor, 'execute'>,
  ): Promise<unknown> {
    try {
      return await next(input);
    } catch (error) {
      if (error instanceof ApplicationFailure) throw error;
      const kind = permanentKind(error);
      if (!kind) throw error;
      // The original error (its stack, its SQL) stays in the worker's log; the history gets the kind only.
      log.error('activity failed for good', { kind, error: String(error) });
      const code = (error as { code?: unknown }).code;
      const detail = typeof code === 'string' ? ` (database error ${code})` : '';
      throw ApplicationFailure.create({
        type: kind,
        message: `${WHAT_FAILED[kind]}${detail}`,
        nonRetryable: true,
      });
    }
  }
}
