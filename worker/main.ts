import { MikroORM } from '@mikro-orm/postgresql';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { loadConfig } from '../config/config';
import { ormConfig } from '../db/mikro-orm.config';
import { ensureSearchAttributes } from './search-attributes';
import { createOrderWorker } from './worker';

/** Runs one worker process until SIGINT/SIGTERM, then drains it and closes its connections. */
async function run(): Promise<void> {
  const config = loadConfig();
  const orm = await MikroORM.init(ormConfig(config.databaseUrl));
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const clientConnection = await Connection.connect({ address: config.temporal.address });
  const client = new Client({ connection: clientConnection, namespace: config.temporal.namespace });
  try {
    await ensureSearchAttributes(connection, config.temporal.namespace);
    const worker = await createOrderWorker({
      connection,
      namespace: config.temporal.namespace,
      orm,
      client,
      notifications: config.notifications,
      webhooks: config.webhooks,
    });
    // The SDK's runtime turns SIGINT/SIGTERM into a graceful shutdown, which resolves run().
    await worker.run();
  } finally {
    await clientConnection.close();
    await connection.close();
    await orm.close();
  }
}

run().catch((error: unknown) => {
  console.error('worker failed:', error);
  process.exit(1);
});
