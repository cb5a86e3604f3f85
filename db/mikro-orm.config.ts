import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import type { Pool, PoolClient } from 'pg';
import { nodeSslOptions, withoutTlsWords } from '../config/postgres-tls';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

/**
 * A query that timed out leaves its connection waiting for an answer that may never come (or come after
 * the next query was sent): the pool must not hand that connection out again. Ending the client marks it
 * so that the pool destroys it on release instead of reusing it.
 */
function discardOnReadTimeout(pool: Pool): void {
  pool.on('connect', (client: PoolClient) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    const discardOn = (error: unknown) => {
      if (error instanceof Error && error.message === 'Query read timeout')
        void client.end().catch(() => undefined);
    };
    (client as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const result = query(...args);
      if (result instanceof Promise) result.catch(discardOn);
      return result;
    };
  });
}

/**
 * Deadlines for the API's database calls, so that a request finds out within the contract's 5 s that
 * PostgreSQL cannot be reached (and answers 503) instead of hanging: a connection from the pool (a free
 * one, or a new one connected) within 3 s, a query's answer within 4 s (a cut connection never answers).
 */
export const REQUEST_PATH_DEADLINES: Partial<Options> = {
  pool: { min: 0, max: 10 },
  driverOptions: {
    connectionTimeoutMillis: 3000,
    query_timeout: 4000,
    onPoolCreated: discardOnReadTimeout,
  },
};

/** The one ORM configuration used by the API, the worker, migrations and tests. */
export function ormConfig(databaseUrl: string, overrides: Partial<Options> = {}) {
  // The ORM reads host, user and database from the URL and drops its sslmode: TLS goes to the driver
  // (MikroORM 7 hands driverOptions to pg's Pool as they are).
  return defineConfig({
    clientUrl: withoutTlsWords(databaseUrl),
    entities: ENTITIES,
    extensions: [Migrator],
    // Column types come from the decorators' options and, where they name none, from TypeScript's emitted
    // design types (the provider MikroORM 6 used by default).
    metadataProvider: ReflectMetadataProvider,
    migrations: {
      migrationsList: MIGRATIONS,
      path: 'db/migrations',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
    },
    pool: { min: 0, max: 10 },
    allowGlobalContext: false,
    ...overrides,
    driverOptions: { ...overrides.driverOptions, ssl: nodeSslOptions(databaseUrl) },
  });
}
