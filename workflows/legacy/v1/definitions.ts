/**
 * The names the frozen v1 order workflow registers and publishes, as they were when it was frozen: its
 * updates, signals and query, and its visibility keys. Names are the protocol between the API and old orders,
 * so they are copied here rather than imported from today's definitions.
 */
import { defineSearchAttributeKey } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { EscalationPlan } from '../../../domain/escalation';
import type {
  ActorInput,
  ApproveInput,
  EditInput,
  OrderSnapshot,
  ReasonInput,
  ShipInput,
} from '../../../domain/order';

export const orderWorkflowId = (orderId: string): string => `order:${orderId}`;

export const ORDER_STATUS_KEY = defineSearchAttributeKey('OrderStatus', 'KEYWORD');
export const ORDER_AWAITING_KEY = defineSearchAttributeKey('OrderAwaiting', 'KEYWORD');

export const recordedUpdate = defineUpdate<OrderSnapshot>('recorded');
export const approveUpdate = defineUpdate<OrderSnapshot, [ApproveInput]>('approve');
export const rejectUpdate = defineUpdate<OrderSnapshot, [ReasonInput]>('reject');
export const editUpdate = defineUpdate<OrderSnapshot, [EditInput]>('edit');
export const retryPaymentUpdate = defineUpdate<OrderSnapshot, [ActorInput]>('retryPayment');
export const shipUpdate = defineUpdate<OrderSnapshot, [ShipInput]>('ship');
export const completeUpdate = defineUpdate<OrderSnapshot, [ActorInput]>('complete');
export const cancelUpdate = defineUpdate<OrderSnapshot, [ReasonInput]>('cancel');
export const stockChangedSignal = defineSignal('stockChanged');
export const orderQuery = defineQuery<OrderSnapshot>('order');
export const escalationPolicyChangedSignal = defineSignal<[EscalationPlan]>('escalationPolicyChanged');
