import { proxyActivities } from '@temporalio/workflow';
import type * as activities from '../activities';
import type { EscalationStage } from '../domain/escalation';

type Activities = ReturnType<typeof activities.createActivities>;

const { sendEscalationPlan } = proxyActivities<Activities>({
  // Thousands of waiting orders take a while; the heartbeat tells a stalled rollout from a long one.
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/**
 * Brings a changed escalation policy (or calendar) to the orders already waiting in its stage, apart from
 * the manager's request: the request answers once the change is saved and this has started, and the
 * orders get the plan even if the API stops meanwhile. Answers how many orders it reached.
 */
export async function escalationRolloutWorkflow({ stage }: { stage: EscalationStage }): Promise<number> {
  return sendEscalationPlan({ stage });
}
