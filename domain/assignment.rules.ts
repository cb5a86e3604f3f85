/**
 * Assignment rules a manager sets for new orders: above an amount (in the order's currency), the order goes
 * to a named person or, round-robin, to the next member of a role. Pure: the repository loads the rules,
 * counts the turns and writes the assignment.
 */
import type { Actor } from './order';
import type { Role } from './people';

/** Who assigns an order by rule, in the audit trail and on the assignment: the rules, not a person. */
export const ASSIGNMENT_RULE_ACTOR: Actor = { id: 'assignment-rule', username: 'assignment-rule', roles: [] };

/** The roles whose members may hold orders (auditors only read). */
export const ASSIGNABLE_ROLES = ['staff', 'manager', 'admin'] as const satisfies readonly Role[];
export type AssignableRole = (typeof ASSIGNABLE_ROLES)[number];

/** At most this many rules: they are read at every order's creation. */
export const MAX_ASSIGNMENT_RULES = 20;

/** One rule: orders whose total is above `above` (minor units of `currency`) go to `userId`, or round-robin in `role`. */
export type AssignmentRule = { above: number; currency: string } & (
  { userId: string; role?: undefined } | { role: AssignableRole; userId?: undefined }
);

/** The rule a new order falls under: the first, in the manager's order, whose amount its total is above. */
export function ruleFor(
  rules: readonly AssignmentRule[],
  order: { total: number; currency: string },
): AssignmentRule | null {
  return rules.find((rule) => rule.currency === order.currency && order.total > rule.above) ?? null;
}

/**
 * Whose turn it is: the `turn`-th (1 = first) order a role's round-robin assigns goes to the members in
 * username order, one each, then around again. Null when the role has no member to give it to.
 */
export function memberForTurn<M extends { username: string }>(members: readonly M[], turn: number): M | null {
  if (members.length === 0) return null;
  const ordered = [...members].sort((a, b) => a.username.localeCompare(b.username));
  return ordered[(((turn - 1) % ordered.length) + ordered.length) % ordered.length]!;
}
