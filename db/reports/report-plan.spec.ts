import { BUCKETS_PER_DOUBLING, percentileOf } from './percentiles';
import { monthPlan, monthsTouched } from './ranking-plan';
import { prng } from '../../scripts/prng';

/** PostgreSQL's percentile_cont over the exact values. */
function exact(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = fraction * (sorted.length - 1);
  const low = Math.floor(position);
  return sorted[low]! + (sorted[Math.ceil(position)]! - sorted[low]!) * (position - low);
}

/** The bucket `stage_duration_bucket` gives a duration in ms. */
const bucketOf = (ms: number) => Math.floor(BUCKETS_PER_DOUBLING * Math.log2(Math.max(ms, 1)));

function histogram(values: number[]) {
  const counts = new Map<number, number>();
  for (const value of values) counts.set(bucketOf(value), (counts.get(bucketOf(value)) ?? 0) + 1);
  return [...counts.entries()].map(([bucket, stays]) => ({ bucket, stays }));
}

describe('percentileOf (stage times from the duration histogram)', () => {
  it.each([0.5, 0.9, 0.1, 0.99])(
    'is within 2.2 %% of the exact percentile %p on skewed durations',
    (fraction) => {
      const random = prng(7);
      for (let round = 0; round < 50; round++) {
        const count = 1 + Math.floor(random() * 500);
        // Stays from seconds to days, log-normal-ish like the pipeline's.
        const values = Array.from({ length: count }, () => Math.exp(7 + random() * 12 + random() * 3));
        const got = percentileOf(histogram(values), fraction);
        const want = exact(values, fraction);
        expect(Math.abs(got - want)).toBeLessThanOrEqual(want * 0.022);
      }
    },
  );

  it('counts stays under a millisecond as 1 ms, and an empty histogram as 0', () => {
    expect(percentileOf(histogram([0, 0.2, 0.5]), 0.5)).toBeCloseTo(2 ** (0.5 / 16), 6);
    expect(percentileOf([], 0.5)).toBe(0);
  });

  it('interpolates between neighbouring ranks in different buckets as percentile_cont does', () => {
    // Median of [1000, 8000]: half way between the two buckets' middles.
    const got = percentileOf(histogram([1000, 8000]), 0.5);
    expect(Math.abs(got - 4500)).toBeLessThanOrEqual(4500 * 0.022);
  });
});

describe('monthPlan (reading whole days from month and day summaries)', () => {
  const days = (from: string, to: string) => {
    const out: string[] = [];
    for (let t = Date.parse(`${from}T00:00:00Z`); t < Date.parse(`${to}T00:00:00Z`); t += 86_400_000)
      out.push(new Date(t).toISOString().slice(0, 10));
    return out;
  };

  it.each([
    ['2025-11-26', '2026-11-25'],
    ['2026-10-27', '2026-11-25'],
    ['2026-11-03', '2026-11-21'],
    ['2024-02-01', '2024-03-01'],
    ['2026-03-04', '2026-03-31'],
    ['2026-03-31', '2026-04-01'],
    ['2026-05-05', '2026-05-05'],
  ])('counts every day from %s to before %s exactly once, reading the fewest rows', (from, to) => {
    const plan = monthPlan(from, to);
    const counted = new Map<string, number>();
    const add = (day: string, sign: number) => counted.set(day, (counted.get(day) ?? 0) + sign);
    for (const month of plan.months) for (const day of days(month, nextMonth(month))) add(day, 1);
    for (const day of plan.plus) add(day, 1);
    for (const day of plan.minus) add(day, -1);
    const inside = new Set(days(from, to));
    for (const [day, count] of counted) expect([day, count]).toEqual([day, inside.has(day) ? 1 : 0]);
    for (const day of inside) expect(counted.get(day)).toBe(1);
    // No month costs more than half its days.
    expect(plan.plus.length + plan.minus.length).toBeLessThanOrEqual(32);
  });
});

describe('monthsTouched (the months whose bounds cover a period)', () => {
  it.each([
    // A Shanghai month: from 16:00 UTC on the 26th of one month to 16:00 UTC on the 25th of the next.
    ['2026-10-26T16:00:00.000Z', '2026-11-25T16:00:00.000Z', ['2026-10-01', '2026-11-01']],
    // Ending exactly at a UTC month's first instant: that month holds none of it.
    ['2026-10-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z', ['2026-10-01']],
    ['2026-12-31T23:00:00.000Z', '2027-01-01T01:00:00.000Z', ['2026-12-01', '2027-01-01']],
    ['2026-01-15T00:00:00.000Z', '2026-03-02T00:00:00.000Z', ['2026-01-01', '2026-02-01', '2026-03-01']],
  ])('from %s to before %s touches %j', (from, to, months) => {
    expect(monthsTouched(from, to)).toEqual(months);
  });
});

function nextMonth(month: string): string {
  const date = new Date(`${month}T00:00:00Z`);
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
}
