/**
 * Starts the real backing services once for the whole integration run: an embedded PostgreSQL and the Temporal CLI dev server with the product's search attributes. Also bundles
 * the workflow code once, so each test's workers start in milliseconds. (Migrations run in each test
 * file: MikroORM keeps its metadata in a global that must not be shared across jest's realms.)
 */
import { DefaultLogger, Runtime, bundleWorkflowCode } from '@temporalio/worker';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../db/embedded-postgres';
import { siblingDatabaseUrl } from '../../config/config';
import { startTemporalOnPostgres } from '../../scripts/temporal-postgres';
import { startTemporalDevServer } from '../../scripts/temporal-server';
import { WORKFLOW_INTERCEPTOR_MODULES } from '../../worker/observability';
import { freePort } from './ports';
import { keepForTeardown } from './services';

export default async function globalSetup(): Promise<void> {
  // Test output shows warnings and errors from the SDK, not every worker state change.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'oms-test-'));
  const pg = await startEmbeddedPostgres({ dataDir, port: await freePort() });
  // OMS_TEST_TEMPORAL=postgres runs the suite against the Temporal server on PostgreSQL (production's shape).
  const temporal =
    process.env.OMS_TEST_TEMPORAL === 'postgres'
      ? await startTemporalOnPostgres({
          dir: path.join(dataDir, 'temporal-server'),
          port: await freePort(),
          namespace: 'default',
          databaseUrl: siblingDatabaseUrl(pg.url, 'temporal'),
          visibilityUrl: siblingDatabaseUrl(pg.url, 'temporal_visibility'),
          serverBinary: process.env.OMS_TEMPORAL_SERVER_BIN,
          sqlToolBinary: process.env.OMS_TEMPORAL_SQL_TOOL_BIN,
        }).then((server) => ({ address: server.address, teardown: () => server.stop() }))
      : await startTemporalDevServer({ port: await freePort(), binary: process.env.OMS_TEMPORAL_BIN });
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
    logger: { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} },
  });
  const bundlePath = path.join(dataDir, 'workflow-bundle.js');
  writeFileSync(bundlePath, code);

  process.env.OMS_TEST_DATA_DIR = dataDir;
  process.env.OMS_TEST_DATABASE_URL = pg.url;
  process.env.OMS_TEST_TEMPORAL_ADDRESS = temporal.address;
  process.env.OMS_TEST_WORKFLOW_BUNDLE = bundlePath;
  keepForTeardown({ stop: async () => (await temporal.teardown(), await pg.stop()) });
}
