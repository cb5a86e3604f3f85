import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { createHash } from 'node:crypto';
import { createBackup, pruneBackups, type BackupSources } from '../ops/backup';

export interface BackupActivityDeps {
  /** What scheduled backups read and where they go; null when this worker was given none (tests). */
  backup: BackupSources | null;
  /** Asks the Temporal server its version for the manifest. */
  client: Client;
}

/** Activities of the scheduled backup. */
export function createBackupActivities(deps: BackupActivityDeps) {
  const sources = (): BackupSources => {
    if (!deps.backup) throw ApplicationFailure.nonRetryable('this worker has no backup settings');
    return deps.backup;
  };
  return {
    /**
     * Writes one backup archive. Labelled by the scheduled workflow's id, so a retry (or a run resumed after
     * a restore) returns the archive already written instead of making another.
     */
    async createScheduledBackup(): Promise<{ id: string; bytes: number }> {
      const context = Context.current();
      const workflowId = context.info.workflowExecution?.workflowId ?? context.info.activityId;
      const heartbeat = setInterval(() => context.heartbeat(), 30_000);
      try {
        const system = await deps.client.workflowService.getSystemInfo({}).catch(() => null);
        const backup = await createBackup(sources(), {
          trigger: `schedule:${workflowId}`,
          temporalServer: system?.serverVersion ?? null,
          label: `s-${createHash('sha256').update(workflowId).digest('hex').slice(0, 12)}`,
        });
        context.log.info('backup written', { backupId: backup.id, bytes: backup.bytes });
        return { id: backup.id, bytes: backup.bytes };
      } finally {
        clearInterval(heartbeat);
      }
    },

    /** Deletes all but the newest `keep` archives; returns how many it deleted. */
    async pruneBackups(keep: number): Promise<number> {
      return (await pruneBackups(sources().dir, keep)).length;
    },
  };
}
