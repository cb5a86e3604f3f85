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
  patched,
  proxyActivities,
  proxyLocalActivities,
  type ActivityOptions,
  type LocalActivityOptions,
} from '@temporalio/workflow';
import type * as activities from '../../activities';
import { isPermanentFailureKind } from '../../domain/order';

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

/**
 * Marks orders in which a local activity's permanent failure is a problem of the order, like a remote one's.
 * Before, it escaped the order's step handling: it failed the staff action that ran into it (a 500), or the
 * whole order when the order's own loop did.
 */
export const LOCAL_PROBLEMS_PATCH = 'local-activity-problems';

const isPermanent = (error: unknown): error is ApplicationFailure =>
  error instanceof ApplicationFailure && isPermanentFailureKind(error.type);

/**
 * The non-retryable failure behind an activity's failure, or null when it is anything else. A remote
 * activity's failure arrives as an ActivityFailure around it; a local activity's arrives bare.
 */
export function permanentFailure(error: unknown): ApplicationFailure | null {
  if (error instanceof ActivityFailure) return isPermanent(error.cause) ? error.cause : null;
  return isPermanent(error) && patched(LOCAL_PROBLEMS_PATCH) ? error : null;
}
