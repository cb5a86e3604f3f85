/** Who must approve an order of a given total: pure functions over the approval rule. */
import type { Actor, ApprovalRule, Awaiting } from './order';
import { MANAGERS, OPERATORS, hasRole } from './people';

export type ApprovalLevel = 'auto' | 'staff' | 'manager';

/**
 * The approval an order of this total needs. Totals in another currency than the rule's cannot be
 * compared with its thresholds, so they always go to a manager.
 */
export function requiredApproval(total: number, currency: string, rule: ApprovalRule): ApprovalLevel {
  if (currency !== rule.currency) return 'manager';
  if (total <= rule.autoApproveBelow) return 'auto';
  if (total <= rule.staffApprovalLimit) return 'staff';
  return 'manager';
}

/** What an order waits for when it needs this level of approval. */
export function awaitingFor(level: Exclude<ApprovalLevel, 'auto'>): Awaiting {
  return level === 'manager' ? 'manager_approval' : 'approval';
}

/** Whether the actor's roles allow approving (or rejecting) at this level. */
export function mayApprove(actor: Actor, level: ApprovalLevel): boolean {
  return hasRole(actor.roles, level === 'manager' ? MANAGERS : OPERATORS);
}

/** The highest total this actor may approve under the rule (Infinity for managers). */
export function approvalLimitOf(actor: Actor, rule: ApprovalRule): number {
  if (mayApprove(actor, 'manager')) return Number.POSITIVE_INFINITY;
  if (mayApprove(actor, 'staff')) return rule.staffApprovalLimit;
  return rule.autoApproveBelow;
}

/**
 * Whether an edit from `before` to `after` sends an approved order back for approval: it does when it
 * raises the total above what was approved, or above what the editor may approve.
 */
export function editNeedsApproval(
  before: number,
  after: number,
  approvedTotal: number,
  editor: Actor,
  rule: ApprovalRule,
): boolean {
  return after > before && (after > approvedTotal || after > approvalLimitOf(editor, rule));
}
