import { proxyActivities } from '@temporalio/workflow';
import type * as activities from '../activities';

type Activities = ReturnType<typeof activities.createActivities>;

/** The Temporal Schedule's id, and the workflow type it starts (shared with the worker that sets it up). */
export const BACKUP_SCHEDULE_ID = 'oms-backup';
export const BACKUP_WORKFLOW = 'scheduledBackupWorkflow';

const { createScheduledBackup, pruneBackups } = proxyActivities<Activities>({
  // A dump of a large database takes a while; a dead worker's attempt is retried by another.
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '1 minute', maximumAttempts: 3 },
});

/**
 * One scheduled backup: writes an archive (once, even when retried), then keeps only the newest `keep`.
 * Started by the Temporal Schedule `oms-backup` when OMS_BACKUP_CRON is set.
 */
export async function scheduledBackupWorkflow(keep: number): Promise<{ id: string; pruned: number }> {
  const { id } = await createScheduledBackup();
  const pruned = await pruneBackups(keep);
  return { id, pruned };
}
