/**
 * The worker's own HTTP endpoint: `/health` (is it polling, what is in flight, when did it last run an
 * activity) for the launcher, container health checks and people; `/metrics` passes on the Temporal SDK's
 * Prometheus exporter, which stays on loopback, followed by the process's own memory, CPU and event-loop
 * series (`oms_worker_`: heap against resident memory shows what the workflow cache holds). One port per
 * worker process; scrape each worker.
 */
import type { Worker } from '@temporalio/worker';
import { createServer, type Server } from 'node:http';
import { Registry, collectDefaultMetrics } from 'prom-client';
import type { WorkerActivity } from './observability';

export interface WorkerHealth {
  status: 'ok' | 'down';
  state: string;
  pollers: { workflow: string; activity: string };
  /** The delivery worker beside it (its own task queue): its state and pollers. */
  deliveries?: { state: string; pollers: { workflow: string; activity: string } };
  inFlight: { workflowActivations: number; activities: number };
  cachedWorkflows: number;
  lastActivityTaskAt: string | null;
}

/** Whether a worker runs and both of its pollers poll. */
function polls(worker: Worker): boolean {
  const status = worker.getStatus();
  return (
    status.runState === 'RUNNING' &&
    status.workflowPollerState === 'POLLING' &&
    status.activityPollerState === 'POLLING'
  );
}

/** Healthy while the order worker (and the delivery worker beside it) runs and their pollers poll. */
export function workerHealth(
  worker: Worker,
  activity: WorkerActivity,
  deliveryWorker?: Worker,
): WorkerHealth {
  const status = worker.getStatus();
  const deliveries = deliveryWorker?.getStatus();
  return {
    status: polls(worker) && (!deliveryWorker || polls(deliveryWorker)) ? 'ok' : 'down',
    state: status.runState,
    pollers: { workflow: status.workflowPollerState, activity: status.activityPollerState },
    ...(deliveries
      ? {
          deliveries: {
            state: deliveries.runState,
            pollers: { workflow: deliveries.workflowPollerState, activity: deliveries.activityPollerState },
          },
        }
      : {}),
    inFlight: {
      workflowActivations: status.numInFlightWorkflowActivations,
      activities: status.numInFlightActivities,
    },
    cachedWorkflows: status.numCachedWorkflows,
    lastActivityTaskAt: activity.lastActivityTaskAt,
  };
}

/** Starts the endpoint; resolves once it listens. */
export async function startWorkerHttp(options: {
  host: string;
  port: number;
  worker: Worker;
  /** The delivery worker of the same process, reported beside the order worker. */
  deliveryWorker?: Worker;
  activity: WorkerActivity;
  /** Where the SDK's Prometheus exporter listens (loopback). */
  sdkMetricsUrl: string;
}): Promise<Server> {
  const processMetrics = new Registry();
  collectDefaultMetrics({ register: processMetrics, prefix: 'oms_worker_' });
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method === 'GET' && (path === '/health' || path === '/health/ready')) {
      const health = workerHealth(options.worker, options.activity, options.deliveryWorker);
      response.writeHead(health.status === 'ok' ? 200 : 503, { 'content-type': 'application/json' });
      response.end(JSON.stringify(health));
    } else if (request.method === 'GET' && path === '/health/live') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ status: 'ok' }));
    } else if (request.method === 'GET' && path === '/metrics') {
      fetch(options.sdkMetricsUrl).then(
        async (sdk) => {
          const own = await processMetrics.metrics();
          response.writeHead(sdk.status, { 'content-type': sdk.headers.get('content-type') ?? 'text/plain' });
          response.end(`${await sdk.text()}\n${own}`);
        },
        (error: unknown) => {
          response.writeHead(503, { 'content-type': 'text/plain' });
          response.end(`the SDK's metrics exporter did not answer: ${String(error)}\n`);
        },
      );
    } else {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ statusCode: 404, message: 'not found' }));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return server;
}
