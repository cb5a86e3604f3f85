import { MikroORM } from '@mikro-orm/postgresql';
import { loadConfig } from '../config/config';
import { ormConfig } from './mikro-orm.config';

/** Applies every pending migration; safe to run on every start. */
export async function migrateUp(databaseUrl: string): Promise<string[]> {
  const orm = await MikroORM.init(ormConfig(databaseUrl));
  try {
    const applied = await orm.getMigrator().up();
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
    const result = await orm.getMigrator().createMigration('db/migrations', false, false);
    console.log(result.fileName ? `wrote db/migrations/${result.fileName}` : 'no changes');
  } finally {
    await orm.close(true);
  }
}

async function run(): Promise<void> {
  const { databaseUrl } = loadConfig();
  if (process.argv[2] === 'create') return createMigration(databaseUrl);
  const applied = await migrateUp(databaseUrl);
  console.log(applied.length ? `applied ${applied.join(', ')}` : 'schema is up to date');
}

if (require.main === module) {
  run().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
