import type { Awaiting } from './order';
import type { OrderAction } from './order.state';

/** Whose work a task list shows: the caller's, nobody's yet, or everyone's that someone holds. */
export const TASK_SCOPES = ['mine', 'unassigned', 'team'] as const;
export type TaskScope = (typeof TASK_SCOPES)[number];

/**
 * The action a person takes to move an order on from each wait; `stock` waits for goods to arrive, not
 * for a person, so it is no one's task.
 */
export const AWAITED_ACTION: Record<Awaiting, OrderAction | null> = {
  approval: 'approve',
  manager_approval: 'approve',
  stock: null,
  payment: 'retryPayment',
  shipment: 'ship',
  delivery: 'complete',
};

/** The waits that are a person's task. */
export const TASK_WAITS = (Object.keys(AWAITED_ACTION) as Awaiting[]).filter(
  (awaiting) => AWAITED_ACTION[awaiting] !== null,
);
