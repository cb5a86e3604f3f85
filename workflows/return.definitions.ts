/**
 * What the API and the return workflow share about the workflow itself (issue 25): its ID, the inputs of
 * staff actions and the update and query definitions. The return's vocabulary is in `domain/return.ts`.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ActorInput } from '../domain/order';
import type { ReturnSnapshot, UnitCondition } from '../domain/return';

/** The workflow's name, as the worker registers it. */
export const RETURN_WORKFLOW = 'returnWorkflow';

/** Workflow IDs are business IDs: a retried start can never create a second workflow for one return. */
export function returnWorkflowId(returnId: string): string {
  return `return:${returnId}`;
}

/** The workflow that adds the return, once ended, to its order's archived record. */
export const RETURN_ARCHIVE_WORKFLOW = 'returnArchiveWorkflow';
export const returnArchiveWorkflowId = (returnId: string) => `return-archive:${returnId}`;
/** Where and how it starts: on the installation's task queue (OMS_TASK_QUEUE), as the order's archiving. */
export function returnArchiveStart(taskQueue: string, returnId: string, orderId: string) {
  return { taskQueue, workflowId: returnArchiveWorkflowId(returnId), args: [returnId, orderId] };
}

/**
 * How the API started the return. `autoApproveUpTo`: the approval rule's threshold (minor units, the rule's
 * version) when the return's value is within it in the rule's currency; the workflow then approves it as the
 * system. Returns started before this was built have no options, and wait for a person as they did.
 */
export interface ReturnStartOptions {
  autoApproval?: { ruleVersion: number; upTo: number };
}

export interface ReturnReasonInput extends ActorInput {
  reason: string;
}

export interface ReceiveInput extends ActorInput {
  lines: { sku: string; quantity: number; condition: UnitCondition }[];
  /** The stock location the units came back to; `MAIN` when absent. */
  location?: string;
}

export interface RefundReturnInput extends ActorInput {
  /** Minor units; the value of the received units when absent. */
  amount?: number;
}

export const approveReturnUpdate = defineUpdate<ReturnSnapshot, [ActorInput]>('approve');
export const rejectReturnUpdate = defineUpdate<ReturnSnapshot, [ReturnReasonInput]>('reject');
export const receiveReturnUpdate = defineUpdate<ReturnSnapshot, [ReceiveInput]>('receive');
export const refundReturnUpdate = defineUpdate<ReturnSnapshot, [RefundReturnInput]>('refund');
export const closeReturnUpdate = defineUpdate<ReturnSnapshot, [ActorInput]>('close');
export const returnQuery = defineQuery<ReturnSnapshot>('return');
