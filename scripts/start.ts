/**
 * `npm start`: the whole product on embedded defaults. PostgreSQL, the Temporal dev server, the worker and
 * the API run as separate processes; Ctrl-C stops them all, in reverse order. A worker or API that dies is
 * restarted with backoff; PostgreSQL and the Temporal dev server are watched and restarted on their data,
 * and the launcher stops everything only when one of them cannot be brought back.
 */
import { Runtime } from '@temporalio/worker';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { loadConfig } from '../config/config';
import { startEmbeddedPostgres } from '../db/embedded-postgres';
import { migrateUp } from '../db/migrate';
import { checkTemporal } from '../ops/temporal-connection';
import { lockDataDir } from './data-dir-lock';
import { launchPorts, portClash, workerPorts } from './launch-ports';
import { keepClear } from './ports';
import { startTemporalOnPostgres } from './temporal-postgres';
import { portAnswers, superviseProcess, watchService, type WatchedService } from './supervisor';
import { startTemporalDevServer } from './temporal-server';

type Stop = () => Promise<void> | void;

const say = (line: string) => console.log(`[oms] ${line}`);

/** Runs a compiled entry point as its own process, prefixing its output with its name. */
function runProcess(name: string, entry: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, [path.join(__dirname, '..', entry)], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = (chunk: Buffer) =>
    chunk
      .toString()
      .split('\n')
      .filter(Boolean)
      .map((line) => `[${name}] ${line}\n`)
      .join('');
  child.stdout?.on('data', (chunk: Buffer) => process.stdout.write(prefix(chunk)));
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(prefix(chunk)));
  return child;
}

