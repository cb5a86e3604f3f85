/**
 * The fields that were actually given. Validated DTO instances carry every declared field, the absent
 * ones as `undefined`, which must not overwrite stored values.
 */
export function definedOnly<T extends object>(changes: T): Partial<T> {
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) as Partial<T>;
}
