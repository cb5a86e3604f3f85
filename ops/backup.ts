/**
 * Backup archives: the application database (`pg_dump` custom format) and Temporal's state (the dev
 * server's SQLite database copied with SQLite's online backup, or Temporal's PostgreSQL databases), in one
 * tar.gz with a manifest of versions and SHA-256 checksums. Used by `npm run backup`, `POST /api/backups`
 * and the scheduled backup activity; `ops/restore.ts` reads the archives back.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Client as PgClient } from 'pg';
import type { AppConfig, TemporalPersistence } from '../config/config';
import { libpqTlsEnv, pgClientConfig } from '../config/postgres-tls';

export const MANIFEST_FORMAT = 'oms-backup/1';
const ARCHIVE = /^oms-backup-[0-9TZ]+-[a-z0-9-]+\.tar\.gz$/;

export interface BackupPart {
  /** File name inside the archive. */
  file: string;
  /** What it restores: the application database, Temporal's persistence or visibility database. */
  role: 'app' | 'temporal' | 'temporal_visibility';
  format: 'pg_dump' | 'sqlite';
  bytes: number;
  sha256: string;
}

export interface BackupManifest {
  format: typeof MANIFEST_FORMAT;
  id: string;
  createdAt: string;
  /** What started it: `command`, `api:<username>`, or the schedule's workflow id. */
  trigger: string;
  app: { name: string; version: string; schema: string | null };
  postgres: { server: string; pgDump: string };
  temporal: { persistence: TemporalPersistence['kind']; server: string | null };
  parts: BackupPart[];
}

export interface BackupSummary {
  id: string;
  file: string;
  bytes: number;
  manifest: BackupManifest;
}

/** What a backup reads: the app database, Temporal's persistence, and where archives go. */
export interface BackupSources {
  databaseUrl: string;
  temporal: TemporalPersistence;
  dir: string;
}

/** The sources of this installation, from its configuration. */
export function backupSources(config: AppConfig): BackupSources {
  return { databaseUrl: config.databaseUrl, temporal: config.temporal.persistence, dir: config.backup.dir };
}

/** A backup or restore that cannot go on; the message says why and what to do. */
export class BackupError extends Error {}

/** Runs a program, resolving with its stdout; a failure carries its stderr. */
export function runTool(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  options: { maxBuffer?: number } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      // eslint-disable-next-line no-restricted-syntax -- hands the environment on to the tool; reads no setting
      { env: { ...process.env, ...env }, maxBuffer: options.maxBuffer ?? 64 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
        reject(
          new BackupError(
            missing
              ? `${command} is not installed (it is needed for backups and restores; install the PostgreSQL 15 client and sqlite3)`
              : `${command} failed: ${stderr.trim() || error.message}`,
          ),
        );
      },
    );
  });
}

/** libpq's environment for a connection string, so no password shows in the process list. */
export function libpqEnv(url: string): NodeJS.ProcessEnv {
  const parsed = new URL(url);
  return {
    PGHOST: parsed.hostname,
    PGPORT: parsed.port || '5432',
    PGUSER: decodeURIComponent(parsed.username),
    PGPASSWORD: decodeURIComponent(parsed.password),
    PGDATABASE: databaseName(url),
    ...libpqTlsEnv(url),
  };
}

/** The database a connection string names, refused unless it is a plain identifier. */
export function databaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    throw new BackupError(`database name "${name}" is not a plain identifier`);
  return name;
}

export async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The application's name and version from its package.json (found above this file in src and dist). */
export function appVersion(): { name: string; version: string } {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name: string; version: string };
      return { name: pkg.name, version: pkg.version };
    }
  }
  return { name: 'order-management-system', version: 'unknown' };
}

/** The major version of a PostgreSQL version string (`15.18 (Debian ...)` → 15). */
export function majorOf(version: string): number {
  return Number(/(\d+)/.exec(version)?.[1] ?? NaN);
}

async function pgDumpVersion(): Promise<string> {
  return (await runTool('pg_dump', ['--version'])).trim().replace(/^pg_dump \(PostgreSQL\) /, '');
}

async function serverFacts(url: string): Promise<{ server: string; schema: string | null }> {
  const client = new PgClient(pgClientConfig(url));
  await client.connect();
  try {
    const version = await client.query<{ server_version: string }>('show server_version');
    const schema = await client
      .query<{ name: string }>('select name from mikro_orm_migrations order by id desc limit 1')
      .then(
        (result) => result.rows[0]?.name ?? null,
        () => null,
      );
    return { server: version.rows[0]!.server_version, schema };
  } finally {
    await client.end();
  }
}

async function dumpDatabase(url: string, file: string): Promise<void> {
  await runTool('pg_dump', ['--format=custom', '--compress=6', `--file=${file}`], libpqEnv(url));
}

