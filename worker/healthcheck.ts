/**
 * Container health check for a worker: asks this worker process's own endpoint (OMS_WORKER_PORT), which
 * answers 200 only while the worker runs and both its pollers poll. Exits 0 or 1.
 */
import { loadConfig } from '../config/config';

async function run(): Promise<void> {
  const { http } = loadConfig().worker;
  if (!http) throw new Error('OMS_WORKER_PORT is off: the worker has no health endpoint to ask');
  const host = http.host === '0.0.0.0' ? '127.0.0.1' : http.host;
  const response = await fetch(`http://${host}:${http.port}/health`, { signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`worker unhealthy: ${await response.text()}`);
}

run().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
