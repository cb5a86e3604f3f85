/**
 * Starts the real backing services once for the whole integration run: an embedded PostgreSQL and the Temporal CLI dev server with the product's search attributes. Also bundles
 * the workflow code once, so each test's workers start in milliseconds. (Migrations run in each test
 * file: MikroORM keeps its metadata in a global that must not be shared across jest's realms.)
 *
 * A CA is made for each run (OMS_TEST_CERTIFICATES), and a second PostgreSQL that serves TLS only with a
 * certificate from it (OMS_TEST_TLS_DATABASE_URL) stands in for a managed one. With OMS_TEST_TEMPORAL=postgres
 * (production's shape) the suite reaches Temporal only through an endpoint that requires TLS and a client
 * certificate from that CA (OMS_TEST_TEMPORAL_TLS=1 does the same in front of the dev server).
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../db/embedded-postgres';
import { siblingDatabaseUrl } from '../../config/config';
import { startTemporalOnPostgres } from '../../scripts/temporal-postgres';
import { startTemporalDevServer } from '../../scripts/temporal-server';
import { bundleWorkflows } from '../../worker/workflow-bundle';
import { appDatabaseUrl } from './app-role';
import { startMutualTlsProxy } from './haproxy';
import { makeTestCertificates, type TestCertificates } from './tls';
import { freePort } from './ports';
import { makeRunDir } from './scratch';
import { keepForTeardown, servicesStarted } from './services';

export default async function globalSetup(): Promise<void> {
  if (servicesStarted()) return;
  // Test output shows warnings and errors from the SDK, not every worker state change.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  // The services' data lives in the run's folder, beside the tests' own (test/support/scratch.ts).
  const dataDir = makeRunDir();
  const pg = await startEmbeddedPostgres({ dataDir, port: await freePort() });
  const certificates = makeTestCertificates(path.join(dataDir, 'tls'));
  const securedPg = await startEmbeddedPostgres({
    dataDir: path.join(dataDir, 'secured'),
    port: await freePort(),
    tls: { cert: certificates.server.cert, key: certificates.server.key, ca: certificates.ca },
  });
  // OMS_TEST_TEMPORAL=postgres runs the suite against the Temporal server on PostgreSQL (production's shape).
  const temporal =
    process.env.OMS_TEST_TEMPORAL === 'postgres'
      ? await startTemporalOnPostgres({
          dir: path.join(dataDir, 'temporal-server'),
          namespace: 'default',
          databaseUrl: siblingDatabaseUrl(pg.url, 'temporal'),
          visibilityUrl: siblingDatabaseUrl(pg.url, 'temporal_visibility'),
          serverBinary: process.env.OMS_TEMPORAL_SERVER_BIN,
          sqlToolBinary: process.env.OMS_TEMPORAL_SQL_TOOL_BIN,
        }).then((server) => ({ address: server.address, teardown: () => server.stop() }))
      : await startTemporalDevServer({ port: await freePort(), binary: process.env.OMS_TEMPORAL_BIN });
  const secured =
    process.env.OMS_TEST_TEMPORAL === 'postgres' || process.env.OMS_TEST_TEMPORAL_TLS === '1'
      ? await securedEndpoint(temporal.address, certificates)
      : null;
  const code = await bundleWorkflows();
  const bundlePath = path.join(dataDir, 'workflow-bundle.js');
  writeFileSync(bundlePath, code);
  // With the tracing interceptors too, for the replay of the recorded histories by a worker that traces.
  const tracedBundlePath = path.join(dataDir, 'workflow-bundle.traced.js');
  writeFileSync(tracedBundlePath, await bundleWorkflows(console, true));

  process.env.OMS_TEST_DATA_DIR = dataDir;
  process.env.OMS_TEST_DATABASE_URL = pg.url;
  process.env.OMS_TEST_TEMPORAL_ADDRESS = secured?.address ?? temporal.address;
  process.env.OMS_TEST_TEMPORAL_TLS_ENV = JSON.stringify(secured?.env ?? {});
  // The frontend itself, for tests that put an endpoint of their own in front of it.
  process.env.OMS_TEST_TEMPORAL_PLAIN_ADDRESS = temporal.address;
  process.env.OMS_TEST_CERTIFICATES = JSON.stringify(certificates);
  process.env.OMS_TEST_TLS_DATABASE_URL = securedPg.url;
  process.env.OMS_TEST_WORKFLOW_BUNDLE = bundlePath;
  process.env.OMS_TEST_TRACED_WORKFLOW_BUNDLE = tracedBundlePath;
  // OMS_TEST_WORKERS=2 adds a worker process (the compiled one) beside each test's own worker, so tasks
  // are shared between two workers as in production. Tests that inject failures into their own worker
  // may then see the other one take the task.
  const extraWorker =
    process.env.OMS_TEST_WORKERS === '2'
      ? await startWorkerProcess(dataDir, pg.url, {
          TEMPORAL_ADDRESS: secured?.address ?? temporal.address,
          ...secured?.env,
        })
      : null;
  keepForTeardown({
    stop: async () => (
      await extraWorker?.stop(),
      await secured?.stop(),
      await temporal.teardown(),
      await securedPg.stop(),
      await pg.stop()
    ),
  });
}

/** haproxy with the run's test CA in front of the frontend; the TEMPORAL_TLS_* variables that reach it. */
async function securedEndpoint(frontend: string, certificates: TestCertificates) {
  const proxy = await startMutualTlsProxy(frontend, certificates);
  return {
    address: proxy.address,
    env: {
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: certificates.ca,
      TEMPORAL_TLS_SERVER_NAME: 'localhost',
      TEMPORAL_TLS_CLIENT_CERT_PATH: certificates.client.cert,
      TEMPORAL_TLS_CLIENT_KEY_PATH: certificates.client.key,
    },
    stop: () => proxy.stop(),
  };
}

/** The compiled worker as `npm start` runs it: after the migrations, as the application's role. */
async function startWorkerProcess(dataDir: string, ownerUrl: string, temporalEnv: Record<string, string>) {
  const dist = path.join(__dirname, '..', '..', 'dist');
  const databaseUrl = appDatabaseUrl(ownerUrl);
  const migrate = spawn(process.execPath, [path.join(dist, 'db', 'migrate.js')], {
    env: { PATH: process.env.PATH, DATABASE_URL: databaseUrl, DATABASE_OWNER_URL: ownerUrl },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const migrated = await new Promise<number | null>((resolve) => migrate.once('exit', resolve));
  if (migrated !== 0) throw new Error(`dist/db/migrate.js exited with ${migrated}: run npm run build first`);
  const child = spawn(process.execPath, [path.join(dist, 'worker', 'main.js')], {
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: databaseUrl,
      ...temporalEnv,
      OMS_DATA_DIR: dataDir,
      OMS_WORKER_PORT: String(await freePort()),
      OMS_WORKER_SDK_METRICS_PORT: String(await freePort()),
      OMS_LOG_LEVEL: 'warn',
      OMS_LOG_FORMAT: 'json',
      // Its outbox dispatcher may take over webhook destinations of any test (there is no SMTP server here,
      // so it leaves e-mail alone): it must reach the tests' receivers like their own workers do.
      OMS_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { stop: async () => (child.kill('SIGTERM'), await exited) };
}
