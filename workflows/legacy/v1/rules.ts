/**
 * The rules of the frozen v1 order workflow, copied as they were when it was frozen: approval, the state
 * table, escalation timing and working hours. Frozen like the workflow itself, so that no change to today's
 * rules (`domain/`) can change how an old order replays. Types may come from `domain/` (they vanish at
 * run time); nothing that runs may.
 */
import type { EscalationPlan, EscalationStage, PlanLevel } from '../../../domain/escalation';
import type { WorkCalendar } from '../../../domain/business-hours';
import type {
  Actor,
  ApprovalRule,
  Awaiting,
  OrderInput,
  OrderSnapshot,
  OrderStatus,
} from '../../../domain/order';

// ---- the order's vocabulary ----

export const FINAL_STATUSES: readonly OrderStatus[] = ['completed', 'cancelled', 'rejected'];

/** Failure types raised by update validators and handlers; the API maps each to one HTTP status. */
export const FAILURE = {
  /** The order's state does not allow the action (409). */
  invalidTransition: 'InvalidTransition',
  /** The actor's role may not do this to this order (403). */
  forbidden: 'Forbidden',
  /** An edit needs stock that is not available (409). */
  insufficientStock: 'InsufficientStock',
  /** A step of the order failed in a way retrying cannot fix; the order shows it as its `problem` (409). */
  stepFailed: 'StepFailed',
} as const;

/**
 * The closed set of activity failures that retrying cannot fix. Activities (through the worker's
 * interceptor) raise them as non-retryable; the workflow turns them into the order's `problem` instead of
 * retrying forever. Anything else (a database or network outage) is retried until it passes.
 */
export const PERMANENT_FAILURES = {
  /** The database refused a value or a constraint (PostgreSQL classes 22 and 23). */
  invalidData: 'InvalidData',
  /** A defect in our code or schema (a TypeError, an SQL syntax or permission error). */
  defect: 'Defect',
} as const;
/** The actor of the system's own decisions (automatic approvals). */
export const SYSTEM_ACTOR: Actor = { id: 'system', username: 'system', roles: [] };

// ---- approval ----

export type ApprovalLevel = 'auto' | 'staff' | 'manager';

const MANAGER_ROLES = ['manager', 'admin'];
const STAFF_ROLES = ['staff', ...MANAGER_ROLES];

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
  const allowed = level === 'manager' ? MANAGER_ROLES : STAFF_ROLES;
  return actor.roles.some((role) => allowed.includes(role));
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

// ---- the state table ----

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

type State = Pick<OrderSnapshot, 'status' | 'awaiting'>;

const AWAITING_APPROVAL: (Awaiting | null)[] = ['approval', 'manager_approval'];

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
  if (rule.when(order)) return null;
  const waiting = order.awaiting ? `, awaiting ${order.awaiting}` : '';
  return `cannot ${action} the order: it is ${order.status}${waiting}; ${action} needs an order ${rule.needs}`;
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

// ---- escalation ----

/** The watched wait an order is in, if any (staff and manager approval are one wait). */
export function stageOf(awaiting: Awaiting | null): EscalationStage | null {
  switch (awaiting) {
    case 'approval':
    case 'manager_approval':
      return 'approval';
    case 'shipment':
      return 'shipment';
    case 'delivery':
      return 'delivery';
    default:
      return null;
  }
}

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

// ---- working hours ----

interface LocalDate {
  year: number;
  month: number;
  day: number;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

function minutesOf(hhmm: string): number {
  const match = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(hhmm);
  if (!match) throw new RangeError(`"${hhmm}" is not a time of day (HH:MM)`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/** The wall-clock fields of an instant in a time zone. */
function wallClock(instant: number, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const field = (type: string) => Number(parts.find((part) => part.type === type)?.value);
  return {
    year: field('year'),
    month: field('month'),
    day: field('day'),
    hour: field('hour'),
    minute: field('minute'),
    second: field('second'),
  };
}

/** How far the zone's wall clock is ahead of UTC at an instant, in milliseconds. */
function offsetAt(instant: number, timeZone: string): number {
  const wall = wallClock(instant, timeZone);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant at which the zone's wall clock shows this local date and minute of day (24:00 is the next
 * midnight). Two passes settle the offset; a wall time skipped by a daylight-saving jump lands after it.
 */
function instantOf(date: LocalDate, minuteOfDay: number, timeZone: string): number {
  const naive = Date.UTC(date.year, date.month - 1, date.day) + minuteOfDay * MINUTE;
  const guess = naive - offsetAt(naive, timeZone);
  return naive - offsetAt(guess, timeZone);
}

function localDateOf(instant: number, timeZone: string): LocalDate {
  const { year, month, day } = wallClock(instant, timeZone);
  return { year, month, day };
}

function nextDay(date: LocalDate): LocalDate {
  const next = new Date(Date.UTC(date.year, date.month - 1, date.day) + DAY);
  return { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() };
}

const isoDate = (date: LocalDate) =>
  `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;

/**
 * The instant when `durationMs` of working time has passed since `start`, counting only the calendar's
 * working hours (holidays excluded). Throws when the calendar has no working time in the next ten years.
 */
export function addWorkingTime(start: Date, durationMs: number, calendar: WorkCalendar): Date {
  let remaining = durationMs;
  let cursor = start.getTime();
  let date = localDateOf(cursor, calendar.timeZone);
  const holidays = new Set(calendar.holidays);
  for (let days = 0; days < 3660; days++, date = nextDay(date)) {
    const weekday = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay() as
      0 | 1 | 2 | 3 | 4 | 5 | 6;
    const intervals = holidays.has(isoDate(date)) ? [] : (calendar.hours[weekday] ?? []);
    for (const [from, to] of intervals) {
      const opens = instantOf(date, minutesOf(from), calendar.timeZone);
      const closes = instantOf(date, minutesOf(to), calendar.timeZone);
      const begin = Math.max(cursor, opens);
      if (begin >= closes) continue;
      if (remaining <= closes - begin) return new Date(begin + remaining);
      remaining -= closes - begin;
      cursor = closes;
    }
  }
  throw new RangeError('the calendar has no working time in the next ten years');
}
