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

export function decodeCursor(cursor: string): [string, string] {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === 2 && key.every((part) => typeof part === 'string')) {
      return key as [string, string];
    }
  } catch {
    // fall through
  }
  throw new InvalidCursorError('cursor is not one this server issued');
}

/** Builds a page from `limit + 1` fetched rows: the extra row only says that there is more. */
export function pageOf<T>(rows: T[], limit: number, keyOf: (row: T) => [string, string]): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}
