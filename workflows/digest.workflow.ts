import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type * as activities from '../activities';

type Activities = ReturnType<typeof activities.createActivities>;

const { planDigests } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

/**
 * The daily digest for staff who chose it, started by the Temporal Schedule `oms-notification-digest`
 * (OMS_DIGEST_CRON) on the deliveries' task queue. The period ends when this run started, which a retried
 * activity sees the same, so each reader gets one digest per period.
 */
export async function notificationDigestWorkflow(): Promise<{ readers: number; planned: number }> {
  return planDigests({ through: workflowInfo().runStartTime.toISOString() });
}
