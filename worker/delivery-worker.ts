/**
 * The deliveries' bulkhead: everything that sends e-mail or calls webhooks runs here, apart from the orders.
 *
 * - The outbox dispatcher (activities/delivery.dispatcher.ts), a loop on a PostgreSQL pool of its own that
 *   never calls Temporal: a mail server or a receiver that is down costs the orders nothing, neither
 *   workflow-task or activity slots nor load on the Temporal server.
 * - A Temporal worker on a task queue of its own (`<OMS_TASK_QUEUE>-deliveries`) for the daily digest, with
 *   small slots and a rate limit of its own, so that it can never take the orders' capacity either.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { Runtime, Worker, type NativeConnection, type WorkflowBundleOption } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { DeliveryDispatcher, type DispatcherLog } from '../activities/delivery.dispatcher';
import { smtpMailer } from '../activities/delivery.transports';
import { createDigestActivities } from '../activities/digest.activities';
import { joinedNotifier } from '../activities/inbound.notify';
import { InboundReader } from '../activities/inbound.reader';
import type { AppConfig } from '../config/config';
import { deliveryTaskQueue } from '../workflows/notification.definitions';
import { TASK_QUEUE } from '../workflows/order.definitions';
import { WORKFLOW_INTERCEPTOR_MODULES } from './observability';

/**
 * The delivery worker's Temporal slots: the digest is one workflow a day with one activity, so two of each
 * are plenty; the rate limits (this worker, and the whole queue across workers) keep even a flood of them
 * from loading the Temporal server.
 */
export const DELIVERY_WORKER_SLOTS = {
  maxConcurrentActivityTaskExecutions: 2,
  maxConcurrentWorkflowTaskExecutions: 2,
  maxCachedWorkflows: 10,
  maxActivitiesPerSecond: 2,
  maxTaskQueueActivitiesPerSecond: 2,
} as const;

/** PostgreSQL connections of the deliveries' own pool, per worker process. */
export const DELIVERY_DB_POOL = 4;

/** How often the dispatcher renews its destinations and looks for new work when there is none. */
const DISPATCH_TICK_MS = 500;

export interface DeliveryWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  /** The installation's task queue (OMS_TASK_QUEUE); deliveries use their own beside it. */
  taskQueue?: string;
  /** The deliveries' own PostgreSQL pool: the dispatcher never waits for the orders' connections. */
  orm: MikroORM;
  workflowBundle?: WorkflowBundleOption;
  identity?: string;
  notifications: AppConfig['notifications'];
  webhooks?: AppConfig['webhooks'];
  /** Mailboxes to read (docs/inbound-mail.md): on the deliveries' pool, apart from the orders. */
  inbound?: AppConfig['inbound'];
  /** Where the dispatcher reports breakers opening and closing; the SDK's logger by default. */
  log?: DispatcherLog;
}

/** The delivery worker and its dispatcher; `run` runs both until the worker is shut down. */
export interface DeliveryWorker {
  worker: Worker;
  dispatcher: DeliveryDispatcher;
  /** Null when no mailbox is configured. */
  inbound: InboundReader | null;
  run(): Promise<void>;
  shutdown(): void;
}

export async function createDeliveryWorker(options: DeliveryWorkerOptions): Promise<DeliveryWorker> {
  const { notifications } = options;
  const em = () => options.orm.em.fork();
  const mailer = notifications.smtpUrl
    ? smtpMailer(
        notifications.smtpUrl,
        notifications.mailFrom,
        notifications.sendTimeoutMs,
        notifications.concurrencyPerDestination,
      )
    : null;
  const worker = await Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: deliveryTaskQueue(options.taskQueue ?? TASK_QUEUE),
    ...(options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : {
          workflowsPath: require.resolve('../workflows'),
          interceptors: { workflowModules: WORKFLOW_INTERCEPTOR_MODULES },
        }),
    // Only what runs on this queue: the digest (the workflows' proxies name it among all activities).
    activities: createDigestActivities({
      em,
      email: Boolean(notifications.smtpUrl),
      digestTimeZone: notifications.digest.timeZone,
      deliveryPolicy: {
        attempts: notifications.deliveryAttempts,
        retryIntervalMs: notifications.retryIntervalMs,
      },
    }),
    ...DELIVERY_WORKER_SLOTS,
    ...(options.identity ? { identity: `${options.identity}-deliveries` } : {}),
  });
  const log = options.log ?? sdkLog();
  const owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const dispatcher = new DeliveryDispatcher({
    em,
    owner,
    mailer,
    smtpServer: notifications.smtpUrl ? new URL(notifications.smtpUrl).host : null,
    webhookAllowedHosts: options.webhooks?.allowedHosts ?? [],
    messageIdDomain: notifications.messageIdDomain,
    settings: {
      sendTimeoutMs: notifications.sendTimeoutMs,
      ratePerDestination: notifications.ratePerDestination,
      concurrencyPerDestination: notifications.concurrencyPerDestination,
      breaker: notifications.breaker,
      deliveryAttempts: notifications.deliveryAttempts,
      retryIntervalMs: notifications.retryIntervalMs,
      tickMs: DISPATCH_TICK_MS,
    },
    log,
  });
  const inbound = options.inbound?.mailboxes.length
    ? new InboundReader({
        em,
        mailboxes: options.inbound.mailboxes,
        owner,
        pollMs: options.inbound.pollMs,
        senderLimit: options.inbound.senderLimit,
        attachmentMaxBytes: options.inbound.attachmentMaxBytes,
        messageIdDomain: notifications.messageIdDomain,
        onJoined: joinedNotifier({
          em,
          email: Boolean(notifications.smtpUrl),
          deliveryPolicy: {
            attempts: notifications.deliveryAttempts,
            retryIntervalMs: notifications.retryIntervalMs,
          },
        }),
        log,
      })
    : null;
  return {
    worker,
    dispatcher,
    inbound,
    async run() {
      dispatcher.start();
      inbound?.start();
      try {
        await worker.run();
      } finally {
        await inbound?.stop();
        await dispatcher.stop();
        mailer?.close();
      }
    },
    shutdown: () => worker.shutdown(),
  };
}

function sdkLog(): DispatcherLog {
  const logger = Runtime.instance().logger;
  return {
    info: (message, attributes) => void logger.info(message, attributes),
    warn: (message, attributes) => void logger.warn(message, attributes),
  };
}
