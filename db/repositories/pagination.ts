import type { FilterQuery } from '@mikro-orm/core';

/** Keyset pagination: the cursor is the sort key of the last row served, opaque to clients. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Raised for a cursor this server did not issue. */
export class InvalidCursorError extends Error {}

export function encodeCursor(key: [string, string]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const SKU = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** What the first part of a cursor is: a creation time (`toISOString()`) or a SKU; the second is a UUID. */
export type CursorKind = 'time' | 'sku';

/**
 * The sort key inside a cursor, parsed strictly: a cursor that decodes but was not issued by this list
 * (another shape, a malformed time or id) is refused before it reaches a query.
 */
export function decodeCursor(cursor: string, kind: CursorKind): [string, string] {
  let key: unknown = null;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    // not ours: refused below
  }
  if (Array.isArray(key) && key.length === 2) {
    const [first, id] = key as unknown[];
    const firstOk =
      typeof first === 'string' &&
      (kind === 'sku' ? SKU.test(first) : TIMESTAMP.test(first) && Number.isFinite(Date.parse(first)));
    if (firstOk && typeof id === 'string' && UUID.test(id)) return [first, id];
  }
  throw new InvalidCursorError('cursor is not one this server issued');
}

/** Builds a page from `limit + 1` fetched rows: the extra row only says that there is more. */
export function pageOf<T>(rows: T[], limit: number, keyOf: (row: T) => [string, string]): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}

/** Newest first by creation time (milliseconds), then id: the order of a list, and where a cursor resumes it. */
export const newestFirst = {
  orderBy: { createdAt: 'desc', id: 'desc' } as const,
  after<T extends { createdAt: Date; id: string }>(cursor: string): FilterQuery<T> {
    const [time, id] = decodeCursor(cursor, 'time');
    const createdAt = new Date(time);
    return { $or: [{ createdAt: { $lt: createdAt } }, { createdAt, id: { $lt: id } }] } as FilterQuery<T>;
  },
};