/** SQLite's online backup: a consistent copy while the Temporal dev server keeps writing. */
async function copySqlite(source: string, file: string): Promise<void> {
  if (!existsSync(source))
    throw new BackupError(`Temporal's database ${source} does not exist (has the dev server run here?)`);
  await runTool('sqlite3', ['-bail', source, '.timeout 10000', `.backup '${file.replace(/'/g, "''")}'`]);
  const check = (await runTool('sqlite3', [file, 'pragma quick_check;'])).trim();
  if (check !== 'ok') throw new BackupError(`the copy of ${source} failed SQLite's check: ${check}`);
}

function archiveName(at: Date, label: string): string {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `oms-backup-${stamp}-${label}.tar.gz`;
}

/**
 * Writes one archive into `sources.dir` and returns it. The archive appears under its final name only
 * when complete. With a `label` (the scheduled workflow's), an archive already made under it is returned
 * instead of a second one, so a retried activity makes one backup.
 */
export async function createBackup(
  sources: BackupSources,
  options: { trigger: string; temporalServer: string | null; label?: string; at?: Date },
): Promise<BackupSummary> {
  await mkdir(sources.dir, { recursive: true, mode: 0o700 });
  if (options.label) {
    const existing = (await listBackups(sources.dir)).find((backup) =>
      backup.id.endsWith(`-${options.label}`),
    );
    if (existing) return existing;
  }
  const at = options.at ?? new Date();
  const label = options.label ?? randomBytes(4).toString('hex');
  if (!/^[a-z0-9-]+$/.test(label)) throw new BackupError(`backup label "${label}" is not [a-z0-9-]`);
  const name = archiveName(at, label);
  const work = await mkdtemp(path.join(sources.dir, '.partial-'));
  try {
    const parts: BackupPart[] = [];
    const add = async (file: string, role: BackupPart['role'], format: BackupPart['format']) => {
      const full = path.join(work, file);
      parts.push({ file, role, format, bytes: (await stat(full)).size, sha256: await sha256Of(full) });
    };
    const facts = await serverFacts(sources.databaseUrl);
    await dumpDatabase(sources.databaseUrl, path.join(work, 'app.dump'));
    await add('app.dump', 'app', 'pg_dump');
    const temporal = sources.temporal;
    if (temporal.kind === 'sqlite') {
      await copySqlite(temporal.file, path.join(work, 'temporal.db'));
      await add('temporal.db', 'temporal', 'sqlite');
    } else if (temporal.kind === 'postgres') {
      await dumpDatabase(temporal.databaseUrl, path.join(work, 'temporal.dump'));
      await add('temporal.dump', 'temporal', 'pg_dump');
      await dumpDatabase(temporal.visibilityUrl, path.join(work, 'temporal_visibility.dump'));
      await add('temporal_visibility.dump', 'temporal_visibility', 'pg_dump');
    }
    const manifest: BackupManifest = {
      format: MANIFEST_FORMAT,
      id: name.replace(/\.tar\.gz$/, ''),
      createdAt: at.toISOString(),
      trigger: options.trigger,
      app: { ...appVersion(), schema: facts.schema },
      postgres: { server: facts.server, pgDump: await pgDumpVersion() },
      temporal: { persistence: temporal.kind, server: options.temporalServer },
      parts,
    };
    await writeFile(path.join(work, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    const partial = path.join(work, name);
    // The manifest first, so listing reads it without unpacking the dumps.
    await runTool('tar', ['-czf', partial, '-C', work, 'manifest.json', ...parts.map((part) => part.file)]);
    const file = path.join(sources.dir, name);
    await rename(partial, file);
    return { id: manifest.id, file, bytes: (await stat(file)).size, manifest };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Reads the manifest of one archive without unpacking the rest. */
export async function readManifest(file: string): Promise<BackupManifest> {
  let text: string;
  try {
    text = await runTool('tar', ['-xzOf', file, '--occurrence=1', 'manifest.json']);
  } catch (error) {
    throw new BackupError(
      `${file} is not a readable backup archive (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  try {
    return JSON.parse(text) as BackupManifest;
  } catch {
    throw new BackupError(`${file}: its manifest.json is not valid JSON`);
  }
}

/** The archives in a folder, newest first; unreadable files are skipped. */
export async function listBackups(dir: string): Promise<BackupSummary[]> {
  const names = existsSync(dir) ? (await readdir(dir)).filter((name) => ARCHIVE.test(name)) : [];
  const found: BackupSummary[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    try {
      const manifest = await readManifest(file);
      found.push({ id: manifest.id, file, bytes: (await stat(file)).size, manifest });
    } catch {
      // A foreign or damaged file is not a backup to list; restore says what is wrong with it.
    }
  }
  return found.sort((a, b) => b.manifest.createdAt.localeCompare(a.manifest.createdAt));
}

/** Deletes all but the newest `keep` archives; returns the deleted files. */
export async function pruneBackups(dir: string, keep: number): Promise<string[]> {
  const old = (await listBackups(dir)).slice(keep);
  for (const backup of old) await rm(backup.file, { force: true });
  return old.map((backup) => backup.file);
}
