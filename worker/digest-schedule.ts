import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
} from '@temporalio/client';
import type { AppConfig } from '../config/config';
import {
  DIGEST_SCHEDULE_ID,
  DIGEST_WORKFLOW,
  deliveryTaskQueue,
} from '../workflows/notification.definitions';

/**
 * Makes the Temporal Schedule of the daily digest match the settings (OMS_DIGEST_CRON in
 * OMS_DIGEST_TIME_ZONE, on the deliveries' task queue), or removes it when the digest is off. Every worker
 * does this at start; they agree. A schedule, not a timer in the process: it fires once per day whichever
 * workers are up, and a run missed while none was comes late within the catch-up window (the next digest
 * covers the missed day anyway).
 */
export async function ensureDigestSchedule(
  client: Client,
  digest: AppConfig['notifications']['digest'],
  taskQueue: string,
): Promise<void> {
  const handle = client.schedule.getHandle(DIGEST_SCHEDULE_ID);
  if (!digest.cron) {
    await handle.delete().catch((error: unknown) => {
      if (!(error instanceof ScheduleNotFoundError)) throw error;
    });
    return;
  }
  const spec = { cronExpressions: [digest.cron], timezone: digest.timeZone };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: DIGEST_WORKFLOW,
    workflowId: 'notification-digest',
    taskQueue: deliveryTaskQueue(taskQueue),
    args: [],
  };
  try {
    await client.schedule.create({
      scheduleId: DIGEST_SCHEDULE_ID,
      spec,
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '6 hours' },
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await handle.update((previous) => ({ ...previous, spec, action }));
  }
}
