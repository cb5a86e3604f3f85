/**
 * When an order's escalation reminders fall due: pure and deterministic, used inside the workflow. Each level
 * fires at `after` and then every `repeatEvery`, counted from the start of the wait in wall-clock time or, with
 * a calendar, in working time only.
 */
import { addWorkingTime } from './business-hours';
import type { EscalationPlan, PlanLevel } from './escalation';

/**
 * Reminders of one level in one wait, at most. Every reminder adds to the order's workflow history, so a short
 * repeat on an order that waits for weeks stops here instead of growing the history without end.
 */
export const MAX_REMINDERS_PER_LEVEL = 100;

/**
 * How many reminders of each level have fired in the current wait, by level identity (its time and
 * recipients), so a changed policy that inserts or removes levels does not make a fired one fire again.
 */
export type Fired = Record<string, number>;

export const levelKey = (level: PlanLevel): string => `${level.afterMs}:${level.notify.join(',')}`;

/** When the n-th reminder (0 = first) of a level falls due. */
export function dueAt(plan: EscalationPlan, level: PlanLevel, since: number, n: number): number {
  const offset = level.afterMs + n * (level.repeatMs ?? 0);
  return plan.calendar ? addWorkingTime(new Date(since), offset, plan.calendar).getTime() : since + offset;
}

/** How many reminders of a level are due by `now`, counting on from the `fired` already sent. */
function dueCount(plan: EscalationPlan, level: PlanLevel, since: number, now: number, fired: number): number {
  const limit = level.repeatMs ? MAX_REMINDERS_PER_LEVEL : 1;
  if (fired >= limit || dueAt(plan, level, since, fired) > now) return fired;
  if (!level.repeatMs) return 1;
  if (!plan.calendar) return Math.min(limit, Math.floor((now - since - level.afterMs) / level.repeatMs) + 1);
  // Working time is not linear in wall time: step through the repeats, from the last one sent.
  let n = fired + 1;
  while (n < limit && dueAt(plan, level, since, n) <= now) n++;
  return n;
}

export interface DueReminder {
  /** Index of the level in the plan. */
  level: number;
  /** How many reminders of the level are due now; only the latest is sent, the skipped ones are counted. */
  count: number;
}

/**
 * The levels with a reminder due now that has not fired yet. A level whose time passed while the plan did not
 * have it (a changed policy) fires once, at once, not once per missed repetition.
 */
export function dueReminders(plan: EscalationPlan, since: number, fired: Fired, now: number): DueReminder[] {
  return plan.levels.flatMap((level, index) => {
    const sent = fired[levelKey(level)] ?? 0;
    const count = dueCount(plan, level, since, now, sent);
    return count > sent ? [{ level: index, count }] : [];
  });
}

/** The next instant a reminder falls due after the ones already fired, or null when none will. */
export function nextDue(plan: EscalationPlan, since: number, fired: Fired): number | null {
  let next: number | null = null;
  for (const level of plan.levels) {
    const n = fired[levelKey(level)] ?? 0;
    if (n >= (level.repeatMs ? MAX_REMINDERS_PER_LEVEL : 1)) continue;
    const at = dueAt(plan, level, since, n);
    if (next === null || at < next) next = at;
  }
  return next;
}

/** The level that fires first in a wait (the earliest `after`), or null for a plan without levels. */
export function firstLevel(plan: EscalationPlan): PlanLevel | null {
  return plan.levels.reduce<PlanLevel | null>(
    (first, level) => (first === null || level.afterMs < first.afterMs ? level : first),
    null,
  );
}

/**
 * The plan with every level `leadMs` later (in working time when the plan counts it): the policy's levels
 * behind the reminder the order's assignee got first. Level identities move with them, consistently for the
 * rest of the wait, since the lead never changes once decided.
 */
export function shiftedBy(plan: EscalationPlan, leadMs: number): EscalationPlan {
  return { ...plan, levels: plan.levels.map((level) => ({ ...level, afterMs: level.afterMs + leadMs })) };
}
