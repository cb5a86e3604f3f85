/**
 * A deep copy in which every string is one PostgreSQL can store: NUL characters dropped, unpaired UTF-16
 * surrogates replaced by U+FFFD. The API's input boundary refuses such text; this is the second line, for
 * the order mirror, so that no text can ever make the mirror of an order fail for good.
 */
export function storable<T>(value: T): T {
  if (typeof value === 'string') {
    return value
      .replaceAll('\u0000', '')
      .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd') as T;
  }
  if (Array.isArray(value)) return value.map((item: unknown) => storable(item)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, item]) => [storable(key), storable(item)]),
    ) as T;
  }
  return value;
}
