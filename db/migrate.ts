import { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { loadConfig } from '../config/config';
import { pgClientConfig } from '../config/postgres-tls';
import { describeStartupFailure } from '../ops/startup-failure';
import { ormConfig } from './mikro-orm.config';
import { checkPostgresTls } from './postgres-check';

/** Tables whose rows the application may add and read but never change or remove. */
const APPEND_ONLY = ['audit_log', 'order_archives', 'order_return_events', 'return_receipts', 'credit_notes'];

/**
 * Columns of append-only tables the application may not set: they keep their defaults. A new archived
 * record is always sealed with the current seal version; only records written before it are version 1.
 */
const OWNER_SET_COLUMNS: Record<string, string[]> = { order_archives: ['seal_version'] };

type Execute = <T = unknown[]>(sql: string, params?: unknown[]) => Promise<T>;

/**
 * Creates the application role (the user of `appUrl`) if it does not exist, and gives it the password of
 * `appUrl`; null when it is the owner.
 */
async function ensureRole(execute: Execute, appUrl: string): Promise<string | null> {
  const { username, password } = new URL(appUrl);
  const role = decodeURIComponent(username);
  const [owner] = await execute<{ current_user: string }[]>('select current_user');
  if (!role || role === owner?.current_user) return null;
  const quoted = `"${role.replace(/"/g, '""')}"`;
  const literal = `'${decodeURIComponent(password).replace(/'/g, "''")}'`;
  const [existing] = await execute<{ exists: boolean }[]>(
    'select exists (select 1 from pg_roles where rolname = $1) as exists',
    [role],
  );
  // The password of the connection string, also for an existing role: changing it there rotates it.
  await execute(`${existing?.exists ? 'alter' : 'create'} role ${quoted} login password ${literal}`);
  return quoted;
}

/** Statements that take INSERT of `OWNER_SET_COLUMNS` from the role and give it back for the other columns. */
async function ownerSetColumns(execute: Execute, quoted: string): Promise<string[]> {
  const statements: string[] = [];
  for (const [table, reserved] of Object.entries(OWNER_SET_COLUMNS)) {
    const columns = await execute<{ column_name: string }[]>(
      `select column_name from information_schema.columns
        where table_schema = 'public' and table_name = $1 order by ordinal_position`,
      [table],
    );
    const allowed = columns.map((c) => c.column_name).filter((name) => !reserved.includes(name));
    statements.push(
      `revoke insert on "${table}" from ${quoted}`,
      `grant insert (${allowed.map((name) => `"${name}"`).join(', ')}) on "${table}" to ${quoted}`,
    );
  }
  return statements;
}

/**
 * Least privilege: the application connects as its own role, which may read and write rows but owns
 * nothing, so it cannot alter tables, drop triggers, truncate, or change the append-only audit log. Run as
 * the schema owner after the migrations, on every start, so that new tables are covered too. Creates the
 * role with the password of its connection string when it does not exist (the owner needs CREATEROLE).
 * One transaction, one start at a time: the revoke and the grants after it are seen together, so the
 * services already running as the role never meet it without its rights (before, a start beside running
 * workers had them fail with "permission denied for table deliveries" in between).
 */
export async function grantApplicationRole(orm: MikroORM, appUrl: string): Promise<void> {
  await orm.em.transactional(async (em) => {
    const connection = em.getConnection();
    const execute: Execute = <T>(sql: string, params: unknown[] = []) =>
      connection.execute(sql.replace(/\$\d+/g, '?'), params, 'all', em.getTransactionContext()) as Promise<T>;
    await execute(`select pg_advisory_xact_lock(hashtext('oms:grant-application-role'))`);
    const quoted = await ensureRole(execute, appUrl);
    if (!quoted) return;
    const statements = [
      `alter role ${quoted} nosuperuser nocreatedb nocreaterole noinherit`,
      `grant usage on schema public to ${quoted}`,
      `revoke all on all tables in schema public from ${quoted}`,
      `grant select, insert, update, delete on all tables in schema public to ${quoted}`,
      `revoke update, delete on ${APPEND_ONLY.map((table) => `"${table}"`).join(', ')} from ${quoted}`,
      ...(await ownerSetColumns(execute, quoted)),
      // Read-only, so that a backup taken as the application role is complete.
      `revoke insert, update, delete on "mikro_orm_migrations" from ${quoted}`,
      `grant usage, select, update on all sequences in schema public to ${quoted}`,
    ];
    for (const statement of statements) await execute(statement);
  });
}

/**
 * Creates the application role before a restore into a fresh server, so that the grants in the archive
 * have their grantee; `migrate` at the next start brings its rights up to date.
 */
export async function ensureApplicationRole(ownerUrl: string, appUrl: string): Promise<void> {
  const client = new Client(pgClientConfig(ownerUrl));
  await client.connect();
  try {
    await ensureRole(
      async <T>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T,
      appUrl,
    );
  } finally {
    await client.end();
  }
}

/**
 * Applies every pending migration as the schema owner, then grants the application role (the user of
 * `appUrl`, when it differs from the owner) what it needs; safe to run on every start.
 */
export async function migrateUp(ownerUrl: string, appUrl?: string): Promise<string[]> {
  await checkPostgresTls(ownerUrl, 'DATABASE_OWNER_URL');
  const orm = await MikroORM.init(ormConfig(ownerUrl));
  try {
    const applied = await orm.migrator.up();
    if (appUrl) await grantApplicationRole(orm, appUrl);
    return applied.map((migration) => migration.name);
  } finally {
    await orm.close(true);
  }
}

/** Writes a new migration from the difference between the entities and the database (development only). */
async function createMigration(databaseUrl: string): Promise<void> {
  const orm = await MikroORM.init(
    ormConfig(databaseUrl, { migrations: { path: 'db/migrations', emit: 'ts' } }),
  );
  try {
    const result = await orm.migrator.create('db/migrations', false, false);
    console.log(result.fileName ? `wrote db/migrations/${result.fileName}` : 'no changes');
  } finally {
    await orm.close(true);
  }
}

async function run(): Promise<void> {
  const { databaseUrl, databaseOwnerUrl } = loadConfig();
  if (process.argv[2] === 'create') return createMigration(databaseOwnerUrl);
  const applied = await migrateUp(databaseOwnerUrl, databaseUrl);
  console.log(applied.length ? `applied ${applied.join(', ')}` : 'schema is up to date');
}

if (require.main === module) {
  run().catch((error: unknown) => {
    console.error(describeStartupFailure(error));
    process.exit(1);
  });
}
