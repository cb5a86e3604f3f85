import type { MikroORM } from '@mikro-orm/postgresql';
import type { Context as ActivityContext } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { Runtime, Worker, type NativeConnection, type WorkflowBundleOption } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { OrderArchiver } from '../activities/archive.queue';
import { creditLimitGateway } from '../activities/payment.gateway';
import type { AppConfig } from '../config/config';
import type { KeyRing } from '../config/keys';
import { PermanentFailureInterceptor } from './permanent-failures';
import type { BackupSources } from '../ops/backup';
import { TASK_QUEUE } from '../workflows/order.definitions';
import { stockSignals } from '../ops/stock-signals';
import {
  TRACED_WORKFLOW_INTERCEPTOR_MODULES,
  WORKFLOW_INTERCEPTOR_MODULES,
  activityInterceptors,
  type WorkerActivity,
} from './observability';
import {
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  makeWorkflowExporter,
} from '@temporalio/interceptors-opentelemetry';
import { workflowSpanProcessor, type Tracing } from '../ops/tracing';

export interface OrderWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  /** The task queue it polls (OMS_TASK_QUEUE); `orders` by default. Deliveries have their own worker. */
  taskQueue?: string;
  orm: MikroORM;
  /** Used by activities to signal other orders' workflows (stock released). */
  client: Client;
  /**
   * A prebuilt bundle (tests build it once; `npm run build` writes one beside the compiled worker); without
   * one the worker bundles `workflows/` itself.
   */
  workflowBundle?: WorkflowBundleOption;
  /** Worker identity as shown in Temporal's UI and history. */
  identity?: string;
  /** Whether e-mail is configured, and the digest's time zone. */
  notifications: AppConfig['notifications'];
  /** The customers' tracking link of an order (their e-mails carry it); without it, e-mails have none. */
  trackingLink?: (orderId: string) => string;
  /** Replaces some activity dependencies (tests inject failures here). */
  deps?: Partial<ActivityDeps>;
  /** What scheduled backups read and where they write; without it the backup activities refuse. */
  backup?: BackupSources;
  /** The keys of signed staff actions (to verify) and of the archive's seals (to seal with). */
  keys: { commands: KeyRing; archiveSeal: KeyRing };
  /** Where the worker notes its last activity task (for its health endpoint). */
  activity?: WorkerActivity;
  /**
   * Traces of activities and workflows (the workflow bundle must then be the traced one); none when null.
   */
  tracing?: Tracing | null;
  /** Concurrency and shutdown settings (the SDK's defaults otherwise). */
  tuning?: {
    maxConcurrentActivities: number;
    maxConcurrentWorkflowTasks: number;
    /** Workflows kept in memory between their tasks. */
    maxCachedWorkflows: number;
    /** How long in-flight activities may run on after shutdown begins before they are cancelled. */
    shutdownGraceMs: number;
  };
}

/**
 * Signals each order that stock moved (coalesced per order: `ops/stock-signals.ts`); an order that finished
 * meanwhile is simply skipped.
 */
export function stockNotifier(client: Client) {
  const signals = stockSignals(client, (orderId, error) => {
    Runtime.instance().logger.warn('order not told that stock moved (it re-checks on its own)', {
      orderId,
      error: String(error),
    });
  });
  return (orderIds: string[]): Promise<void> => signals.tell(orderIds);
}

/** The order worker and its archiver; `run` runs both until the worker is shut down. */
export interface OrderWorker {
  worker: Worker;
  run(): Promise<void>;
}

/**
 * The worker that runs order workflows and their activities on its task queue (`orders`); it only writes
 * e-mails and webhook calls to the outbox, which the delivery worker sends (worker/delivery-worker.ts).
 * Delivery workflows started before the outbox still run here, and hand their delivery to the outbox.
 * Beside it, the archiver writes the archives of the orders that closed (activities/archive.queue.ts).
 */
export async function createOrderWorker(options: OrderWorkerOptions): Promise<OrderWorker> {
  const taskQueue = options.taskQueue ?? TASK_QUEUE;
  const tracing = options.tracing ?? null;
  const deps: ActivityDeps = {
    em: () => options.orm.em.fork(),
    gateway: () => creditLimitGateway(options.orm.em.fork()),
    notifyStockChanged: stockNotifier(options.client),
    client: options.client,
    taskQueue,
    backup: options.backup ?? null,
    email: Boolean(options.notifications.smtpUrl),
    digestTimeZone: options.notifications.digest.timeZone,
    deliveryPolicy: {
      attempts: options.notifications.deliveryAttempts,
      retryIntervalMs: options.notifications.retryIntervalMs,
    },
    trackingLink: options.trackingLink ?? null,
    commandKeys: options.keys.commands,
    archiveSealKeys: options.keys.archiveSeal,
    ...options.deps,
  };
  const activities = createActivities(deps);
  const worker = await Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue,
    ...(options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : { workflowsPath: require.resolve('../workflows') }),
    activities,
    interceptors: {
      activity: [
        // First, so that the activity's span is current for everything after it (logs carry its ids).
        ...(tracing
          ? [
              (ctx: ActivityContext) => ({
                inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
                outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
              }),
            ]
          : []),
        activityInterceptors(options.activity ?? { lastActivityTaskAt: null }),
        () => ({ inbound: new PermanentFailureInterceptor() }),
      ],
      // A prebuilt bundle has them built in (bundleWorkflowCode's workflowInterceptorModules).
      ...(options.workflowBundle
        ? {}
        : { workflowModules: tracing ? TRACED_WORKFLOW_INTERCEPTOR_MODULES : WORKFLOW_INTERCEPTOR_MODULES }),
    },
    // The workflows' spans leave the sandbox through this sink (not called while a history replays).
    ...(tracing
      ? {
          sinks: {
            exporter: makeWorkflowExporter(
              workflowSpanProcessor(tracing) as unknown as Parameters<typeof makeWorkflowExporter>[0],
              tracing.resource as unknown as Parameters<typeof makeWorkflowExporter>[1],
            ),
          },
        }
      : {}),
    ...(options.tuning
      ? {
          maxConcurrentActivityTaskExecutions: options.tuning.maxConcurrentActivities,
          maxConcurrentWorkflowTaskExecutions: options.tuning.maxConcurrentWorkflowTasks,
          maxCachedWorkflows: options.tuning.maxCachedWorkflows,
          shutdownGraceTime: options.tuning.shutdownGraceMs,
        }
      : {}),
    ...(options.identity ? { identity: options.identity } : {}),
  });
  const archiver = new OrderArchiver({
    em: deps.em,
    archive: async (orderId) => {
      await activities.archiveClosedOrder({ orderId });
    },
    log: {
      warn(message, attributes) {
        Runtime.instance().logger.warn(message, attributes);
      },
    },
  });
  return {
    worker,
    async run() {
      archiver.start();
      try {
        await worker.run();
      } finally {
        await archiver.stop();
      }
    },
  };
}
