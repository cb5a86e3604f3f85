/**
 * How the order workflow reaches the outside world.
 *
 * Steps that touch only our own PostgreSQL (recording the order, notifications, stock) run as local
 * activities: the worker that holds the workflow task runs them at once and records one marker, instead of a
 * round trip through the server for each (scheduled, started, completed, and a workflow task to read the
 * result). So does starting the archive, which runs apart once the workflow has closed. The payment gateway
 * stays a regular activity: it is a third party whose retries must not hold a workflow task open.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  proxyActivities,
  proxyLocalActivities,
  type ActivityOptions,
  type LocalActivityOptions,
} from '@temporalio/workflow';
import type * as activities from '../../activities';
import { PERMANENT_FAILURES } from '../../domain/order';

type Activities = ReturnType<typeof activities.createActivities>;

const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' } as const;

export const local = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry,
} satisfies LocalActivityOptions);

export const remote = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry,
} satisfies ActivityOptions);

const PERMANENT_KINDS: readonly string[] = Object.values(PERMANENT_FAILURES);

/** The non-retryable failure behind an activity's failure, or null when it is anything else. */
export function permanentFailure(error: unknown): ApplicationFailure | null {
  if (!(error instanceof ActivityFailure)) return null;
  const cause = error.cause;
  return cause instanceof ApplicationFailure && PERMANENT_KINDS.includes(cause.type ?? '') ? cause : null;
}
