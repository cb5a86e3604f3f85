/**
 * What the API and the order workflow share about the workflow itself: the task queue, the workflow IDs,
 * the visibility keys, and the update, signal and query definitions. The order's vocabulary they carry is in
 * `domain/order.ts`.
 */
import { defineSearchAttributeKey } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  ActorInput,
  ApproveInput,
  EditInput,
  OrderSnapshot,
  ReasonInput,
  ShipInput,
  ShipPartInput,
} from '../domain/order';

/** The default task queue of orders, deliveries and archiving; OMS_TASK_QUEUE chooses another. */
export const TASK_QUEUE = 'orders';

/** Workflow IDs are business IDs, so a retried start can never create a second workflow for one order. */
export function orderWorkflowId(orderId: string): string {
  return `order:${orderId}`;
}

/** Visibility keys; registered by the dev server at start and by the worker on other servers. */
export const ORDER_STATUS_KEY = defineSearchAttributeKey('OrderStatus', 'KEYWORD');
export const ORDER_AWAITING_KEY = defineSearchAttributeKey('OrderAwaiting', 'KEYWORD');

/** Answers once the order's row is in PostgreSQL; used with update-with-start when creating an order. */
export const recordedUpdate = defineUpdate<OrderSnapshot>('recorded');
export const approveUpdate = defineUpdate<OrderSnapshot, [ApproveInput]>('approve');
export const rejectUpdate = defineUpdate<OrderSnapshot, [ReasonInput]>('reject');
export const editUpdate = defineUpdate<OrderSnapshot, [EditInput]>('edit');
export const retryPaymentUpdate = defineUpdate<OrderSnapshot, [ActorInput]>('retryPayment');
export const shipUpdate = defineUpdate<OrderSnapshot, [ShipInput]>('ship');
/** Ships some units of some lines (a partial shipment); `ship` ships all that is left. */
export const shipPartUpdate = defineUpdate<OrderSnapshot, [ShipPartInput]>('shipPart');
export const completeUpdate = defineUpdate<OrderSnapshot, [ActorInput]>('complete');
export const cancelUpdate = defineUpdate<OrderSnapshot, [ReasonInput]>('cancel');
/** Sent when stock the order may be waiting for became available. */
export const stockChangedSignal = defineSignal('stockChanged');
export const orderQuery = defineQuery<OrderSnapshot>('order');
