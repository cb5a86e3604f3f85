import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
} from '@temporalio/client';
import type { AppConfig } from '../config/config';
import { BACKUP_SCHEDULE_ID, BACKUP_WORKFLOW } from '../workflows/backup.workflow';

/**
 * Makes the Temporal Schedule of backups match the settings: created or updated when OMS_BACKUP_CRON is
 * set, deleted when it is not (off by default). Every worker does this at start; they agree, so the last
 * one to start wins nothing different.
 */
export async function ensureBackupSchedule(
  client: Client,
  backup: AppConfig['backup'],
  taskQueue: string,
): Promise<void> {
  const handle = client.schedule.getHandle(BACKUP_SCHEDULE_ID);
  if (!backup.cron) {
    await handle.delete().catch((error: unknown) => {
      if (!(error instanceof ScheduleNotFoundError)) throw error;
    });
    return;
  }
  const spec = { cronExpressions: [backup.cron] };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: BACKUP_WORKFLOW,
    workflowId: 'backup-scheduled',
    taskQueue,
    args: [backup.keep],
  };
  try {
    await client.schedule.create({
      scheduleId: BACKUP_SCHEDULE_ID,
      spec,
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await handle.update((previous) => ({ ...previous, spec, action }));
  }
}
