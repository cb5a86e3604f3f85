/**
 * `npm run restore -- FILE [--force]`: puts an archive back, with the service stopped. Holds the data
 * folder's lock for the whole restore, so it refuses while `npm start` runs and `npm start` waits for it.
 */
import { ensureApplicationRole } from '../db/migrate';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { loadConfig } from '../config/config';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../db/embedded-postgres';
import { MIGRATIONS } from '../db/migrations';
import { BackupError } from '../ops/backup';
import { restoreArchive } from '../ops/restore';
import { DataDirLockedError, lockDataDir } from './data-dir-lock';
import { findTemporalBinary } from './temporal-server';

/** The server version of the `temporal` CLI's dev server ("temporal version 1.5.1 (Server 1.29.1, ...)"). */
function devServerVersion(binary: string | undefined): string | null {
  try {
    const found = findTemporalBinary(binary);
    if (!found) return null;
    return (
      /Server (\d+\.\d+\.\d+)/.exec(execFileSync(found, ['--version'], { encoding: 'utf8' }))?.[1] ?? null
    );
  } catch {
    return null;
  }
}

async function run(): Promise<void> {
  const args = process.argv.slice(2);
  const file = args.find((arg) => !arg.startsWith('--'));
  const unknown = args.filter((arg) => arg.startsWith('--') && arg !== '--force');
  if (!file || unknown.length > 0) throw new BackupError('usage: npm run restore -- FILE [--force]');
  let config = loadConfig();
  let release: () => void;
  try {
    release = lockDataDir(config.dataDir);
  } catch (error) {
    if (error instanceof DataDirLockedError)
      throw new BackupError(
        `the service is running: ${error.message}. Restore runs with the service stopped.`,
      );
    throw error;
  }
  let pg: EmbeddedPostgresHandle | null = null;
  try {
    if (config.embeddedPostgres) {
      console.log(`starting PostgreSQL on 127.0.0.1:${config.embeddedPostgres.port} for the restore`);
      pg = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPostgres.port });
      // Its passwords exist now (generated at its first start): the connection strings carry them.
      config = loadConfig();
    }
    await ensureApplicationRole(config.databaseOwnerUrl, config.databaseUrl);
    const manifest = await restoreArchive(
      path.resolve(process.env.INIT_CWD ?? process.cwd(), file),
      {
        // Restoring recreates tables: the schema owner's connection, not the application role's.
        databaseUrl: config.databaseOwnerUrl,
        temporal: config.temporal.persistence,
        temporalServer:
          config.temporal.persistence.kind === 'sqlite' ? devServerVersion(config.temporal.binary) : null,
        knownSchemas: MIGRATIONS.map((migration) => migration.name),
      },
      { force: args.includes('--force'), log: (line) => console.log(line) },
    );
    console.log(`restored ${manifest.id}; start the service with npm start`);
  } finally {
    await pg?.stop();
    release();
  }
}

run().catch((error: unknown) => {
  console.error(`restore refused: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
