/**
 * Container health check for a worker: healthy when this host's worker is polling the orders task queue.
 * Exits 0 or 1.
 */
import { Connection } from '@temporalio/client';
import { hostname } from 'node:os';
import { loadConfig } from '../config/config';
import { TASK_QUEUE } from '../workflows/order.definitions';

async function run(): Promise<void> {
  const config = loadConfig();
  const connection = await Connection.connect({ address: config.temporal.address, connectTimeout: '3s' });
  try {
    const { pollers } = await connection.workflowService.describeTaskQueue({
      namespace: config.temporal.namespace,
      taskQueue: { name: TASK_QUEUE },
    });
    const mine = (pollers ?? []).some((poller) => poller.identity?.endsWith(`@${hostname()}`));
    if (!mine) throw new Error(`no worker on ${hostname()} is polling the ${TASK_QUEUE} task queue`);
  } finally {
    await connection.close();
  }
}

run().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
