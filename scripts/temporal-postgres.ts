/**
 * The production shape of Temporal, run here: the Temporal server (built from Go modules, the same
 * release as docker-compose's image) on PostgreSQL, its schema set up and upgraded with Temporal's own SQL
 * tool. `npm start` uses it with OMS_TEMPORAL=postgres; the integration suite can run against it too.
 */
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { temporalSqlTls, temporalSqlToolTlsFlags } from '../config/postgres-tls';
import { databaseName, libpqEnv } from '../ops/backup';
import { freePort } from './ports';
import { ORDER_AWAITING_KEY, ORDER_STATUS_KEY } from '../workflows/order.definitions';

const KEYWORD = 2; // temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD

/** The Temporal server release; docker-compose.yml runs the image of the same version. */
export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
const MODULE = 'go.temporal.io/server';

export interface TemporalPostgresOptions {
  /** Where the server's config and log go. */
  dir: string;
  /**
   * gRPC port of the frontend (what clients and workers dial). When absent, one is drawn like the server's
   * internal ports, and drawn again if another process takes it before the server binds it.
   */
  port?: number;
  namespace: string;
  /** Temporal's two databases, on one PostgreSQL server whose user may create databases. */
  databaseUrl: string;
  visibilityUrl: string;
  serverBinary?: string | undefined;
  sqlToolBinary?: string | undefined;
  log?: (line: string) => void;
  /** Where the ports the server binds come from (a test hands out a taken one). */
  freePort?: () => Promise<number>;
}

export interface TemporalPostgresHandle {
  address: string;
  stop(): Promise<void>;
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function go(args: string[], env: NodeJS.ProcessEnv = {}): string {
  return execFileSync('go', args, { encoding: 'utf8', env: { ...process.env, ...env } }).trim();
}

/**
 * A binary of the Temporal server module: the explicit path, else the cache folder, built there with
 * `go install` when absent (each in its own GOBIN: both packages are `main`s with generic names).
 */
function temporalBinary(
  explicit: string | undefined,
  pkg: string,
  name: string,
  log: (line: string) => void,
): string {
  if (explicit) {
    if (!executable(explicit)) throw new Error(`${explicit} is not an executable file`);
    return explicit;
  }
  const gobin = path.join(homedir(), '.cache', 'oms', `temporal-${name}`);
  const binary = path.join(gobin, path.basename(pkg));
  if (executable(binary)) return binary;
  log(
    `building ${MODULE}/${pkg}@${TEMPORAL_SERVER_VERSION} with go install (the server takes a few minutes once)...`,
  );
  go(['install', `${MODULE}/${pkg}@${TEMPORAL_SERVER_VERSION}`], { GOBIN: gobin });
  return binary;
}

/** The schema files shipped in the server module (present in the module cache after the build). */
function schemaDir(kind: 'temporal' | 'visibility'): string {
  const modCache = go(['env', 'GOMODCACHE']);
  return path.join(
    modCache,
    `${MODULE}@${TEMPORAL_SERVER_VERSION}`,
    'schema',
    'postgresql',
    'v12',
    kind,
    'versioned',
  );
}

/** Creates the database if missing and brings its schema to the release's version (idempotent). */
function setUpSchema(tool: string, url: string, kind: 'temporal' | 'visibility'): void {
  const pg = libpqEnv(url);
  const common = [
    '--plugin',
    'postgres12',
    '--ep',
    pg.PGHOST!,
    '--port',
    pg.PGPORT!,
    '--user',
    pg.PGUSER!,
    '--db',
    databaseName(url),
    ...temporalSqlToolTlsFlags(url),
  ];
  // The password goes by environment (SQL_PASSWORD), not the process list.
  const env = { ...process.env, SQL_PASSWORD: pg.PGPASSWORD };
  const run = (args: string[]) =>
    execFileSync(tool, [...common, ...args], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    run(['create-database']);
  } catch (error) {
    if (!String((error as { stderr?: string }).stderr).includes('already exists')) throw error;
  }
  // setup-schema -v 0.0 creates the version table only when absent; update-schema applies what is missing.
  run(['setup-schema', '-v', '0.0']);
  run(['update-schema', '-d', schemaDir(kind)]);
}

function serverConfig(options: TemporalPostgresOptions, ports: Record<PortName, number>): string {
  const store = (url: string) => {
    const pg = libpqEnv(url);
    return {
      sql: {
        pluginName: 'postgres12',
        databaseName: databaseName(url),
        connectAddr: `${pg.PGHOST}:${pg.PGPORT}`,
        connectProtocol: 'tcp',
        user: pg.PGUSER,
        password: pg.PGPASSWORD,
        maxConns: 20,
        maxIdleConns: 20,
        maxConnLifetime: '1h',
        ...(temporalSqlTls(url) ? { tls: temporalSqlTls(url) } : {}),
      },
    };
  };
  const service = (grpc: number, membership: number, http?: number) => ({
    rpc: {
      grpcPort: grpc,
      membershipPort: membership,
      bindOnLocalHost: true,
      ...(http ? { httpPort: http } : {}),
    },
  });
  // JSON is YAML; the server reads either.
  return JSON.stringify(
    {
      log: { stdout: true, level: 'warn' },
      persistence: {
        defaultStore: 'default',
        visibilityStore: 'visibility',
        numHistoryShards: 4,
        datastores: { default: store(options.databaseUrl), visibility: store(options.visibilityUrl) },
      },
      global: { membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' } },
      services: {
        frontend: service(ports.frontend, ports.frontendMembership, ports.frontendHttp),
        history: service(ports.history, ports.historyMembership),
        matching: service(ports.matching, ports.matchingMembership),
        worker: service(ports.worker, ports.workerMembership),
      },
      clusterMetadata: {
        enableGlobalNamespace: false,
        failoverVersionIncrement: 10,
        masterClusterName: 'active',
        currentClusterName: 'active',
        clusterInformation: {
          active: {
            enabled: true,
            initialFailoverVersion: 1,
            rpcName: 'frontend',
            rpcAddress: `127.0.0.1:${ports.frontend}`,
            httpAddress: `127.0.0.1:${ports.frontendHttp}`,
          },
        },
      },
      dcRedirectionPolicy: { policy: 'noop' },
      archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } },
      namespaceDefaults: { archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } } },
      dynamicConfigClient: { filepath: path.join(options.dir, 'dynamicconfig.yaml'), pollInterval: '10s' },
    },
    null,
    2,
  );
}