async function waitForHealth(
  name: string,
  url: string,
  child: () => ChildProcess,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child().exitCode !== null)
      throw new Error(`the ${name} exited during start-up (see its output above)`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the ${name} did not become healthy at ${url} within ${timeoutMs / 1000}s`);
}

async function run(): Promise<void> {
  let config = loadConfig();
  const stops: Stop[] = [];
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping...');
    // Some of the SDK's native shutdown work does not hold the event loop open; this does.
    setInterval(() => undefined, 1000);
    for (const stop of stops.reverse()) {
      try {
        await stop();
      } catch (error) {
        console.error(error);
      }
    }
    say('stopped');
    process.exit(code);
  };
  // The outer process asks for the stop over IPC, and a vanished outer process means stop as well.
  process.on('message', (message) => message === 'stop' && void shutdown(0));
  process.on('disconnect', () => void shutdown(0));
  // A signal sent to this process itself (`kill <pid>`, a service manager) stops everything in order too.
  // embedded-postgres's exit hook, loaded with it, listens for them as well: it stopped PostgreSQL at once
  // and exited, which left the Temporal dev server running. So its signal listeners are replaced once it is
  // loaded; its hook still stops PostgreSQL if this process exits otherwise.
  const stopOnSignals = () => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.removeAllListeners(signal);
      process.on(signal, () => void shutdown(0));
    }
  };
  stopOnSignals();

  try {
    // Two settings giving one port would end in a process failing to listen, its cause buried in its output.
    const ports = launchPorts(config);
    const clash = portClash(ports);
    if (clash) throw new Error(clash);
    // The Temporal server on PostgreSQL draws its other ports: none of these, which are bound later.
    keepClear(ports.map(({ port }) => port));
    stops.push(lockDataDir(config.dataDir));
    const watchers: WatchedService[] = [];

    const { embeddedPostgres } = config;
    if (embeddedPostgres) {
      say(`starting PostgreSQL on 127.0.0.1:${embeddedPostgres.port} (data in ${config.dataDir}/postgres)`);
      const pg = await startEmbeddedPostgres({ dataDir: config.dataDir, port: embeddedPostgres.port });
      stops.push(() => pg.stop());
      stopOnSignals();
      say(`PostgreSQL runs as pid ${pg.pid()}`);
      watchers.push({
        name: 'PostgreSQL',
        alive: () => portAnswers(embeddedPostgres.port),
        restart: async () => {
          await pg.restart();
          say(`PostgreSQL runs as pid ${pg.pid()}`);
        },
      });
      // Its passwords exist now (generated at its first start): the connection strings carry them.
      config = loadConfig();
    }
    const { databaseUrl, temporal } = config;
    const applied = await migrateUp(config.databaseOwnerUrl, databaseUrl);
    say(applied.length ? `applied migrations: ${applied.join(', ')}` : 'database schema is up to date');

    if (!temporal.devServer) {
      // An external Temporal: refused certificates, credentials or a missing namespace stop here, plainly.
      say(`Temporal at ${temporal.address}, namespace ${temporal.namespace} (${temporal.connection.source})`);
      const unreachable = await checkTemporal(temporal);
      if (unreachable) say(`${unreachable}; the worker and the API keep trying`);
    } else if (temporal.mode === 'postgres') {
      const persistence = temporal.persistence;
      if (persistence.kind !== 'postgres') throw new Error('OMS_TEMPORAL=postgres needs Temporal databases');
      say(
        `starting the Temporal server ${'on PostgreSQL'} on ${temporal.address} (databases temporal, temporal_visibility)`,
      );
      const server = await startTemporalOnPostgres({
        dir: path.join(config.dataDir, 'temporal-server'),
        port: temporal.devServer.port,
        namespace: temporal.namespace,
        databaseUrl: persistence.databaseUrl,
        visibilityUrl: persistence.visibilityUrl,
        serverBinary: temporal.serverBinary,
        sqlToolBinary: temporal.sqlToolBinary,
        log: say,
      });
      stops.push(() => server.stop());
    } else {
      say(`starting the Temporal dev server on ${temporal.address} (data in ${config.dataDir}/temporal.db)`);
      const devServer = temporal.devServer;
      const startServer = () =>
        startTemporalDevServer({
          binary: temporal.binary,
          dbFilename: path.join(config.dataDir, 'temporal.db'),
          port: devServer.port,
          uiPort: devServer.uiPort,
          namespace: temporal.namespace,
          install: true,
        });
      let server = await startServer();
      stops.push(() => server.teardown());
      watchers.push({
        name: 'the Temporal dev server',
        alive: () => portAnswers(devServer.port),
        restart: async () => {
          // What is left of a server that died: the SDK's handle to it, which may not answer any more.
          await Promise.race([
            server.teardown().catch(() => undefined),
            new Promise((resolve) => setTimeout(resolve, 10_000)),
          ]);
          server = await startServer();
        },
      });
    }

    // The children read the same settings; they find the embedded services from the same ports.
    // With Temporal on PostgreSQL, the workers' backups dump Temporal's databases, which only the owner reads.
    const env = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      ...(temporal.persistence.kind === 'postgres' ? { DATABASE_OWNER_URL: config.databaseOwnerUrl } : {}),
    };
    const children: [string, () => ChildProcess, string | null][] = [];
    const supervise = (name: string, entry: string, childEnv: NodeJS.ProcessEnv) => {
      const supervised = superviseProcess(name, () => runProcess(name, entry, childEnv), say);
      stops.push(() => supervised.stop());
      say(`started the ${name} (pid ${supervised.current().pid})`);
      return () => supervised.current();
    };
    for (let index = 0; index < config.worker.processes; index++) {
      const name = config.worker.processes === 1 ? 'worker' : `worker-${index + 1}`;
      const { http, sdkMetrics } = workerPorts(config.worker, index);
      const worker = supervise(name, 'worker/main.js', {
        ...env,
        OMS_WORKER_PORT: http ? String(http.port) : 'off',
        OMS_WORKER_SDK_METRICS_PORT: String(sdkMetrics),
      });
      children.push([name, worker, http ? `http://${http.host}:${http.port}` : null]);
    }
    const api = supervise('API', 'api/main.js', env);
    children.push(['API', api, `http://${config.api.host}:${config.api.port}`]);
    // Ready when the API answers /health and every worker polls (its own /health).
    for (const [name, child, url] of children) {
      if (url) await waitForHealth(name, `${url}/health`, child, 120_000);
    }
    // From now on a dependency that stops answering is restarted; one that cannot be brought back stops all.
    for (const service of watchers) {
      const unwatch = watchService(service, {
        log: say,
        giveUp: (reason) => {
          console.error(`[oms] ${reason}; stopping everything`);
          void shutdown(1);
        },
      });
      stops.push(unwatch);
    }

    const apiUrl = `http://${config.api.host}:${config.api.port}`;
    say('ready:');
    say(
      `  console      ${apiUrl}/   (user admin; its first password: ${path.join(config.dataDir, 'admin-password')})`,
    );
    say(`  API          ${apiUrl}/api   (OpenAPI: ${apiUrl}/api/docs)`);
    say(`  health       ${apiUrl}/health   metrics ${apiUrl}/metrics`);
    for (const [name, , url] of children.filter(([, , url]) => url && !url.startsWith(apiUrl)))
      say(`  ${name.padEnd(12)} ${url}/health   metrics ${url}/metrics`);
    if (temporal.devServer && temporal.mode === 'dev')
      say(`  Temporal UI  http://127.0.0.1:${temporal.devServer.uiPort}`);
    say(`  Temporal     ${temporal.address}`);
    say(`  PostgreSQL   ${databaseUrl.replace(/\/\/[^@]*@/, '//')}`);
    say('press Ctrl-C to stop');
  } catch (error) {
    console.error(`[oms] ${error instanceof Error ? error.message : String(error)}`);
    await shutdown(1);
  }
}

/**
 * Ctrl-C in a terminal signals the whole process group, which would stop PostgreSQL and Temporal before
 * the worker and API have drained. So the launcher runs in a process group of its own, and this outer
 * process only passes the request on: the launcher then stops everything in order.
 */
function supervise(): void {
  const launcher = spawn(process.execPath, [__filename], {
    detached: true,
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, OMS_LAUNCHER_CHILD: '1' },
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => launcher.send('stop'));
  launcher.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

if (process.env.OMS_LAUNCHER_CHILD) {
  // The launcher handles signals itself; the SDK must not shut down its runtime on them.
  Runtime.install({ shutdownSignals: [] });
  run().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} else {
  supervise();
}
