/**
 * How the order workflow reaches the outside world, and what happens when a step fails for good.
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
import type * as activities from '../activities';
import { PERMANENT_FAILURES, type OrderSnapshot, type PermanentFailureKind } from '../domain/order';
import { withChanges } from '../domain/order.state';

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

/** The order a step works on: read before and after it, replaced when its problem is shown or cleared. */
export interface StepSubject {
  order: OrderSnapshot;
}

/**
 * Runs one activity for the order. A failure that retrying cannot fix (a closed set of kinds, raised
 * non-retryable by the worker) neither fails nor freezes the order: it becomes the order's `problem`, shown
 * on the order, in its history and in the managers' inbox, and the step answers null. The problem clears when
 * the same step passes later. Outages are retried by Temporal and never get here.
 */
export async function step<T>(subject: StepSubject, name: string, run: () => Promise<T>): Promise<T | null> {
  try {
    const result = await run();
    if (subject.order.problem?.step === name) subject.order = { ...subject.order, problem: null };
    return result;
  } catch (error) {
    const failure = permanentFailure(error);
    if (!failure) throw error;
    await reportProblem(subject, name, failure);
    return null;
  }
}

/** Shows a failed step on the order and tells the managers; a failure while doing so is only logged. */
async function reportProblem(subject: StepSubject, name: string, failure: ApplicationFailure): Promise<void> {
  const at = new Date().toISOString();
  const problem = { step: name, kind: failure.type as PermanentFailureKind, message: failure.message, at };
  const order = withChanges(subject.order, at, { problem });
  subject.order = order;
  const tolerate = (error: unknown) => {
    if (!permanentFailure(error)) throw error;
  };
  await local.recordOrder({ order, planFor: null }).catch(tolerate);
  if (name === 'notifyOrder') return;
  await local
    .notifyOrder({
      kind: 'order.problem',
      order,
      occurrence: `problem:${name}:${order.version}`,
      notify: ['manager', 'admin'],
    })
    .catch(tolerate);
}
