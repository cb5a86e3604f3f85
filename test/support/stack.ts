/**
 * One test file's view of the product: the real API (in this process, on a loopback port), real workers
 * that can be stopped and started again, and direct access to PostgreSQL and Temporal for assertions.
 */
import { MikroORM } from '@mikro-orm/postgresql';
import type { INestApplication } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ActivityDeps } from '../../activities';
import { createApp } from '../../api/app';
import type { Actor } from '../../workflows/order.definitions';
import { loadConfig, type AppConfig } from '../../config/config';
import { ormConfig } from '../../db/mikro-orm.config';
import { createOrderWorker } from '../../worker/worker';

export const TEST_ACTOR_HEADER = 'x-test-actor';

export interface TestStack {
  baseUrl: string;
  app: INestApplication;
  config: AppConfig;
  orm: MikroORM;
  temporal: Client;
  /** Starts a worker (at most one at a time); returns its identity. `deps` replaces activity dependencies. */
  startWorker(identity?: string, deps?: Partial<ActivityDeps>): Promise<string>;
  /** Gracefully stops the running worker, as a deploy or a crash-restart would. */
  stopWorker(): Promise<void>;
  close(): Promise<void>;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run integration tests through jest's global setup`);
  return value;
}

// Each test file loads the SDK afresh; show its warnings and errors, not every worker state change.
Runtime.install({ logger: new DefaultLogger('WARN') });

export async function startStack(options: { worker?: boolean } = {}): Promise<TestStack> {
  const config = loadConfig({
    DATABASE_URL: required('OMS_TEST_DATABASE_URL'),
    TEMPORAL_ADDRESS: required('OMS_TEST_TEMPORAL_ADDRESS'),
    OMS_DATA_DIR: required('OMS_TEST_DATA_DIR'),
    OMS_LOG_LEVEL: 'error',
  });
  const orm = await MikroORM.init(ormConfig(config.databaseUrl, { logger: () => undefined }));
  await orm.getMigrator().up();
  const connection = await Connection.connect({ address: config.temporal.address });
  const temporal = new Client({ connection, namespace: config.temporal.namespace });
  const workerConnection = await NativeConnection.connect({ address: config.temporal.address });

  // Until sign-in exists, a test names the acting user in a header only this test wiring reads.
  const app: INestApplication = await createApp(config, {
    resolveActor: (request) => {
      const header = request.headers[TEST_ACTOR_HEADER];
      return typeof header === 'string' ? (JSON.parse(header) as Actor) : undefined;
    },
  });
  await app.listen(0, '127.0.0.1');
  const address = (app.getHttpServer() as Server).address() as AddressInfo;

  let running: { worker: Worker; done: Promise<void> } | null = null;
  let started = 0;
  const stack: TestStack = {
    baseUrl: `http://127.0.0.1:${address.port}`,
    app,
    config,
    orm,
    temporal,
    async startWorker(identity = `test-worker-${++started}`, deps) {
      if (running) throw new Error('a worker is already running');
      const worker = await createOrderWorker({
        connection: workerConnection,
        namespace: config.temporal.namespace,
        orm,
        client: temporal,
        identity,
        ...(deps ? { deps } : {}),
        workflowBundle: { codePath: required('OMS_TEST_WORKFLOW_BUNDLE') },
      });
      running = { worker, done: worker.run() };
      return identity;
    },
    async stopWorker() {
      if (!running) return;
      const { worker, done } = running;
      running = null;
      worker.shutdown();
      await done;
    },
    async close() {
      await stack.stopWorker();
      await app.close();
      await connection.close();
      await workerConnection.close();
      await orm.close(true);
    },
  };
  if (options.worker !== false) await stack.startWorker();
  return stack;
}
