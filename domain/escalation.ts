/**
 * Escalation reminders as managers write them and as an order follows them: the watched waits, plans and
 * their levels, ISO 8601 durations, working-hours calendars. Pure definitions only.
 */
import type { WorkCalendar } from './business-hours';
import type { Awaiting } from './order';

/** The order's watched waits, and `return`: a return waiting for approval or for its units (issue 25). */
export const ESCALATION_STAGES = ['approval', 'shipment', 'delivery', 'return'] as const;
export type EscalationStage = (typeof ESCALATION_STAGES)[number];

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

/** One level of a plan, durations in milliseconds from the start of the wait. */
export interface PlanLevel {
  afterMs: number;
  /** Repeat the reminder this often after `afterMs`; null: once. */
  repeatMs: number | null;
  /** Roles or usernames to remind. */
  notify: string[];
}

/** The policy of one wait as an order follows it; `calendar` is set when only working time counts. */
export interface EscalationPlan {
  stage: EscalationStage;
  version: number;
  levels: PlanLevel[];
  calendar: WorkCalendar | null;
}

/** Where an order stands with its current wait; mirrored in the snapshot for the overdue view. */
export interface EscalationState {
  stage: EscalationStage;
  /** When the wait began. */
  since: string;
  /** The highest level reminded so far (1 = first); 0 before the first reminder. */
  level: number;
  escalatedAt: string | null;
}

const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d{1,3})?)S)?)?$/;

/**
 * Milliseconds of an ISO 8601 duration in weeks, days, hours, minutes and seconds (`PT4H`, `PT2S`, `P1D`,
 * `P1DT12H`). Years and months have no fixed length and are refused. Null for anything else.
 */
export function parseDuration(text: string): number | null {
  const match = DURATION.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) return null;
  const [, weeks, days, hours, minutes, seconds] = match.map((part) => Number(part ?? 0));
  return Math.round(((((weeks! * 7 + days!) * 24 + hours!) * 60 + minutes!) * 60 + seconds!) * 1000);
}

/** A level as managers write it: ISO 8601 durations, roles or usernames. */
export interface PolicyLevel {
  after: string;
  notify: string[];
  repeatEvery?: string;
}

/** A working interval of an ISO weekday (1 = Monday … 7 = Sunday), in the calendar's local time. */
export interface WorkingInterval {
  weekday: number;
  start: string;
  end: string;
}

export interface CalendarSetting {
  timeZone: string;
  hours: WorkingInterval[];
  holidays: string[];
  version: number;
}

export interface PolicySetting {
  stage: EscalationStage;
  levels: PolicyLevel[];
  businessHours: boolean;
  version: number;
}

/** The plan an order follows for a policy (durations in milliseconds, the calendar when it counts). */
export function toPlan(policy: PolicySetting, calendar: CalendarSetting): EscalationPlan {
  const ms = (text: string) => {
    const value = parseDuration(text);
    if (value === null) throw new RangeError(`"${text}" is not an ISO 8601 duration`);
    return value;
  };
  const hours: WorkCalendar['hours'] = {};
  for (const { weekday, start, end } of calendar.hours) {
    const day = (weekday % 7) as 0 | 1 | 2 | 3 | 4 | 5 | 6;
    (hours[day] ??= []).push([start, end]);
  }
  return {
    stage: policy.stage,
    version: policy.businessHours ? Math.max(policy.version, calendar.version) : policy.version,
    levels: policy.levels.map((level) => ({
      afterMs: ms(level.after),
      repeatMs: level.repeatEvery ? ms(level.repeatEvery) : null,
      notify: level.notify,
    })),
    calendar: policy.businessHours
      ? { timeZone: calendar.timeZone, hours, holidays: calendar.holidays }
      : null,
  };
}
