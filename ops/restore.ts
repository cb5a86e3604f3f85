/**
 * Restores an archive written by `ops/backup.ts`, with the service stopped: checks the archive (every
 * checksum, and that it fits this installation), refuses to replace data that is there unless forced, then
 * recreates the application database and Temporal's state from it.
 */
import { copyFile, mkdtemp, readFile, rename, rm, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client as PgClient } from 'pg';
import { siblingDatabaseUrl, type TemporalPersistence } from '../config/config';
import { pgClientConfig } from '../config/postgres-tls';
import {
  BackupError,
  MANIFEST_FORMAT,
  databaseName,
  libpqEnv,
  majorOf,
  runTool,
  sha256Of,
  type BackupManifest,
  type BackupPart,
} from './backup';

export interface RestoreTarget {
  databaseUrl: string;
  temporal: TemporalPersistence;
  /** The Temporal server version this installation runs, when it can be told with the service stopped. */
  temporalServer: string | null;
  /** Migration names this version of the application knows. */
  knownSchemas: string[];
}

/** Unpacks an archive into `into` and checks its manifest and every part's size and SHA-256. */
export async function unpackArchive(file: string, into: string): Promise<BackupManifest> {
  if (!existsSync(file)) throw new BackupError(`${file} does not exist`);
  try {
    await runTool('tar', ['-xzf', file, '-C', into, '--no-same-owner']);
  } catch (error) {
    throw new BackupError(
      `${file} is corrupted: it does not unpack (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(await readFile(path.join(into, 'manifest.json'), 'utf8')) as BackupManifest;
  } catch {
    throw new BackupError(`${file} has no readable manifest.json: it is not a backup archive of this system`);
  }
  const format: unknown = manifest.format;
  if (format !== MANIFEST_FORMAT)
    throw new BackupError(
      `${file} is in format ${JSON.stringify(format)}; this version reads ${MANIFEST_FORMAT}`,
    );
  for (const part of manifest.parts) {
    const partFile = path.join(into, path.basename(part.file));
    if (!existsSync(partFile)) throw new BackupError(`${file} is corrupted: ${part.file} is missing`);
    const [bytes, sha256] = [(await stat(partFile)).size, await sha256Of(partFile)];
    if (bytes !== part.bytes || sha256 !== part.sha256)
      throw new BackupError(
        `${file} is corrupted: ${part.file} has SHA-256 ${sha256} (${bytes} bytes), the manifest says ${part.sha256} (${part.bytes} bytes)`,
      );
  }
  return manifest;
}

/** "1.29.1" → [1, 29]; null when unknown. */
function minorOf(version: string | null): [number, number] | null {
  const match = version ? /(\d+)\.(\d+)/.exec(version) : null;
  return match ? [Number(match[1]), Number(match[2])] : null;
}

/** Refuses an archive this installation cannot take, saying what differs. */
export function checkCompatible(
  manifest: BackupManifest,
  target: RestoreTarget,
  pgRestoreVersion: string,
): void {
  const { schema } = manifest.app;
  if (schema && !target.knownSchemas.includes(schema))
    throw new BackupError(
      `the archive's database schema ${schema} is unknown to this version of the application ` +
        `(it was made by ${manifest.app.name} ${manifest.app.version}); restore it with that version`,
    );
  if (majorOf(manifest.postgres.pgDump) > majorOf(pgRestoreVersion))
    throw new BackupError(
      `the archive was dumped by pg_dump ${manifest.postgres.pgDump}; this pg_restore is ${pgRestoreVersion}, too old to read it`,
    );
  if (manifest.temporal.persistence !== target.temporal.kind)
    throw new BackupError(
      `the archive holds Temporal state of kind "${manifest.temporal.persistence}" but this installation keeps ` +
        `Temporal's state as "${target.temporal.kind}" (OMS_TEMPORAL / TEMPORAL_ADDRESS / OMS_TEMPORAL_DATABASE_URL); ` +
        'restore it into an installation of the same kind',
    );
  const made = minorOf(manifest.temporal.server);
  const here = minorOf(target.temporalServer);
  if (made && here && (made[0] > here[0] || (made[0] === here[0] && made[1] > here[1])))
    throw new BackupError(
      `the archive comes from Temporal server ${manifest.temporal.server}, newer than this installation's ` +
        `${target.temporalServer}; Temporal's schema cannot go back`,
    );
}

/** Tables in the public schema (0 when the database does not exist). */
async function tablesIn(url: string): Promise<number> {
  const client = new PgClient(pgClientConfig(url));
  try {
    await client.connect();
  } catch (error) {
    if ((error as { code?: string }).code === '3D000') return 0; // no such database
    throw error;
  }
  try {
    const result = await client.query<{ n: number }>(
      "select count(*)::int as n from information_schema.tables where table_schema = 'public'",
    );
    return result.rows[0]!.n;
  } finally {
    await client.end();
  }
}

/** What the restore would replace, described for the refusal; empty when there is nothing. */
export async function existingData(target: RestoreTarget): Promise<string[]> {
  const found: string[] = [];
  const appTables = await tablesIn(target.databaseUrl);
  if (appTables > 0) found.push(`database ${databaseName(target.databaseUrl)} has ${appTables} tables`);
  const temporal = target.temporal;
  if (temporal.kind === 'sqlite' && existsSync(temporal.file) && (await stat(temporal.file)).size > 0)
    found.push(`${temporal.file} exists`);
  if (temporal.kind === 'postgres') {
    for (const url of [temporal.databaseUrl, temporal.visibilityUrl]) {
      const tables = await tablesIn(url);
      if (tables > 0) found.push(`database ${databaseName(url)} has ${tables} tables`);
    }
  }
  return found;
}

/** Drops and recreates a database, then loads a custom-format dump into it in one transaction. */
async function restoreDatabase(url: string, dump: string): Promise<void> {
  const name = databaseName(url);
  const admin = new PgClient(pgClientConfig(siblingDatabaseUrl(url, 'postgres')));
  await admin.connect();
  try {
    await admin.query(
      'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
      [name],
    );
    await admin.query(`drop database if exists "${name}"`);
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  await runTool(
    'pg_restore',
    ['--exit-on-error', '--single-transaction', '--no-owner', `--dbname=${name}`, dump],
    libpqEnv(url),
  );
}

/** Puts a SQLite copy in place of Temporal's database (the dev server is stopped). */
async function restoreSqlite(target: string, copy: string): Promise<void> {
  const incoming = `${target}.restoring`;
  await copyFile(copy, incoming);
  for (const suffix of ['-wal', '-shm', '-journal']) await rm(`${target}${suffix}`, { force: true });
  await rename(incoming, target);
}

/**
 * Restores `file` into the target. Refuses a damaged or mismatched archive, and data already there unless
 * `force`. The caller makes sure the service is stopped (the data-folder lock).
 */
export async function restoreArchive(
  file: string,
  target: RestoreTarget,
  options: { force: boolean; log?: (line: string) => void },
): Promise<BackupManifest> {
  const log = options.log ?? (() => undefined);
  const work = await mkdtemp(path.join(tmpdir(), 'oms-restore-'));
  try {
    const manifest = await unpackArchive(file, work);
    log(
      `archive ${manifest.id} from ${manifest.createdAt} checks out (${manifest.parts.length} parts, SHA-256 verified)`,
    );
    const pgRestore = (await runTool('pg_restore', ['--version']))
      .trim()
      .replace(/^pg_restore \(PostgreSQL\) /, '');
    checkCompatible(manifest, target, pgRestore);
    const existing = await existingData(target);
    if (existing.length > 0 && !options.force)
      throw new BackupError(
        `refusing to replace existing data (${existing.join('; ')}); pass --force to replace it with the archive`,
      );
    const part = (role: BackupPart['role']) => {
      const found = manifest.parts.find((candidate) => candidate.role === role);
      if (!found) throw new BackupError(`the archive has no ${role} part`);
      return path.join(work, path.basename(found.file));
    };
    await restoreDatabase(target.databaseUrl, part('app'));
    log(`restored database ${databaseName(target.databaseUrl)}`);
    const temporal = target.temporal;
    if (temporal.kind === 'sqlite') {
      await restoreSqlite(temporal.file, part('temporal'));
      log(`restored Temporal's state into ${temporal.file}`);
    } else if (temporal.kind === 'postgres') {
      await restoreDatabase(temporal.databaseUrl, part('temporal'));
      await restoreDatabase(temporal.visibilityUrl, part('temporal_visibility'));
      log(
        `restored Temporal's databases ${databaseName(temporal.databaseUrl)} and ${databaseName(temporal.visibilityUrl)}`,
      );
    }
    return manifest;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