/** Same settings as the auto-setup image's development config: updates, update-with-start, fresh attributes. */
const DYNAMIC_CONFIG = `frontend.enableUpdateWorkflowExecution:
  - value: true
frontend.enableExecuteMultiOperation:
  - value: true
system.forceSearchAttributesCacheRefreshOnRead:
  - value: true
`;

async function waitForFrontend(
  address: string,
  child: ChildProcess,
  output: () => string,
): Promise<Connection> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the Temporal server exited during start-up:\n${output()}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: '2s' });
      await connection.workflowService.getSystemInfo({});
      return connection;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`the Temporal server did not answer on ${address}: ${String(error)}\n${output()}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

/**
 * Registers the namespace unless it exists (the server starts with none but its system namespace), and the
 * product's search attributes, as the dev server does at its start.
 */
async function ensureNamespace(connection: Connection, namespace: string): Promise<void> {
  try {
    await connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs('7 days'),
    });
  } catch (error) {
    if (!/already exists|AlreadyExists/i.test(String(error))) throw error;
  }
  // Registration reaches the frontend's namespace cache within seconds.
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await connection.workflowService.describeNamespace({ namespace });
      break;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = [ORDER_STATUS_KEY.name, ORDER_AWAITING_KEY.name].filter(
    (name) => !customAttributes?.[name],
  );
  if (missing.length > 0)
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((name) => [name, KEYWORD])),
    });
}

const PORT_NAMES = [
  'frontend',
  'frontendMembership',
  'frontendHttp',
  'history',
  'historyMembership',
  'matching',
  'matchingMembership',
  'worker',
  'workerMembership',
] as const;
type PortName = (typeof PORT_NAMES)[number];

/** How often a start whose port another process took meanwhile is tried again on newly drawn ports. */
const PORT_ATTEMPTS = 3;

/** The port a failed start could not bind, if that is why it failed. */
function portTaken(error: unknown): number | null {
  const match = /listen tcp [\d.]+:(\d+): bind: address already in use/.exec(String(error));
  return match ? Number(match[1]) : null;
}

/** Sets up the schema, starts the server on loopback, and registers the namespace. */
export async function startTemporalOnPostgres(
  options: TemporalPostgresOptions,
): Promise<TemporalPostgresHandle> {
  const log = options.log ?? (() => undefined);
  const server = temporalBinary(options.serverBinary, 'cmd/server', 'server', log);
  const sqlTool = temporalBinary(options.sqlToolBinary, 'cmd/tools/sql', 'sql-tool', log);
  setUpSchema(sqlTool, options.databaseUrl, 'temporal');
  setUpSchema(sqlTool, options.visibilityUrl, 'visibility');
  // The ports are free when drawn, not reserved: another process may bind one before the server does (the
  // fresh-clone runs side by side lost this race). The server then exits at once, and is started again on
  // new ones; a port the caller chose is theirs to free. (freePort draws below 32768, as Temporal keeps
  // membership ports in a smallint column.)
  const draw = options.freePort ?? freePort;
  for (let attempt = 1; ; attempt++) {
    const ports = {} as Record<PortName, number>;
    const drawn = new Set<number>(options.port ? [options.port] : []);
    for (const name of PORT_NAMES) {
      if (name === 'frontend' && options.port) {
        ports[name] = options.port;
        continue;
      }
      let port = await draw();
      while (drawn.has(port)) port = await draw();
      drawn.add(port);
      ports[name] = port;
    }
    try {
      return await startOnPorts(server, options, ports);
    } catch (error) {
      const taken = portTaken(error);
      if (taken === null || taken === options.port || attempt >= PORT_ATTEMPTS) throw error;
      log(`port ${taken} was taken before the Temporal server bound it; starting it on other ports`);
    }
  }
}

async function startOnPorts(
  server: string,
  options: TemporalPostgresOptions,
  ports: Record<PortName, number>,
): Promise<TemporalPostgresHandle> {
  const configDir = path.join(options.dir, 'config');
  mkdirSync(configDir, { recursive: true, mode: 0o700 });
  writeFileSync(path.join(configDir, 'production.yaml'), serverConfig(options, ports), { mode: 0o600 });
  writeFileSync(path.join(options.dir, 'dynamicconfig.yaml'), DYNAMIC_CONFIG);

  let output = '';
  const child = spawn(
    server,
    ['--root', options.dir, '--config', 'config', '--env', 'production', '--allow-no-auth', 'start'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const address = `127.0.0.1:${ports.frontend}`;
  const connection = await waitForFrontend(address, child, () => output).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  try {
    await ensureNamespace(connection, options.namespace);
  } finally {
    await connection.close();
  }
  return {
    address,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
