import type { WorkCalendar } from './business-hours';
import { parseDuration, stageOf, type EscalationPlan } from './escalation';
import { MAX_REMINDERS_PER_LEVEL, dueReminders, levelKey, nextDue, type Fired } from './escalation.rules';

const S = 1000;
const plan = (levels: EscalationPlan['levels'], calendar: WorkCalendar | null = null): EscalationPlan => ({
  stage: 'approval',
  version: 1,
  levels,
  calendar,
});
const twoLevels = plan([
  { afterMs: 10 * S, repeatMs: null, notify: ['manager'] },
  { afterMs: 30 * S, repeatMs: 10 * S, notify: ['admin'] },
]);
/** What fired so far, given per level of `twoLevels` by position. */
const firedOf = (counts: number[], levels = twoLevels.levels): Fired =>
  Object.fromEntries(counts.map((count, i) => [levelKey(levels[i]!), count]));

describe('ISO 8601 durations', () => {
  it.each([
    ['PT2S', 2 * S],
    ['PT4H', 4 * 3600 * S],
    ['P1D', 86400 * S],
    ['P1DT12H30M', (36 * 3600 + 30 * 60) * S],
    ['P2W', 14 * 86400 * S],
    ['PT0.5S', 500],
  ])('reads %s', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['P1M', 'P1Y', 'PT', 'P', '4H', 'PT-1S', 'pt2s', '', 'P1DT'])('refuses %p', (text) =>
    expect(parseDuration(text)).toBeNull(),
  );
});

describe('watched waits', () => {
  it('treats staff and manager approval as one wait and ignores stock and payment', () => {
    expect(stageOf('approval')).toBe('approval');
    expect(stageOf('manager_approval')).toBe('approval');
    expect(stageOf('shipment')).toBe('shipment');
    expect(stageOf('delivery')).toBe('delivery');
    expect(stageOf('stock')).toBeNull();
    expect(stageOf(null)).toBeNull();
  });
});

describe('escalation timing', () => {
  it('fires each level once at its time, then repeats when asked', () => {
    expect(nextDue(twoLevels, 0, {})).toBe(10 * S);
    expect(dueReminders(twoLevels, 0, {}, 9 * S)).toEqual([]);
    expect(dueReminders(twoLevels, 0, {}, 10 * S)).toEqual([{ level: 0, count: 1 }]);
    expect(nextDue(twoLevels, 0, firedOf([1]))).toBe(30 * S);
    expect(dueReminders(twoLevels, 0, firedOf([1]), 30 * S)).toEqual([{ level: 1, count: 1 }]);
    expect(nextDue(twoLevels, 0, firedOf([1, 1]))).toBe(40 * S);
    expect(dueReminders(twoLevels, 0, firedOf([1, 1]), 41 * S)).toEqual([{ level: 1, count: 2 }]);
  });

  it('fires a level whose time already passed once, at once, after a policy change', () => {
    // The wait began 100 s ago; the new policy's levels at 10 s and 30 s (repeating) have both passed.
    expect(dueReminders(twoLevels, 0, {}, 100 * S)).toEqual([
      { level: 0, count: 1 },
      { level: 1, count: 8 },
    ]);
    // Nothing fires twice: what fired under the old policy counts.
    expect(dueReminders(twoLevels, 0, firedOf([1, 8]), 100 * S)).toEqual([]);
    expect(nextDue(twoLevels, 0, firedOf([1, 8]))).toBe(110 * S);
  });

  it('does not fire a level again when a changed policy moves it to another position', () => {
    const inserted = plan([{ afterMs: 5 * S, repeatMs: null, notify: ['staff'] }, ...twoLevels.levels]);
    expect(dueReminders(inserted, 0, firedOf([1, 2]), 45 * S)).toEqual([{ level: 0, count: 1 }]);
  });

  it('stops repeating a level after a bounded number of reminders', () => {
    const often = plan([{ afterMs: S, repeatMs: S, notify: ['manager'] }]);
    expect(dueReminders(often, 0, {}, 1e9)).toEqual([{ level: 0, count: MAX_REMINDERS_PER_LEVEL }]);
    expect(nextDue(often, 0, firedOf([MAX_REMINDERS_PER_LEVEL], often.levels))).toBeNull();
    expect(dueReminders(often, 0, firedOf([MAX_REMINDERS_PER_LEVEL], often.levels), 1e9)).toEqual([]);
  });

  it('has nothing due for an empty policy (escalation off)', () => {
    expect(nextDue(plan([]), 0, {})).toBeNull();
    expect(dueReminders(plan([]), 0, {}, 1e12)).toEqual([]);
  });

  it('counts only working time with a calendar: Friday 17:30 plus two working hours is Monday 10:30', () => {
    const shanghai: WorkCalendar = {
      timeZone: 'Asia/Shanghai',
      hours: {
        1: [['09:00', '18:00']],
        2: [['09:00', '18:00']],
        3: [['09:00', '18:00']],
        4: [['09:00', '18:00']],
        5: [['09:00', '18:00']],
      },
      holidays: [],
    };
    const friday1730 = Date.parse('2026-11-27T09:30:00Z');
    const policy = plan([{ afterMs: 2 * 3600 * S, repeatMs: null, notify: ['manager'] }], shanghai);
    expect(new Date(nextDue(policy, friday1730, {})!).toISOString()).toBe('2026-11-30T02:30:00.000Z');
    expect(dueReminders(policy, friday1730, {}, Date.parse('2026-11-30T02:29:59Z'))).toEqual([]);
    expect(dueReminders(policy, friday1730, {}, Date.parse('2026-11-30T02:30:00Z'))).toEqual([
      { level: 0, count: 1 },
    ]);
  });
});
