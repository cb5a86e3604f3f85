/**
 * What the API and the order workflow share about escalation inside Temporal: the signal that brings a changed
 * plan to waiting orders, the visibility query that finds them, and the rollout workflow's ID.
 */
import { defineSignal } from '@temporalio/workflow';
import { stageOf, type EscalationPlan, type EscalationStage } from '../domain/escalation';
import { AWAITING_VALUES } from '../domain/order';

/** Sent to every order waiting in the stage when its policy (or the calendar it counts by) changes. */
export const escalationPolicyChangedSignal = defineSignal<[EscalationPlan]>('escalationPolicyChanged');

/** The visibility query that finds every order waiting in a stage (staff and manager approval are one wait). */
export function waitingOrdersQuery(stage: EscalationStage): string {
  // Returns have no search attribute of their wait: every running return gets the plan, and one that
  // waits for nobody ignores it.
  if (stage === 'return') return `WorkflowType = 'returnWorkflow' AND ExecutionStatus = 'Running'`;
  const awaiting = AWAITING_VALUES.filter((value) => stageOf(value) === stage).map((value) => `'${value}'`);
  return `WorkflowType = 'orderWorkflow' AND ExecutionStatus = 'Running' AND OrderAwaiting IN (${awaiting.join(', ')})`;
}

/**
 * The workflow that brings a stage's policy in force to the orders waiting in it; one per stage at a time
 * (a newer change replaces a rollout still under way), so its ID is the stage's.
 */
export const escalationRolloutWorkflowId = (stage: EscalationStage) => `escalation-rollout:${stage}`;
