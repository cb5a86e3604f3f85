import { AWAITING_VALUES, type Awaiting } from './order';
import type { OrderAction } from './order.state';
import type { ReturnAction, ReturnStatus } from './return';
import { RETURN_WAITS, type ReturnWaitStage } from './waiting';

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

/** What a task is about: an order, or a return of an order's units. */
export const TASK_KINDS = ['order', 'return'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

/** The action a person takes to move a return on from each of its waits; each is a person's task. */
export const RETURN_AWAITED_ACTION: Record<ReturnWaitStage, ReturnAction> = {
  approval: 'approve',
  receipt: 'receive',
  refund: 'refund',
};

/** The return statuses that wait for a person. */
export const RETURN_TASK_STATUSES = Object.keys(RETURN_WAITS) as ReturnStatus[];

export type TaskAwaiting = Awaiting | ReturnWaitStage;

/** Every wait a task may name: the order's, then the return's that orders lack. */
export const TASK_AWAITING: readonly TaskAwaiting[] = [
  ...new Set<TaskAwaiting>([...AWAITING_VALUES, ...Object.values(RETURN_WAITS)]),
];
export type TaskAction = OrderAction | ReturnAction;
