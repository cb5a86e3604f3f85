/**
 * `npm run legacy:open`: lists the open orders that still run on the frozen v1 order workflow. When it says
 * none, `workflows/legacy/v1` (and the `lean-workflow` branch in `orderWorkflow`) may be deleted.
 */
import { Client } from '@temporalio/client';
import { loadConfig } from '../config/config';
import { openV1Orders } from '../ops/legacy-orders';
import { connectClient } from '../ops/temporal-connection';

async function run(): Promise<void> {
  const config = loadConfig();
  const connection = await connectClient(config.temporal, { connectTimeout: '5s' });
  try {
    const client = new Client({ connection, namespace: config.temporal.namespace });
    const open = await openV1Orders(client);
    for (const workflowId of open) console.log(workflowId);
    console.log(
      open.length === 0
        ? 'no open order runs on the frozen v1 workflow: workflows/legacy/v1 may be deleted'
        : `${open.length} open order(s) still run on the frozen v1 workflow: keep workflows/legacy/v1`,
    );
  } finally {
    await connection.close();
  }
}

run().catch((error: unknown) => {
  console.error('legacy:open failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
