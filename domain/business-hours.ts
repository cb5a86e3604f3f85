/**
 * Working-time arithmetic for escalation timers: pure and deterministic, so the workflow can compute
 * deadlines inside the sandbox. Only Intl (part of the JavaScript runtime) is used for time zones.
 */

/** A working-hours calendar, as managers maintain it. */
export interface WorkCalendar {
  /** IANA time zone, e.g. "Asia/Shanghai". */
  timeZone: string;
  /** Working intervals per weekday (0 = Sunday … 6 = Saturday), as "HH:MM" pairs in local time. */
  hours: Partial<Record<0 | 1 | 2 | 3 | 4 | 5 | 6, [string, string][]>>;
  /** Local dates ("YYYY-MM-DD") with no working time at all. */
  holidays: string[];
}

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
export function instantOf(date: LocalDate, minuteOfDay: number, timeZone: string): number {
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
