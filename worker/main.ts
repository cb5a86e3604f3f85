// First: tracing wraps pg as it loads.
import { tracing } from './tracing';
import { MikroORM } from '@mikro-orm/postgresql';
import { Client } from '@temporalio/client';
import { Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import { STAGE_DURATION_BUCKETS } from '../activities/order.activities';
import { loadConfig } from '../config/config';
import { ormConfig } from '../db/mikro-orm.config';
import { checkPostgresTls } from '../db/postgres-check';
import { backupSources } from '../ops/backup';
import { createLogger } from '../ops/logger';
import { describeStartupFailure } from '../ops/startup-failure';
import { connectClient, connectNative } from '../ops/temporal-connection';
import { temporalLogger } from '../ops/temporal-logger';
import { ensureBackupSchedule } from './backup-schedule';
import { createDeliveryWorker, DELIVERY_DB_POOL } from './delivery-worker';
import { ensureDigestSchedule } from './digest-schedule';
import { startWorkerHttp } from './health-server';
import type { WorkerActivity } from './observability';
import { ensureSearchAttributes } from './search-attributes';
import { archiveSealKeys, commandKeys } from '../config/keys';
import { trackingKey, trackingUrl } from '../config/tracking-link';
import { createOrderWorker } from './worker';
import { prebuiltWorkflowBundle } from './workflow-bundle';
import { closableRetries } from '../ops/temporal-retries';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';

/**
 * Runs one worker process until SIGINT/SIGTERM: then it stops polling, lets in-flight tasks finish (up to
 * OMS_SHUTDOWN_GRACE_MS, after which activities are cancelled and their tasks go back to Temporal), and
 * closes its connections.
 */
async function run(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config, 'worker');
  const sdkMetrics = `127.0.0.1:${config.worker.sdkMetricsPort}`;
  // Before any connection: the SDK's runtime carries the logger and the Prometheus exporter.
  Runtime.install({
    logger: temporalLogger(logger),
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} },
      metrics: {
        prometheus: {
          bindAddress: sdkMetrics,
          useSecondsForDurations: true,
          histogramBucketOverrides: { oms_order_stage_duration: STAGE_DURATION_BUCKETS },
        },
      },
    },
  });
  await checkPostgresTls(config.databaseUrl, 'DATABASE_URL');
  const orm = await MikroORM.init(
    ormConfig(config.databaseUrl, { pool: { min: 0, max: config.worker.dbPoolSize } }),
  );
  // The deliveries' own pool: a backlog being sent never waits for, nor holds, the orders' connections.
  const deliveryOrm = await MikroORM.init(
    ormConfig(config.databaseUrl, { pool: { min: 0, max: DELIVERY_DB_POOL } }),
  );
  // Refused certificates, a missing namespace or refused credentials end the start here, with the reason.
  const connection = await connectNative(config.temporal);
  const retries = closableRetries();
  const clientConnection = await connectClient(config.temporal, { interceptors: [retries.interceptor] });
  const client = new Client({
    connection: clientConnection,
    namespace: config.temporal.namespace,
    // Activities start deliveries and signal orders through it: with tracing, inside the activity's trace.
    interceptors: { workflow: tracing ? [new OpenTelemetryWorkflowClientInterceptor()] : [] },
  });
  try {
    await ensureSearchAttributes(connection, config.temporal.namespace);
    await ensureBackupSchedule(client, config.backup, config.temporal.taskQueue);
    await ensureDigestSchedule(client, config.notifications.digest, config.temporal.taskQueue);
    const activity: WorkerActivity = { lastActivityTaskAt: null };
    const tracking = trackingKey(config);
    const workflowBundle = prebuiltWorkflowBundle(tracing !== null);
    if (!workflowBundle)
      logger.info('no prebuilt workflow bundle (npm run build writes one): bundling at start');
    const orders = await createOrderWorker({
      ...(workflowBundle ? { workflowBundle } : {}),
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      tracing,
      orm,
      client,
      notifications: config.notifications,
      trackingLink: (orderId) => trackingUrl(config.tracking, tracking, orderId),
      backup: backupSources(config),
      keys: { commands: commandKeys(config), archiveSeal: archiveSealKeys(config) },
      activity,
      tuning: {
        maxConcurrentActivities: config.worker.maxConcurrentActivities,
        maxConcurrentWorkflowTasks: config.worker.maxConcurrentWorkflowTasks,
        maxCachedWorkflows: config.worker.cachedWorkflows,
        shutdownGraceMs: config.shutdownGraceMs,
      },
    });
    const deliveries = await createDeliveryWorker({
      ...(workflowBundle ? { workflowBundle } : {}),
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      orm: deliveryOrm,
      notifications: config.notifications,
      webhooks: config.webhooks,
      inbound: config.inbound,
      log: {
        info: (message, attributes) => logger.info(attributes ?? {}, message),
        warn: (message, attributes) => logger.warn(attributes ?? {}, message),
      },
    });
    const http = config.worker.http
      ? await startWorkerHttp({
          ...config.worker.http,
          worker: orders.worker,
          deliveryWorker: deliveries.worker,
          activity,
          sdkMetricsUrl: `http://${sdkMetrics}/metrics`,
        })
      : null;
    if (config.worker.http) {
      logger.info(
        { health: `http://${config.worker.http.host}:${config.worker.http.port}/health` },
        'worker polling task queue',
      );
    }
    try {
      // The SDK's runtime turns SIGINT/SIGTERM into each worker's shutdown(), which resolves its run(); the
      // dispatcher then finishes the sends in flight and gives its destinations up, and the archiver stops
      // after the archive it is writing.
      await Promise.all([orders.run(), deliveries.run()]);
    } finally {
      http?.close();
    }
    logger.info('worker stopped');
  } finally {
    await retries.close(clientConnection);
    await connection.close();
    await deliveryOrm.close();
    await orm.close();
    await tracing?.shutdown().catch(() => undefined);
  }
}

run().catch((error: unknown) => {
  console.error('worker failed:', describeStartupFailure(error));
  process.exit(1);
});
