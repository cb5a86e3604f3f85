/**
 * One test file's view of the product: the real API (in this process, on a loopback port), real workers
 * that can be stopped and started again, and direct access to PostgreSQL and Temporal for assertions.
 */
import { MikroORM } from '@mikro-orm/postgresql';
import type { INestApplication } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { DefaultLogger, Runtime, makeTelemetryFilterString, type Worker } from '@temporalio/worker';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ActivityDeps } from '../../activities';
import { createApp } from '../../api/app';
import type { Role } from '../../db/entities';
import { appDatabaseUrl } from './app-role';
import { appendFileSync } from 'node:fs';
import { appendTo, testLogFile } from './test-logs';
import { apiClient, type ApiClient } from './http';
import { loadConfig, type AppConfig } from '../../config/config';
import { grantApplicationRole } from '../../db/migrate';
import { ormConfig } from '../../db/mikro-orm.config';
import { backupSources } from '../../ops/backup';
import { archiveSealKeys, commandKeys } from '../../config/keys';
import { connectClient, connectNative } from '../../ops/temporal-connection';
import { temporalTestEnv } from './temporal';
import { trackingKey, trackingUrl } from '../../config/tracking-link';
import { createDeliveryWorker } from '../../worker/delivery-worker';
import { createOrderWorker } from '../../worker/worker';
import { closableRetries } from '../../ops/temporal-retries';

/** The password of user `admin` in tests, and of every user the tests create. */
export const TEST_PASSWORD = 'test-password-0123456789';

export interface TestStack {
  baseUrl: string;
  app: INestApplication;
  config: AppConfig;
  orm: MikroORM;
  temporal: Client;
  /** A client signed in as this user, created with these roles if it does not exist yet. */
  client(roles?: Role[], username?: string): Promise<ApiClient>;
  /**
   * Starts a worker (at most one at a time) with its delivery worker beside it, as a worker process runs
   * them; returns its identity. `deps` replaces activity dependencies; `workflowBundle` is the path of other
   * workflow code than today's (an older version).
   */
  startWorker(identity?: string, deps?: Partial<ActivityDeps>, workflowBundle?: string): Promise<string>;
  /** Gracefully stops the running worker, as a deploy or a crash-restart would. */
  stopWorker(): Promise<void>;
  /** Stops the API and starts a new one on the same port, as a deploy would; `app` is the new one after. */
  restartApi(): Promise<void>;
  close(): Promise<void>;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run integration tests through jest's global setup`);
  return value;
}

/**
 * Where this test file's service logs go: the SDK's warnings (every retried activity of an outage test) and
 * the API's and workers' log lines. The quiet reporter prints the file only when the test file failed.
 */
export const LOG_FILE = testLogFile(expect.getState().testPath ?? 'unknown.spec.ts');

// Each test file loads the SDK afresh; its warnings and errors, the core's too, go to the file.
Runtime.install({
  logger: new DefaultLogger('WARN', appendTo(LOG_FILE)),
  telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} } },
});

export { appDatabaseUrl } from './app-role';

/**
 * Settings that give a test its own task queue. With OMS_TEST_WORKERS=2 the suite's second worker process
 * polls the default queue only, so a test whose subject is one worker's own behaviour (a crash and its
 * replacement, an injected failure or transport) keeps its tasks to the workers it starts itself.
 */
export function ownTaskQueue(name: string): Record<string, string> {
  return { OMS_TASK_QUEUE: `test-${name}` };
}

