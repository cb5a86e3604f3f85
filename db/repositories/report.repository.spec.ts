import { BUCKETS_PER_DOUBLING, percentileOf } from './report.repository';
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
