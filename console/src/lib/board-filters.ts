/**
 * The board's filters as its address keeps them (`?status=…&from=2026-12-01`) and as `GET /api/orders` and a
 * saved view take them. Dates in the address are local calendar days (`from`, `to`, both included); the API
 * takes instants.
 */
import dayjs from 'dayjs';
import type { Schemas } from './client';

export type BoardFilters = Schemas['ViewFiltersDto'];

/** The address keys the board reads, in the order it writes them. */
const KEYS = [
  'status',
  'awaiting',
  'customerId',
  'q',
  'from',
  'to',
  'minTotal',
  'maxTotal',
  'partlyShipped',
] as const;

/** A whole number of minor units from the address, or nothing. */
const minorUnits = (value: string | null) => (value !== null && /^\d+$/.test(value) ? Number(value) : null);

/** The API's filters from the board's address. */
export function filtersFromParams(params: URLSearchParams): BoardFilters {
  const from = params.get('from') ? dayjs(params.get('from')) : null;
  const to = params.get('to') ? dayjs(params.get('to')) : null;
  const minTotal = minorUnits(params.get('minTotal'));
  const maxTotal = minorUnits(params.get('maxTotal'));
  const partly = params.get('partlyShipped');
  const partlyShipped = partly === 'true' ? true : partly === 'false' ? false : null;
  return {
    ...(params.get('status') ? { status: params.get('status') as BoardFilters['status'] } : {}),
    ...(params.get('awaiting') ? { awaiting: params.get('awaiting') as BoardFilters['awaiting'] } : {}),
    ...(params.get('customerId') ? { customerId: params.get('customerId')! } : {}),
    ...(params.get('q') ? { q: params.get('q')! } : {}),
    ...(from?.isValid() ? { createdFrom: from.startOf('day').toISOString() } : {}),
    ...(to?.isValid() ? { createdTo: to.add(1, 'day').startOf('day').toISOString() } : {}),
    ...(minTotal !== null ? { minTotal } : {}),
    ...(maxTotal !== null ? { maxTotal } : {}),
    ...(partlyShipped !== null ? { partlyShipped } : {}),
  };
}

/** The board's address for the API's filters (a saved view's), the inverse of `filtersFromParams`. */
export function paramsFromFilters(filters: BoardFilters): URLSearchParams {
  const values: Record<(typeof KEYS)[number], string | undefined> = {
    status: filters.status,
    awaiting: filters.awaiting,
    customerId: filters.customerId,
    q: filters.q,
    from: filters.createdFrom ? dayjs(filters.createdFrom).format('YYYY-MM-DD') : undefined,
    // `createdTo` is the start of the day after the last one included.
    to: filters.createdTo ? dayjs(filters.createdTo).subtract(1, 'day').format('YYYY-MM-DD') : undefined,
    minTotal: filters.minTotal === undefined ? undefined : String(filters.minTotal),
    maxTotal: filters.maxTotal === undefined ? undefined : String(filters.maxTotal),
    partlyShipped: filters.partlyShipped === undefined ? undefined : String(filters.partlyShipped),
  };
  const params = new URLSearchParams();
  for (const key of KEYS) if (values[key]) params.set(key, values[key]);
  return params;
}

/** The address's filters alone, in one spelling, to tell whether the board shows a saved view. */
export function filtersKey(params: URLSearchParams): string {
  return paramsFromFilters(filtersFromParams(params)).toString();
}

/**
 * When the waits began, from the address (`awaitingSinceFrom` included, `awaitingSinceTo` excluded, instants):
 * a heat-map cell's orders. Not part of a saved view (a view keeps filters, not a moment's window).
 */
export function waitWindowFromParams(params: URLSearchParams): {
  awaitingSinceFrom?: string;
  awaitingSinceTo?: string;
} {
  const instant = (key: string) => {
    const value = params.get(key);
    return value && dayjs(value).isValid() ? { [key]: dayjs(value).toISOString() } : {};
  };
  return { ...instant('awaitingSinceFrom'), ...instant('awaitingSinceTo') };
}
