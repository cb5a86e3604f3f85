import { type NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createActivities } from '../activities';
import { TASK_QUEUE } from '../workflows/order.definitions';

export interface OrderWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  orm: MikroORM;
  /** A prebuilt bundle (tests build it once); by default the worker bundles `workflows/` itself. */
  workflowBundle?: WorkflowBundleOption;
  /** Worker identity as shown in Temporal's UI and history. */
  identity?: string;
}

/** The worker that runs order workflows and their activities on the `orders` task queue. */
export async function createOrderWorker(options: OrderWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: TASK_QUEUE,
    ...(options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : { workflowsPath: require.resolve('../workflows') }),
    activities: createActivities({ em: () => options.orm.em.fork() }),
    ...(options.identity ? { identity: options.identity } : {}),
  });
}
