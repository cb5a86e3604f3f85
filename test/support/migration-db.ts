import { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { siblingDatabaseUrl } from '../../config/config';
import { ormConfig } from '../../db/mikro-orm.config';

export interface MigrationDatabase {
  /** Migrates on (`orm.migrator.up({ to })`) or back (`down`). */
  orm: MikroORM;
  /** A plain connection to the database, for rows in the old shape and reads of the new. */
  sql: Client;
  close(): Promise<void>;
}

/**
 * A database of its own for a migration's test (`name`, dropped and created anew beside the suite's),
 * migrated up to `before`, the step before the migration under test. `foreignKeys: false` leaves them
 * unchecked on its connections, for rows with nothing behind them.
 */
export async function databaseBefore(
  name: string,
  before: string,
  { foreignKeys = true }: { foreignKeys?: boolean } = {},
): Promise<MigrationDatabase> {
  const admin = new Client({ connectionString: process.env.OMS_TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`drop database if exists ${name}`);
  await admin.query(`create database ${name}`);
  if (!foreignKeys) await admin.query(`alter database ${name} set session_replication_role = replica`);
  await admin.end();
  const url = siblingDatabaseUrl(process.env.OMS_TEST_DATABASE_URL!, name);
  const orm = await MikroORM.init(ormConfig(url, { logger: () => undefined }));
  await orm.migrator.up({ to: before });
  const sql = new Client({ connectionString: url });
  await sql.connect();
  return {
    orm,
    sql,
    close: async () => {
      await sql.end();
      await orm.close(true);
    },
  };
}
