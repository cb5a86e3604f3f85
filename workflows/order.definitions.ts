/**
 * What the API and the order workflow share: the task queue, the workflow ID, the update and query
 * definitions, the status vocabulary and the input types. Pure definitions only: both the Nest process
 * and the workflow sandbox import this file.
 */
import { defineSearchAttributeKey } from '@temporalio/common';
import { defineQuery, defineUpdate } from '@temporalio/workflow';

export const TASK_QUEUE = 'orders';

/** Workflow IDs are business IDs, so a retried start can never create a second workflow for one order. */
export function orderWorkflowId(orderId: string): string {
  return `order:${orderId}`;
}

export const ORDER_STATUSES = [
  'created',
  'processing',
  'shipped',
  'completed',
  'cancelled',
  'rejected',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const FINAL_STATUSES: readonly OrderStatus[] = ['completed', 'cancelled', 'rejected'];

export const AWAITING_VALUES = [
  'approval',
  'manager_approval',
  'stock',
  'payment',
  'shipment',
  'delivery',
] as const;
export type Awaiting = (typeof AWAITING_VALUES)[number];

/** Visibility keys; registered by the dev server at start and by the worker on other servers. */
export const ORDER_STATUS_KEY = defineSearchAttributeKey('OrderStatus', 'KEYWORD');
export const ORDER_AWAITING_KEY = defineSearchAttributeKey('OrderAwaiting', 'KEYWORD');

/** Failure type a validator raises when the order's state does not allow an action. */
export const INVALID_TRANSITION = 'InvalidTransition';

export interface InvalidTransitionDetails {
  status: OrderStatus;
  awaiting: Awaiting | null;
}

/** Who performed an action; recorded in the workflow history with each update. */
export interface Actor {
  id: string;
  username: string;
  roles: string[];
}

export interface OrderLine {
  productId: string;
  sku: string;
  name: string;
  quantity: number;
  unitPrice: number;
  lineTotal: number;
}

/** Everything the workflow needs to start: an order already priced and numbered by the API. */
export interface OrderInput {
  orderId: string;
  number: string;
  customerId: string;
  currency: string;
  lines: OrderLine[];
  total: number;
  notes: string | null;
  createdBy: Actor;
}

export interface Approval {
  by: Actor;
  comment: string | null;
  at: string;
}

export interface Shipment {
  carrier: string;
  trackingNumber: string;
  shippedAt: string;
}

/** The order as the workflow holds it; mirrored to PostgreSQL after every change. */
export interface OrderSnapshot extends Omit<OrderInput, 'createdBy'> {
  status: OrderStatus;
  awaiting: Awaiting | null;
  approvals: Approval[];
  shipment: Shipment | null;
  completedAt: string | null;
  /** Grows with every change, so a late mirror write can never overwrite a newer one. */
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface ApproveInput {
  actor: Actor;
  comment?: string | null;
}

export interface ShipInput {
  actor: Actor;
  carrier: string;
  trackingNumber: string;
}

export interface CompleteInput {
  actor: Actor;
}

/** Answers once the order's row is in PostgreSQL; used with update-with-start when creating an order. */
export const recordedUpdate = defineUpdate<OrderSnapshot>('recorded');
export const approveUpdate = defineUpdate<OrderSnapshot, [ApproveInput]>('approve');
export const shipUpdate = defineUpdate<OrderSnapshot, [ShipInput]>('ship');
export const completeUpdate = defineUpdate<OrderSnapshot, [CompleteInput]>('complete');
export const orderQuery = defineQuery<OrderSnapshot>('order');
