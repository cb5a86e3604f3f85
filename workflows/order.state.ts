/** The order's state machine as pure functions: which action the current state allows, and what it becomes. */
import type { Awaiting, OrderInput, OrderSnapshot, OrderStatus } from './order.definitions';
import { FINAL_STATUSES } from './order.definitions';

export type OrderAction = 'approve' | 'ship' | 'complete';

/** Where each action may start from: the status and, when it matters, what the order waits for. */
const ALLOWED_FROM: Record<OrderAction, { status: OrderStatus; awaiting?: Awaiting }> = {
  approve: { status: 'created', awaiting: 'approval' },
  ship: { status: 'processing', awaiting: 'shipment' },
  complete: { status: 'shipped' },
};

export function isFinal(status: OrderStatus): boolean {
  return FINAL_STATUSES.includes(status);
}

/** Null when the action is allowed now, otherwise a sentence naming the current status. */
export function refusalOf(
  order: Pick<OrderSnapshot, 'status' | 'awaiting'>,
  action: OrderAction,
): string | null {
  const from = ALLOWED_FROM[action];
  if (order.status === from.status && (from.awaiting === undefined || order.awaiting === from.awaiting)) {
    return null;
  }
  const waiting = order.awaiting ? ` (awaiting ${order.awaiting})` : '';
  return `cannot ${action} an order that is ${order.status}${waiting}`;
}

/** The snapshot of a new order, before anything has happened to it. */
export function initialSnapshot(input: OrderInput, now: string): OrderSnapshot {
  const { createdBy: _createdBy, ...order } = input;
  return {
    ...order,
    status: 'created',
    awaiting: 'approval',
    approvals: [],
    shipment: null,
    completedAt: null,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
}

/** A copy of the snapshot moved to a new status, stamped and versioned. */
export function moved(
  order: OrderSnapshot,
  status: OrderStatus,
  awaiting: Awaiting | null,
  now: string,
  changes: Partial<OrderSnapshot> = {},
): OrderSnapshot {
  return { ...order, ...changes, status, awaiting, version: order.version + 1, updatedAt: now };
}