export async function startStack(
  /** `apiEnv`: settings for the API alone (e.g. reaching PostgreSQL or Temporal through a test's proxy). */
  options: { worker?: boolean; env?: Record<string, string>; apiEnv?: Record<string, string> } = {},
): Promise<TestStack> {
  const ownerUrl = required('OMS_TEST_DATABASE_URL');
  const settings = {
    DATABASE_URL: appDatabaseUrl(ownerUrl),
    DATABASE_OWNER_URL: ownerUrl,
    ...temporalTestEnv(),
    OMS_DATA_DIR: required('OMS_TEST_DATA_DIR'),
    OMS_LOG_LEVEL: 'warn',
    OMS_LOG_FILE: LOG_FILE,
    OMS_ADMIN_PASSWORD: TEST_PASSWORD,
    OMS_TOKEN_SECRET: 'test-token-secret-0123456789-abcdefghij',
    // The tests' webhook receivers listen on loopback.
    OMS_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    ...options.env,
  };
  // Variables only: a developer's own temporal.toml never steers the tests.
  const noFile = { temporalConfigFile: false };
  const config = loadConfig(settings, false, noFile);
  // Assertions and fixtures use the owner's connection; the API and the workers use the application role.
  const orm = await MikroORM.init(ormConfig(config.databaseOwnerUrl, { logger: () => undefined }));
  await orm.migrator.up();
  await grantApplicationRole(orm, config.databaseUrl);
  // Test files share one database: sign-in failures of one file must not throttle the next one's users.
  await orm.em.getConnection().execute('delete from login_throttle');
  const workerOrm = await MikroORM.init(
    ormConfig(config.databaseUrl, {
      logger: () => undefined,
      pool: { min: 0, max: config.worker.dbPoolSize },
    }),
  );
  const retries = closableRetries();
  const connection = await connectClient(config.temporal, { interceptors: [retries.interceptor] });
  const temporal = new Client({ connection, namespace: config.temporal.namespace });
  const workerConnection = await connectNative(config.temporal);

  const apiConfig = options.apiEnv ? loadConfig({ ...settings, ...options.apiEnv }, false, noFile) : config;
  let app: INestApplication = await createApp(apiConfig);
  await app.listen(0, '127.0.0.1');
  const address = (app.getHttpServer() as Server).address() as AddressInfo;

  let running: { workers: Worker[]; done: Promise<unknown> } | null = null;
  let started = 0;
  const stack: TestStack = {
    baseUrl: `http://127.0.0.1:${address.port}`,
    app,
    config,
    orm,
    temporal,
    async client(roles: Role[] = ['staff'], username = `${roles.join('-')}-user`) {
      const anonymous = apiClient(stack.baseUrl);
      const signIn = async (name: string) => {
        const response = await anonymous.post<{ accessToken: string }>('/api/auth/login', {
          username: name,
          password: TEST_PASSWORD,
        });
        if (response.status !== 200)
          throw new Error(`signing in as ${name} failed: ${JSON.stringify(response.body)}`);
        return apiClient(stack.baseUrl, response.body.accessToken);
      };
      const admin = await signIn('admin');
      if (username === 'admin') return admin;
      const created = await admin.post('/api/users', {
        username,
        password: TEST_PASSWORD,
        displayName: username,
        roles,
      });
      if (created.status !== 201 && created.status !== 409)
        throw new Error(`creating ${username} failed: ${JSON.stringify(created.body)}`);
      return signIn(username);
    },
    async startWorker(identity = `test-worker-${++started}`, deps, workflowBundle) {
      if (running) throw new Error('a worker is already running');
      const bundle = { codePath: workflowBundle ?? required('OMS_TEST_WORKFLOW_BUNDLE') };
      const orders = await createOrderWorker({
        connection: workerConnection,
        namespace: config.temporal.namespace,
        taskQueue: config.temporal.taskQueue,
        orm: workerOrm,
        client: temporal,
        identity,
        notifications: config.notifications,
        trackingLink: (orderId) => trackingUrl(config.tracking, trackingKey(config), orderId),
        backup: backupSources(config),
        keys: { commands: commandKeys(config), archiveSeal: archiveSealKeys(config) },
        ...(deps ? { deps } : {}),
        workflowBundle: bundle,
      });
      const deliveries = await createDeliveryWorker({
        connection: workerConnection,
        namespace: config.temporal.namespace,
        taskQueue: config.temporal.taskQueue,
        orm: workerOrm,
        identity,
        notifications: config.notifications,
        webhooks: config.webhooks,
        inbound: config.inbound,
        workflowBundle: bundle,
      });
      running = {
        workers: [orders.worker, deliveries.worker],
        done: Promise.all([orders.run(), deliveries.run()]),
      };
      return identity;
    },
    async stopWorker() {
      if (!running) return;
      const { workers, done } = running;
      running = null;
      for (const worker of workers) worker.shutdown();
      await done;
    },
    async restartApi() {
      // As a killed process does: stop accepting, then drop every connection at once (open event streams,
      // keep-alive sockets). A graceful close would wait for each of them to end, and a client reconnecting
      // while the shutdown hooks ran would hold it open. Each phase goes to the log, to tell a slow one.
      const started = Date.now();
      const phase = (name: string) =>
        appendFileSync(
          LOG_FILE,
          `${new Date().toISOString()} restartApi: ${name} after ${Date.now() - started} ms\n`,
        );
      const server = app.getHttpServer() as Server;
      server.close();
      server.closeAllConnections();
      await app.close();
      phase('closed');
      app = await createApp(apiConfig);
      await app.listen(address.port, '127.0.0.1');
      phase('listening again');
      stack.app = app;
    },
    async close() {
      await stack.stopWorker();
      await app.close();
      await retries.close(connection);
      await workerConnection.close();
      await workerOrm.close(true);
      await orm.close(true);
    },
  };
  if (options.worker !== false) await stack.startWorker();
  return stack;
}

/**
 * The usual set-up of a test file: starts a stack before its tests (with `options`), signs in the named
 * clients (`{ staff: [['staff'], 'clerk'] }`: roles and username, created if need be) and closes the stack
 * after them. Read them from the returned object once the tests run (`t.staff`, `t.stack`).
 */
export function useStack<const C extends Record<string, readonly [Role[], string?]>>(
  clients: C,
  options: Parameters<typeof startStack>[0] = {},
): { stack: TestStack } & { [K in keyof C]: ApiClient } {
  const context = {} as { stack: TestStack } & Record<string, ApiClient>;
  beforeAll(async () => {
    context.stack = await startStack(options);
    for (const [name, [roles, username]] of Object.entries(clients))
      context[name] = await context.stack.client(roles, username);
  }, 120_000);
  afterAll(() => context.stack?.close());
  return context as { stack: TestStack } & { [K in keyof C]: ApiClient };
}
