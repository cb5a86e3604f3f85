import type { EntityManager } from '@mikro-orm/postgresql';

/** Raw SQL with `?` placeholders, returning the rows. */
export type Sql = <T = Record<string, unknown>[]>(query: string, params?: unknown[]) => Promise<T>;

/**
 * Raw SQL on the entity manager's connection, inside its transaction when it has one. (The connection's
 * own `execute` takes a pooled connection of its own unless it is handed the transaction context.)
 */
export function sqlOf(em: EntityManager): Sql {
  return <T>(query: string, params: unknown[] = []) =>
    em.getConnection().execute<T & object>(query, params, 'all', em.getTransactionContext()) as Promise<T>;
}

/**
 * A PostgreSQL array literal for one parameter (`?::uuid[]`): the query builder would otherwise spread an
 * array parameter into a list of parameters.
 */
export function arrayLiteral(values: readonly (string | number)[]): string {
  return `{${values.map((value) => `"${String(value).replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;
}
