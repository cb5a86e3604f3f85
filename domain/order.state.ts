/** The order's state machine as pure functions: which action the current state allows, and what it becomes. */
import { awaitingFor, mayApprove, requiredApproval } from './approval.rules';
import type { Actor, Awaiting, OrderInput, OrderSnapshot, OrderStatus } from './order';
import { FINAL_STATUSES } from './order';
import { stageOf } from './escalation';

export const ORDER_ACTIONS = [
  'approve',
  'reject',
  'edit',
  'retryPayment',
  'ship',
  'complete',
  'cancel',
] as const;
export type OrderAction = (typeof ORDER_ACTIONS)[number];

type State = Pick<OrderSnapshot, 'status' | 'awaiting'> & Partial<Pick<OrderSnapshot, 'lines' | 'shipments'>>;

const AWAITING_APPROVAL: (Awaiting | null)[] = ['approval', 'manager_approval'];

/** From `processing` on, an order has something to invoice (the contract's "processing or later"). */
export const INVOICEABLE: readonly OrderStatus[] = ['processing', 'shipped', 'completed'];

export function isInvoiceable(status: OrderStatus): boolean {
  return INVOICEABLE.includes(status);
}

/** When each action is allowed, and how to say what it needs. */
const ALLOWED: Record<OrderAction, { when: (order: State) => boolean; needs: string }> = {
  approve: { when: (o) => AWAITING_APPROVAL.includes(o.awaiting), needs: 'awaiting approval' },
  reject: { when: (o) => AWAITING_APPROVAL.includes(o.awaiting), needs: 'awaiting approval' },
  edit: { when: (o) => o.status === 'created' || o.status === 'processing', needs: 'created or processing' },
  retryPayment: {
    when: (o) => o.status === 'processing' && o.awaiting === 'payment',
    needs: 'awaiting payment',
  },
  ship: { when: (o) => o.status === 'processing' && o.awaiting === 'shipment', needs: 'awaiting shipment' },
  complete: { when: (o) => o.status === 'shipped', needs: 'shipped' },
  cancel: { when: (o) => o.status === 'created' || o.status === 'processing', needs: 'not yet shipped' },
};

export function isFinal(status: OrderStatus): boolean {
  return FINAL_STATUSES.includes(status);
}

export function isAwaitingApproval(order: State): boolean {
  return AWAITING_APPROVAL.includes(order.awaiting);
}

/** Null when the action is allowed now, otherwise a sentence naming the current status. */
export function refusalOf(order: State, action: OrderAction): string | null {
  const rule = ALLOWED[action];
  // Once part of the order has left, an edit and a cancellation touch only what has not shipped (issue 24;
  // `editRefusal` in shipment.rules.ts checks the edited lines).
  if (rule.when(order)) return null;
  const waiting = order.awaiting ? `, awaiting ${order.awaiting}` : '';
  return `cannot ${action} the order: it is ${order.status}${waiting}; ${action} needs an order ${rule.needs}`;
}

/**
 * The actions this actor may take on the order now, by the same state table and approval rule the
 * workflow's validators enforce; the console shows exactly these.
 */
export function actionsFor(order: State, actor: Actor): OrderAction[] {
  if (!mayApprove(actor, 'staff')) return [];
  const approvalLevel = order.awaiting === 'manager_approval' ? 'manager' : 'staff';
  return ORDER_ACTIONS.filter(
    (action) =>
      refusalOf(order, action) === null &&
      ((action !== 'approve' && action !== 'reject') || mayApprove(actor, approvalLevel)),
  );
}

/** The snapshot of a new order: created, awaiting the approval its total needs (the system's, if small). */
export function initialSnapshot(input: OrderInput, now: string): OrderSnapshot {
  const { createdBy: _createdBy, ...order } = input;
  const level = requiredApproval(input.total, input.currency, input.approvalRule);
  return {
    ...order,
    status: 'created',
    awaiting: awaitingFor(level === 'auto' ? 'staff' : level),
    awaitingSince: now,
    approvals: [],
    approvedTotal: null,
    reserved: false,
    stockShortages: [],
    payment: null,
    shipment: null,
    cancellation: null,
    rejection: null,
    completedAt: null,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
}

/** A copy of the snapshot with changes applied, stamped and versioned; the wait clock restarts on a new wait. */
export function withChanges(
  order: OrderSnapshot,
  now: string,
  changes: Partial<Omit<OrderSnapshot, 'version' | 'updatedAt'>>,
): OrderSnapshot {
  const next = { ...order, ...changes, version: order.version + 1, updatedAt: now };
  if (next.awaiting !== order.awaiting || next.status !== order.status) {
    next.awaitingSince = next.awaiting ? now : null;
  }
  if (next.escalation && stageOf(next.awaiting) !== next.escalation.stage) next.escalation = null;
  return next;
}
