import { defineUpdate } from '@temporalio/workflow';

/**
 * The baseline of the benchmark: a bare Temporal workflow of the order's shape that does only the business
 * side effects (reserve, charge, fulfil, archive, one notification per status change) as no-op activities,
 * and waits for the same three staff actions as updates. What the product adds on top is what is measured.
 */
export const BARE_TASK_QUEUE = 'bench-bare';

export type BareStatus = 'created' | 'processing' | 'shipped' | 'completed';

/** Answered once the order's creation is recorded (its first notification), like the product's creation. */
export const bareCreatedUpdate = defineUpdate<BareStatus>('created');
export const bareApproveUpdate = defineUpdate<BareStatus>('approve');
export const bareShipUpdate = defineUpdate<BareStatus>('ship');
export const bareCompleteUpdate = defineUpdate<BareStatus>('complete');
