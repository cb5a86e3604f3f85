/**
 * Approval of the order: by the system when its total is at or below the threshold it started under, else by
 * staff or, above their limit, a manager. An edit that raises the total above what was approved, or above what
 * its editor may approve, sends the order back.
 */
import { awaitingFor, editNeedsApproval, requiredApproval } from '../../domain/approval.rules';
import { SYSTEM_ACTOR, type Actor, type OrderSnapshot } from '../../domain/order';
import { isAwaitingApproval } from '../../domain/order.state';
import { now, type OrderChanges } from './record';

/** The level of approval the order's current total needs. */
export function approvalLevel(order: OrderSnapshot) {
  return requiredApproval(order.total, order.currency, order.approvalRule);
}

/** The changes that approve the order (by a person, or by the system when `automatic`). */
export function approval(
  order: OrderSnapshot,
  by: Actor,
  comment: string | null,
  automatic: boolean,
  amount = order.total,
) {
  return {
    approvals: [
      ...order.approvals,
      { by, comment, at: now(), amount, automatic, ruleVersion: order.approvalRule.version },
    ],
    approvedTotal: Math.max(amount, order.approvedTotal ?? 0),
    status: 'processing' as const,
    awaiting: order.reserved ? ('payment' as const) : ('stock' as const),
  };
}

/** The approval changes an edit from the order's total to `after` brings: none, the system's, or a new wait. */
export function approvalAfterEdit(order: OrderSnapshot, editor: Actor, after: number): OrderChanges {
  const needsApproval =
    isAwaitingApproval(order) ||
    order.approvedTotal === null ||
    editNeedsApproval(order.total, after, order.approvedTotal, editor, order.approvalRule);
  if (!needsApproval) return {};
  const level = requiredApproval(after, order.currency, order.approvalRule);
  return level === 'auto'
    ? approval(order, SYSTEM_ACTOR, null, true, after)
    : { awaiting: awaitingFor(level) };
}
