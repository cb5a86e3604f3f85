/**
 * When an order's escalation reminders fall due: pure and deterministic, used inside the workflow. Each level
 * fires at `after` and then every `repeatEvery`, counted from the start of the wait in wall-clock time or, with
 * a calendar, in working time only.
 */
import { addWorkingTime } from './business-hours';
import type { EscalationPlan, PlanLevel } from './escalation.definitions';

/** When the n-th reminder (0 = first) of a level falls due. */
export function dueAt(plan: EscalationPlan, level: PlanLevel, since: number, n: number): number {
  const offset = level.afterMs + n * (level.repeatMs ?? 0);
  return plan.calendar ? addWorkingTime(new Date(since), offset, plan.calendar).getTime() : since + offset;
}

/** How many reminders of a level are due by `now`. */
export function dueCount(plan: EscalationPlan, level: PlanLevel, since: number, now: number): number {
  if (dueAt(plan, level, since, 0) > now) return 0;
  if (!level.repeatMs) return 1;
  if (!plan.calendar) return Math.floor((now - since - level.afterMs) / level.repeatMs) + 1;
  // Working time is not linear in wall time: step through the repeats (at least a minute apart).
  let n = 1;
  while (n < 100_000 && dueAt(plan, level, since, n) <= now) n++;
  return n;
}

export interface DueReminder {
  /** Index of the level in the plan. */
  level: number;
  /** How many reminders of the level are due now; only the latest is sent, the skipped ones are counted. */
  count: number;
}

/**
 * The levels with a reminder due now that has not fired yet (`fired[i]` reminders of level i have). A level
 * whose time passed while the plan did not have it (a changed policy) fires once, at once, not once per
 * missed repetition.
 */
export function dueReminders(
  plan: EscalationPlan,
  since: number,
  fired: number[],
  now: number,
): DueReminder[] {
  return plan.levels.flatMap((level, index) => {
    const count = dueCount(plan, level, since, now);
    return count > (fired[index] ?? 0) ? [{ level: index, count }] : [];
  });
}

/** The next instant a reminder falls due after the ones already fired, or null when none will. */
export function nextDue(plan: EscalationPlan, since: number, fired: number[]): number | null {
  let next: number | null = null;
  plan.levels.forEach((level, index) => {
    const n = fired[index] ?? 0;
    if (n > 0 && !level.repeatMs) return;
    const at = dueAt(plan, level, since, n);
    if (next === null || at < next) next = at;
  });
  return next;
}
