/**
 * What the worker tells about itself: the request id in activity log lines, escalations fired as a metric,
 * and when it last ran an activity (for its health endpoint).
 */
import type { Context as ActivityContext } from '@temporalio/activity';
import { defaultPayloadConverter } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import type { NotifyInput, NotifyResult } from '../activities/notification.activities';
import { REQUEST_ID_HEADER_KEY } from '../workflows/request-id';

/** Workflow interceptor modules the worker registers (and that prebuilt bundles must include). */
export const WORKFLOW_INTERCEPTOR_MODULES = [require.resolve('../workflows/request-id.interceptors')];

/**
 * With tracing, the tracing workflow interceptors as well (a bundle of their own: without tracing the worker
 * runs none of their code). They add no command and delay no promise, so either bundle replays the other's
 * histories (test/replay.spec.ts replays the recorded ones against both); workflow-tracing.interceptors.ts
 * says why they are not the package's own.
 */
export const TRACED_WORKFLOW_INTERCEPTOR_MODULES = [
  ...WORKFLOW_INTERCEPTOR_MODULES,
  require.resolve('./workflow-tracing.interceptors'),
];

/** Updated by the activity interceptors; read by the worker's health endpoint. */
export interface WorkerActivity {
  /** When this process last started an activity task (ISO 8601), null before the first. */
  lastActivityTaskAt: string | null;
}

/** The reminder a notifyOrder call fired; none for a holder's reminder when nobody holds the order. */
function escalationOf(args: unknown[], result: unknown): NotifyInput['escalation'] {
  const [input] = args as [NotifyInput | undefined];
  const reached = (result as NotifyResult | undefined)?.notice.notify;
  if (input?.toHolder && !reached?.length) return undefined;
  return input?.escalation;
}

/** Activity interceptors: request id into log lines, the last task's time, escalations fired. */
export function activityInterceptors(activity: WorkerActivity): ActivityInterceptorsFactory {
  return (ctx: ActivityContext) => {
    let requestId: string | undefined;
    return {
      inbound: {
        async execute(input, next) {
          activity.lastActivityTaskAt = new Date().toISOString();
          const header = input.headers[REQUEST_ID_HEADER_KEY];
          if (header) requestId = defaultPayloadConverter.fromPayload<string>(header);
          const result = await next(input);
          const escalation =
            ctx.info.activityType === 'notifyOrder' ? escalationOf(input.args, result) : undefined;
          // Counted once the reminder's messages are planned; a planned reminder is never planned again.
          if (escalation) {
            ctx.metricMeter
              .createCounter('oms_escalations_fired', 'reminders', 'Escalation reminders fired')
              .add(1, { stage: escalation.stage, level: String(escalation.level) });
          }
          return result;
        },
      },
      outbound: {
        getLogAttributes: (input, next) => next(requestId ? { ...input, requestId } : input),
      },
    };
  };
}
