/**
 * Stage-time percentiles from the per-day duration histograms the report projection keeps: pure arithmetic,
 * tested on its own (`percentiles.spec.ts`).
 */
/** Buckets per doubling in `stage_duration_days` (see `stage_duration_bucket` in the migration). */
export const BUCKETS_PER_DOUBLING = 16;

/**
 * The percentile (as PostgreSQL's percentile_cont: interpolated between the two closest ranks) of a
 * duration histogram, in ms. Each rank's value is taken as its bucket's geometric middle,
 * 2^((k + 0.5) / 16) ms, which is within 2^(1/32) - 1 < 2.2 % of any value in the bucket (stays under
 * 1 ms count as 1 ms); an interpolation of such values is within 2.2 % of the exact one too.
 */
export function percentileOf(histogram: { bucket: number; stays: number }[], fraction: number): number {
  const sorted = [...histogram].sort((a, b) => a.bucket - b.bucket);
  const total = sorted.reduce((sum, b) => sum + b.stays, 0);
  if (total === 0) return 0;
  const valueAt = (rank: number) => {
    let seen = 0;
    for (const { bucket, stays } of sorted) {
      seen += stays;
      if (rank < seen) return 2 ** ((bucket + 0.5) / BUCKETS_PER_DOUBLING);
    }
    return 2 ** ((sorted[sorted.length - 1]!.bucket + 0.5) / BUCKETS_PER_DOUBLING);
  };
  const position = fraction * (total - 1);
  const low = valueAt(Math.floor(position));
  const high = valueAt(Math.ceil(position));
  return low + (high - low) * (position - Math.floor(position));
}

/**
 * Up to this many stage stays in a period, stage percentiles are computed exactly from the transitions
 * (tens of milliseconds); above it, from the per-day histogram (within its precision, see `percentileOf`).
 */
export const EXACT_PERCENTILES_UP_TO = 20_000;
