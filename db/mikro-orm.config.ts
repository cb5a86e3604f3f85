import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { nodeSslOptions, withoutTlsWords } from '../config/postgres-tls';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

interface PooledPgClient {
  query: (...args: unknown[]) => unknown;
  end: () => Promise<void>;
  __knex__disposed?: unknown;
}

/**
 * A query that timed out leaves its connection waiting for an answer that may never come (or come after
 * the next query was sent): the pool must not hand that connection out again, so it is marked the way the
 * pool's own error handler marks a broken one, and closed.
 */
function discardOnReadTimeout(connection: PooledPgClient, done: (error: Error | null, c: unknown) => void) {
  const query = connection.query.bind(connection);
  connection.query = (...args: unknown[]) => {
    const last = args.at(-1);
    if (typeof last === 'function') {
      args[args.length - 1] = (error: Error | null, ...rest: unknown[]) => {
        if (error?.message === 'Query read timeout') {
          connection.__knex__disposed = error;
          void connection.end().catch(() => undefined);
        }
        (last as (...values: unknown[]) => void)(error, ...rest);
      };
    }
    return query(...args);
  };
  done(null, connection);
}

/**
 * Deadlines for the API's database calls, so that a request finds out within the contract's 5 s that
 * PostgreSQL cannot be reached (and answers 503) instead of hanging: a free connection from the pool
 * within 3 s, a new connection within 2 s, a query's answer within 4 s (a cut connection never answers).
 */
export const REQUEST_PATH_DEADLINES: Partial<Options> = {
  pool: { min: 0, max: 10, acquireTimeoutMillis: 3000, afterCreate: discardOnReadTimeout },
  driverOptions: { connection: { connectionTimeoutMillis: 2000, query_timeout: 4000 } },
};

/** The one ORM configuration used by the API, the worker, migrations and tests. */
export function ormConfig(databaseUrl: string, overrides: Partial<Options> = {}) {
  // The ORM reads host, user and database from the URL and drops its sslmode: TLS goes to the driver.
  const driverOptions = overrides.driverOptions as { connection?: Record<string, unknown> } | undefined;
  return defineConfig({
    clientUrl: withoutTlsWords(databaseUrl),
    entities: ENTITIES,
    extensions: [Migrator],
    discovery: { disableDynamicFileAccess: true },
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
    driverOptions: {
      ...driverOptions,
      connection: { ...driverOptions?.connection, ssl: nodeSslOptions(databaseUrl) },
    },
  });
}
