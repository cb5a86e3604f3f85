import { log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, Next } from '@temporalio/worker';
import { permanentFailureOf } from '../activities/permanent-failures';

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
      const failure = permanentFailureOf(error);
      if (!failure) throw error;
      // The original error (its stack, its SQL) stays in the worker's log; the history gets the kind only.
      log.error('activity failed for good', { kind: failure.type, error: String(error) });
      throw failure;
    }
  }
}
