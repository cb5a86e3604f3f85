import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { ScheduleNotFoundError } from '@temporalio/client';
import { BACKUP_SCHEDULE_ID } from '../workflows/backup.workflow';
import { ensureBackupSchedule } from '../worker/backup-schedule';
import { eventually, seedCatalogue } from './support/fixtures';
import { apiClient, type ApiClient } from './support/http';
import { placeOrder } from './support/orders';
import { freePort } from './support/ports';
import { ownTaskQueue, startStack, type TestStack } from './support/stack';
import { temporalTestEnv } from './support/temporal';

/**
 * Metrics, health, request ids and graceful shutdown, against the real API and a real worker process
 * (the compiled `dist/worker/main.js`, as `npm start` and docker-compose run it).
 */
const workerEntry = path.join(__dirname, '..', 'dist', 'worker', 'main.js');

/** The value of one series in a Prometheus text exposition, or undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const found = Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`));
    if (found) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

interface WorkerProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** The compiled worker on the stack's task queue and data folder (the keys it shares with the API). */
async function startWorkerProcess(taskQueue: string, dataDir: string): Promise<WorkerProcess> {
  if (!existsSync(workerEntry)) throw new Error(`${workerEntry} is missing: run npm run build first`);
  const port = await freePort();
  let output = '';
  const child = spawn(process.execPath, [workerEntry], {
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: process.env.OMS_TEST_DATABASE_URL,
      ...temporalTestEnv(),
      OMS_TASK_QUEUE: taskQueue,
      OMS_DATA_DIR: dataDir,
      OMS_WORKER_PORT: String(port),
      OMS_WORKER_SDK_METRICS_PORT: String(await freePort()),
      OMS_LOG_FORMAT: 'json',
      OMS_LOG_LEVEL: 'log',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, url: `http://127.0.0.1:${port}`, output: () => output, exited };
}

describe('operations', () => {
  let stack: TestStack;
  let admin: ApiClient;
  let worker: WorkerProcess;
  let approvalPolicy: unknown;

  beforeAll(async () => {
    // The worker process's own logs and metrics are the subject: a task queue of its own keeps other
    // workers (the suite's second one with OMS_TEST_WORKERS=2) from doing the work they should show.
    // The business gauges of /metrics are counted at most once a second here (15 by default).
    stack = await startStack({
      worker: false,
      env: { ...ownTaskQueue('operations'), OMS_METRICS_REFRESH_SECONDS: '1' },
    });
    admin = await stack.client(['admin'], 'admin');
    const policies = await admin.get<{ items: { stage: string; levels: unknown; businessHours: boolean }[] }>(
      '/api/escalation-policies',
    );
    const approval = policies.body.items.find((policy) => policy.stage === 'approval')!;
    approvalPolicy = { levels: approval.levels, businessHours: approval.businessHours };
    worker = await startWorkerProcess(stack.config.temporal.taskQueue, stack.config.dataDir);
    // Bundling the workflows takes the worker a while on first start.
    const health = await eventually(
      () =>
        fetch(`${worker.url}/health`).then(
          (r) => r.status,
          () => 0,
        ),
      (status) => status === 200 || worker.child.exitCode !== null,
      120_000,
    );
    if (health !== 200) throw new Error(`the worker did not become healthy:\n${worker.output()}`);
  }, 180_000);

  afterAll(async () => {
    await admin.put('/api/escalation-policies/approval', approvalPolicy);
    if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
    await stack.close();
  });

  it('answers liveness and readiness apart from the contract health check', async () => {
    const anonymous = apiClient(stack.baseUrl);
    expect(await anonymous.get('/health')).toMatchObject({
      status: 200,
      body: { status: 'ok', checks: { database: 'ok', temporal: 'ok', events: 'ok' } },
    });
    expect(await anonymous.get('/health/live')).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await anonymous.get('/health/ready')).toMatchObject({
      status: 200,
      body: { status: 'ok', draining: false, checks: { database: 'ok', temporal: 'ok', events: 'ok' } },
    });
  });

  it('keeps an idle connection open longer than its clients and proxies do, so a request on it is not reset', async () => {
    const { port } = new URL(stack.baseUrl);
    const socket = connect(Number(port), '127.0.0.1');
    let received = '';
    let closed = false;
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    socket.on('close', () => (closed = true));
    const request = `GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n`;
    const answered = (count: number) =>
      eventually(
        () => Promise.resolve(received.split('HTTP/1.1 200').length - 1),
        (responses) => responses >= count || closed,
        10_000,
      );
    try {
      socket.write(request);
      expect(await answered(1)).toBe(1);
      expect(received).toMatch(/\r\nKeep-Alive: timeout=65\r\n/i);
      // Idle past Node's default (5 s, closed at 6 s), which a client or a proxy in front could reuse just
      // as the server closed it: the request then met a reset (ECONNRESET, or a 502 from the proxy).
      await new Promise((resolve) => setTimeout(resolve, 7_000));
      expect(closed).toBe(false);
      socket.write(request);
      expect(await answered(2)).toBe(2);
    } finally {
      socket.destroy();
    }
  });

  it("shows the worker's own health: polling, in flight and its last activity task", async () => {
    const health = await (await fetch(`${worker.url}/health`)).json();
    expect(health).toMatchObject({
      status: 'ok',
      state: 'RUNNING',
      pollers: { workflow: 'POLLING', activity: 'POLLING' },
      inFlight: { workflowActivations: expect.any(Number), activities: expect.any(Number) },
    });
  });

  it('echoes an acceptable X-Request-Id, replaces an unacceptable one, and carries it into activity logs', async () => {
    const { customerId, skus } = await seedCatalogue(admin);
    const requestId = `ops-${randomUUID()}`;
    const order = await placeOrder(admin, customerId, [{ sku: skus[0]!, quantity: 1 }]);
    const approved = await admin.post(`/api/orders/${order.id}/approve`, {}, { 'x-request-id': requestId });
    expect(approved.status).toBe(200);
    expect(approved.headers.get('x-request-id')).toBe(requestId);
    const refused = await admin.call('GET', '/api/orders', undefined, {
      'x-request-id': 'no spaces allowed',
    });
    expect(refused.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);

    // The approval's activity, in the worker process, logs the order's move under the same request id.
    const line = await eventually(
      () =>
        Promise.resolve(
          worker
            .output()
            .split('\n')
            .find((entry) => entry.includes('"order moved"') && entry.includes(order.id)),
        ),
      Boolean,
    );
    expect(JSON.parse(line!)).toMatchObject({
      level: 'info',
      msg: 'order moved',
      requestId,
      orderId: order.id,
      from: { status: 'created', awaiting: 'approval' },
      to: { status: 'processing' },
    });
    expect(worker.output()).not.toMatch(/authorization|Bearer /i);
  });

  it('scrapes orders by status and awaiting (counted at most once per refresh), deliveries, and HTTP requests by route template from /metrics', async () => {
    const { customerId, skus } = await seedCatalogue(admin);
    const waiting = await placeOrder(admin, customerId, [{ sku: skus[0]!, quantity: 1 }]);
    const moving = await placeOrder(admin, customerId, [{ sku: skus[0]!, quantity: 1 }]);
    const scrape = async () => (await fetch(`${stack.baseUrl}/metrics`)).text();
    const before = await scrape();
    await admin.post(`/api/orders/${moving.id}/approve`, {});
    await admin.post(`/api/orders/${moving.id}/ship`, { carrier: 'SF', trackingNumber: 'SF1' });

    const response = await fetch(`${stack.baseUrl}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain;.*version=0\.0\.4/);
    await response.text();
    const count = (text: string, status: string, awaiting: string) =>
      sample(text, 'oms_orders', { status, awaiting }) ?? 0;
    // The counts are at most a second old: the next count shows the shipped order.
    const after = await eventually(
      scrape,
      (text) => count(text, 'shipped', 'delivery') === count(before, 'shipped', 'delivery') + 1,
    );
    expect(count(after, 'shipped', 'delivery')).toBe(count(before, 'shipped', 'delivery') + 1);
    expect(count(after, 'created', 'approval')).toBe(count(before, 'created', 'approval') - 1);
    expect(waiting.status).toBe('created');
    expect(after).toMatch(/^# TYPE oms_deliveries gauge$/m);
    expect(
      sample(after, 'oms_http_requests_total', {
        method: 'POST',
        route: '/api/orders/:id/ship',
        status: '200',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(after, 'oms_http_request_duration_seconds_bucket', {
        method: 'POST',
        route: '/api/orders/:id/approve',
        status: '200',
        le: '+Inf',
      }),
    ).toBeGreaterThanOrEqual(1);
    // Paths with ids never become labels of their own.
    expect(after).not.toContain(moving.id);
    expect(after).toMatch(/^oms_api_process_cpu_seconds_total /m);
  });

  it("exports the worker's stage durations, escalations fired and the SDK's own metrics", async () => {
    await admin.put('/api/escalation-policies/approval', { levels: [{ after: 'PT1S', notify: ['admin'] }] });
    const { customerId, skus } = await seedCatalogue(admin);
    const order = await placeOrder(admin, customerId, [{ sku: skus[0]!, quantity: 1 }]);
    const scrape = async () => (await fetch(`${worker.url}/metrics`)).text();
    const fired = await eventually(
      scrape,
      (text) => /^oms_escalations_fired\{[^}]*stage="approval"[^}]*\} [1-9]/m.test(text),
      20_000,
    );
    expect(fired).toMatch(/^oms_escalations_fired\{[^}]*level="1"/m);
    await admin.post(`/api/orders/${order.id}/approve`, {});
    const text = await eventually(scrape, (body) =>
      /^oms_order_stage_duration_count\{[^}]*awaiting="approval"[^}]*status="created"/m.test(body),
    );
    expect(text).toMatch(/^oms_order_stage_duration_bucket\{[^}]*le="60"/m);
    // Recording the metric never makes the recording step (a local activity) fail and retry.
    expect(text).not.toMatch(
      /^temporal_local_activity_execution_failed\w*\{[^}]*activity_type="recordOrder"/m,
    );
    expect(text).toMatch(/^temporal_\w+/m);
    expect(text).toMatch(/^temporal_local_activity_execution_latency\w*\{[^}]*activity_type="recordOrder"/m);
    expect(text).toMatch(/^temporal_activity_execution_latency\w*\{[^}]*activity_type="chargePayment"/m);
    // The process's own memory beside the SDK's cache size: what the workflow cache costs.
    expect(text).toMatch(/^oms_worker_process_resident_memory_bytes \d+/m);
    expect(text).toMatch(/^oms_worker_nodejs_heap_size_used_bytes \d+/m);
    expect(text).toMatch(/^temporal_sticky_cache_size\{/m);
  });

  it('stops the worker on SIGTERM: it stops polling, finishes what it has, and exits cleanly', async () => {
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(worker.output()).toContain('"msg":"worker stopped"');
  });

  it('runs scheduled backups from a Temporal Schedule when set, keeping the newest, and removes the schedule when unset', async () => {
    const other = await startStack();
    try {
      const backup = { ...other.config.backup, cron: '0 3 * * *', keep: 1 };
      await ensureBackupSchedule(other.temporal, backup, other.config.temporal.taskQueue);
      const handle = other.temporal.schedule.getHandle(BACKUP_SCHEDULE_ID);
      await handle.trigger();
      const run = await eventually(
        async () => (await handle.describe()).info.recentActions.at(-1)?.action.workflow,
        Boolean,
      );
      const result = await other.temporal.workflow
        .getHandle(run!.workflowId, run!.firstExecutionRunId)
        .result();
      expect(result).toEqual({
        id: expect.stringMatching(/^oms-backup-\d{8}T\d{6}Z-s-[0-9a-f]{12}$/),
        pruned: expect.any(Number),
      });
      const listed = await admin.get<{ items: { id: string; trigger: string }[] }>('/api/backups');
      expect(listed.body.items).toEqual([
        expect.objectContaining({
          id: (result as { id: string }).id,
          trigger: `schedule:${run!.workflowId}`,
        }),
      ]);
      await ensureBackupSchedule(other.temporal, { ...backup, cron: null }, other.config.temporal.taskQueue);
      await expect(handle.describe()).rejects.toThrow(ScheduleNotFoundError);
    } finally {
      await other.close();
    }
  });

  it('closes event streams and finishes requests in flight when the API shuts down', async () => {
    const other = await startStack({ worker: false });
    const client = await other.client(['admin'], 'admin');
    const stream = await fetch(`${other.baseUrl}/api/events`, { headers: client.headers });
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    const ended = (async () => {
      for (;;) if ((await reader.read()).done) return true;
    })();
    const inFlight = client.post('/api/backups');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const closed = other.close();
    expect((await inFlight).status).toBe(201);
    await expect(ended).resolves.toBe(true);
    await closed;
  });
});
