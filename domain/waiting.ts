/**
 * Where work waits: the stages an order or a return waits at for a person or a party, and the time buckets
 * of the waiting report's heat map. No I/O; the report's query counts by these.
 */
import { AWAITING_VALUES, type Awaiting } from './order';

/** How long something has waited, as the heat map's columns: each bucket up to (excluding) `underSeconds`. */
export const WAIT_BUCKETS = [
  { key: 'under_1h', underSeconds: 3_600 },
  { key: 'under_4h', underSeconds: 4 * 3_600 },
  { key: 'under_1d', underSeconds: 86_400 },
  { key: 'under_3d', underSeconds: 3 * 86_400 },
  { key: 'over_3d', underSeconds: null },
] as const;
export type WaitBucket = (typeof WAIT_BUCKETS)[number]['key'];

/** The lower bounds of every bucket but the first, in seconds: PostgreSQL's `width_bucket` thresholds. */
export const WAIT_THRESHOLDS: number[] = WAIT_BUCKETS.flatMap(({ underSeconds }) =>
  underSeconds === null ? [] : [underSeconds],
);

/**
 * The instants a bucket's waits began between, as the board filters them (`awaitingSinceFrom` included,
 * `awaitingSinceTo` excluded): what waited at least the bucket's lower bound and less than its upper one at
 * `now`. The heat map's cells open the board with these.
 */
export function bucketSince(
  bucket: WaitBucket,
  now: number,
): { awaitingSinceFrom?: string; awaitingSinceTo?: string } {
  const index = WAIT_BUCKETS.findIndex(({ key }) => key === bucket);
  const under = WAIT_BUCKETS[index]!.underSeconds;
  const over = index === 0 ? 0 : WAIT_BUCKETS[index - 1]!.underSeconds!;
  const at = (seconds: number) => new Date(now - seconds * 1000).toISOString();
  return {
    ...(under === null ? {} : { awaitingSinceFrom: at(under) }),
    ...(index === 0 ? {} : { awaitingSinceTo: at(over) }),
  };
}

/** A return waits at these: for approval, for the units to arrive, for the refund. */
export const RETURN_WAITS = { requested: 'approval', approved: 'receipt', received: 'refund' } as const;

export type WaitSubject = 'order' | 'return';
export type OrderWaitStage = Awaiting;
export type ReturnWaitStage = (typeof RETURN_WAITS)[keyof typeof RETURN_WAITS];

/** The heat map's rows in a fixed order: every order stage, then every return stage. */
export const WAIT_ROWS: { subject: WaitSubject; stage: string }[] = [
  ...AWAITING_VALUES.map((stage) => ({ subject: 'order' as const, stage })),
  ...Object.values(RETURN_WAITS).map((stage) => ({ subject: 'return' as const, stage })),
];
