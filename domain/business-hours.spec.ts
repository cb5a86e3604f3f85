import { addWorkingTime, instantOf, type WorkCalendar } from './business-hours';

const HOUR = 3600_000;
const weekdays = (from: string, to: string): WorkCalendar['hours'] => ({
  1: [[from, to]],
  2: [[from, to]],
  3: [[from, to]],
  4: [[from, to]],
  5: [[from, to]],
});
const shanghai: WorkCalendar = { timeZone: 'Asia/Shanghai', hours: weekdays('09:00', '18:00'), holidays: [] };

describe('working-time arithmetic', () => {
  it('carries a wait that starts Friday 17:30 with two working hours over the weekend to Monday 10:30', () => {
    // 2026-11-27 is a Friday; 17:30 in Shanghai is 09:30 UTC.
    const due = addWorkingTime(new Date('2026-11-27T09:30:00Z'), 2 * HOUR, shanghai);
    expect(due.toISOString()).toBe('2026-11-30T02:30:00.000Z'); // Monday 10:30 in Shanghai
  });

  it('counts within the same day when there is time left', () => {
    expect(addWorkingTime(new Date('2026-11-25T01:00:00Z'), 3 * HOUR, shanghai).toISOString()).toBe(
      '2026-11-25T04:00:00.000Z',
    );
  });

  it('starts counting at opening time when the wait begins before hours or at midnight', () => {
    // Wednesday 00:00 in Shanghai (Tuesday 16:00 UTC) plus 30 minutes: Wednesday 09:30.
    expect(addWorkingTime(new Date('2026-11-24T16:00:00Z'), 30 * 60_000, shanghai).toISOString()).toBe(
      '2026-11-25T01:30:00.000Z',
    );
  });

  it('skips holidays', () => {
    const calendar = { ...shanghai, holidays: ['2026-11-30', '2026-12-01'] };
    expect(addWorkingTime(new Date('2026-11-27T09:30:00Z'), 2 * HOUR, calendar).toISOString()).toBe(
      '2026-12-02T02:30:00.000Z',
    );
  });

  it('uses split days (a lunch break) and a working Saturday', () => {
    const calendar: WorkCalendar = {
      timeZone: 'Asia/Shanghai',
      hours: {
        6: [
          ['09:00', '12:00'],
          ['13:00', '18:00'],
        ],
      },
      holidays: [],
    };
    // Saturday 2026-11-28 11:00 local plus 2 hours: 1 h before lunch, 1 h after → 14:00 local.
    expect(addWorkingTime(new Date('2026-11-28T03:00:00Z'), 2 * HOUR, calendar).toISOString()).toBe(
      '2026-11-28T06:00:00.000Z',
    );
  });

  it('follows daylight saving time: a working day across the spring jump is an hour shorter in UTC', () => {
    const berlin: WorkCalendar = {
      timeZone: 'Europe/Berlin',
      hours: { 0: [['00:00', '24:00']] },
      holidays: [],
    };
    // Sunday 2026-03-29: clocks jump from 02:00 to 03:00, so the day has 23 hours.
    expect(instantOf({ year: 2026, month: 3, day: 29 }, 0, 'Europe/Berlin')).toBe(
      Date.parse('2026-03-28T23:00:00Z'),
    );
    expect(instantOf({ year: 2026, month: 3, day: 29 }, 24 * 60, 'Europe/Berlin')).toBe(
      Date.parse('2026-03-29T22:00:00Z'),
    );
    const due = addWorkingTime(new Date('2026-03-28T23:00:00Z'), 23 * HOUR, berlin);
    expect(due.toISOString()).toBe('2026-03-29T22:00:00.000Z');
    // 09:00 to 10:00 local, across the jump in New York (2026-03-08), is one real hour.
    const ny: WorkCalendar = {
      timeZone: 'America/New_York',
      hours: { 0: [['09:00', '17:00']] },
      holidays: [],
    };
    expect(addWorkingTime(new Date('2026-03-08T05:00:00Z'), HOUR, ny).toISOString()).toBe(
      '2026-03-08T14:00:00.000Z',
    );
  });

  it('follows daylight saving time: the autumn day has 25 hours', () => {
    const ny: WorkCalendar = {
      timeZone: 'America/New_York',
      hours: { 0: [['00:00', '24:00']] },
      holidays: [],
    };
    // Sunday 2026-11-01: 02:00 falls back to 01:00.
    expect(instantOf({ year: 2026, month: 11, day: 1 }, 0, 'America/New_York')).toBe(
      Date.parse('2026-11-01T04:00:00Z'),
    );
    expect(addWorkingTime(new Date('2026-11-01T04:00:00Z'), 25 * HOUR, ny).toISOString()).toBe(
      '2026-11-02T05:00:00.000Z',
    );
  });

  it('refuses a calendar without working time', () => {
    expect(() => addWorkingTime(new Date(), HOUR, { timeZone: 'UTC', hours: {}, holidays: [] })).toThrow(
      RangeError,
    );
  });
});
