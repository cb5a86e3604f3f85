/**
 * `npm run bench`: the order pipeline against a bare Temporal workflow of the same shape, on the same
 * server, at the same concurrency, in alternating rounds of one run (the first pair is warm-up, discarded).
 *
 * - full: a closed-loop staff client over HTTP creates an order, approves, ships and completes it; every
 *   `--partial-every N`-th order (5; 0 for none) allows partial shipment and leaves in two parcels;
 * - bare: the same client shape over the Temporal client against `bareOrderWorkflow` (8 no-op activities,
 *   3 updates), with a worker of its own in this process.
 * Rounds at 20 orders in flight measure throughput; rounds at 4 in flight measure each request's latency.
 * Every order must complete exactly once, else the run fails. Writes JSON and a markdown table to
 * `bench-results/`. `--short` is the CI mode that proves it works; `--reuse` drives a running `npm start`.
 * `--waiting N` first places N orders that stay waiting for approval during all rounds (the worker's memory
 * with many waiting orders, and whether staff actions slow down), and at the end approves a sample of the
 * oldest of them, whose workflows have long left the worker's cache.
 * `--fault mail-down` or `--fault slow-webhook` (bench/deliveries.ts) adds `--staff N` (20) members of
 * staff on e-mail `all`, and after the healthy rounds runs the full pipeline with the mail server refusing
 * connections (or a webhook receiver answering after 10 s) at 20 in flight and then at 4 (latency, as the
 * healthy rounds read it), brings it back, times the outbox's drain, checks
 * every delivery was sent once, and runs the healthy full rounds again: the pipeline's throughput under the
 * fault against its own healthy throughput in the same run. `--fault inbound-flood` puts `--messages N` (1,000)
 * e-mails in a mailbox the product reads (a Dovecot started here) instead, and times the readers.
 * Each full round at 20 in flight also reads the worker's and the API's metrics, to say where order
 * creation spends its time (the update-with-start, the workflow task, its local activities).
 */
import { Client, WithStartWorkflowOperation } from '@temporalio/client';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, type AppConfig } from '../config/config';
import { connectClient, connectNative } from '../ops/temporal-connection';
import { freePort } from '../scripts/ports';
import { escalationRolloutWorkflowId } from '../workflows/escalation.definitions';
import { DELIVERY_FAULTS, deliveryBench, type DeliveryBench, type DeliveryFault } from './deliveries';
import type { escalationRolloutWorkflow } from '../workflows/escalation.rollout';
import { orderWorkflowId } from '../workflows/order.definitions';
import * as bareActivities from './bare.activities';
import {
  BARE_TASK_QUEUE,
  bareApproveUpdate,
  bareCompleteUpdate,
  bareCreatedUpdate,
  bareShipUpdate,
} from './bare.definitions';

interface Options {
  short: boolean;
  reuse: boolean;
  rounds: number;
  ordersPerRound: number;
  waiting: number;
  fault: DeliveryFault | null;
  staff: number;
  /** inbound-flood: e-mails put in the mailbox. */
  messages: number;
  /**
   * Every N-th full order (0: none) is an `allowPartial` order of 2 units shipped in two parcels: a
   * shipment of one unit, then `ship` for the rest (issue 24: partial orders in the mix).
   */
  partialEvery: number;
}

interface Sample {
  create: number;
  approve: number;
  ship: number;
  complete: number;
  endToEnd: number;
}

interface RoundResult {
  side: 'full' | 'bare';
  concurrency: number;
  orders: number;
  seconds: number;
  samples: Sample[];
}

interface Target {
  apiUrl: string;
  temporal: AppConfig['temporal'];
  /** The worker's own endpoint (its /metrics has the SDK's); null when unknown. */
  workerUrl: string | null;
  password: string;
  dataDir: string | null;
  /** Stops the product it started; its data folder goes too when the run `passed`, else it stays to read. */
  stop(passed: boolean): Promise<void>;
}

function parseOptions(argv: string[]): Options {
  const short = argv.includes('--short');
  const value = (name: string, fallback: number) => {
    const index = argv.indexOf(name);
    return index >= 0 ? Number(argv[index + 1]) : fallback;
  };
  const faultIndex = argv.indexOf('--fault');
  const fault = faultIndex >= 0 ? argv[faultIndex + 1] : undefined;
  if (fault !== undefined && !(DELIVERY_FAULTS as readonly string[]).includes(fault))
    throw new Error(`--fault must be one of ${DELIVERY_FAULTS.join(', ')}`);
  if (fault && argv.includes('--reuse'))
    throw new Error('--fault runs its own product (it must point it at its own receivers)');
  return {
    short,
    reuse: argv.includes('--reuse'),
    // With a delivery fault each order makes some 80 e-mails (20 staff on `all`): rounds of 60 orders, as
    // in the report that asked for this mode, keep the backlog one drain of the outbox can send in minutes.
    rounds: value('--rounds', short ? 1 : fault ? 2 : 3),
    ordersPerRound: value('--orders', short ? 8 : fault ? 60 : 120),
    waiting: value('--waiting', 0),
    fault: (fault as DeliveryFault | undefined) ?? null,
    staff: value('--staff', 20),
    messages: value('--messages', 1000),
    partialEvery: value('--partial-every', 5),
  };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Starts the product as `npm start` does (its own data folder and ports), or uses the running one. */
export async function startTarget(options: Options, env: Record<string, string>): Promise<Target> {
  if (options.reuse) {
    const config = loadConfig();
    const password =
      config.auth.adminPassword ?? readFileSync(path.join(config.dataDir, 'admin-password'), 'utf8').trim();
    return {
      apiUrl: `http://${config.api.host}:${config.api.port}`,
      temporal: config.temporal,
      workerUrl: config.worker.http ? `http://${config.worker.http.host}:${config.worker.http.port}` : null,
      password,
      dataDir: null,
      stop: () => Promise.resolve(),
    };
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'oms-bench-'));
  const ports = {
    pg: await freePort(),
    temporal: await freePort(),
    ui: await freePort(),
    api: await freePort(),
    worker: await freePort(),
    workerSdkMetrics: await freePort(),
  };
  const password = `bench-${randomUUID()}`;
  const launcher: ChildProcess = spawn(
    process.execPath,
    [path.join(__dirname, '..', 'scripts', 'start.js')],
    {
      env: {
        // eslint-disable-next-line no-restricted-syntax -- passed on whole to the product, which reads it
        ...process.env,
        OMS_DATA_DIR: dataDir,
        OMS_PG_PORT: String(ports.pg),
        OMS_TEMPORAL_PORT: String(ports.temporal),
        OMS_TEMPORAL_UI_PORT: String(ports.ui),
        OMS_API_PORT: String(ports.api),
        OMS_WORKER_PORT: String(ports.worker),
        OMS_WORKER_SDK_METRICS_PORT: String(ports.workerSdkMetrics),
        OMS_ADMIN_PASSWORD: password,
        OMS_LOG_LEVEL: 'warn',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  // The product's own log stays beside its data, for reading after a failed run.
  const log = createWriteStream(path.join(dataDir, 'product.log'));
  await new Promise<void>((resolve, reject) => {
    let output = '';
    launcher.stdout?.on('data', (chunk: Buffer) => {
      log.write(chunk);
      if (output.includes('press Ctrl-C to stop')) return;
      output += chunk.toString();
      if (output.includes('press Ctrl-C to stop')) resolve();
    });
    launcher.once('exit', (code) =>
      reject(new Error(`the product did not start (exit ${code}):\n${output}`)),
    );
  });
  return {
    apiUrl: `http://127.0.0.1:${ports.api}`,
    // The launcher's own dev server: plaintext, on the port it was given.
    temporal: loadConfig({ OMS_TEMPORAL_PORT: String(ports.temporal) }, false).temporal,
    workerUrl: `http://127.0.0.1:${ports.worker}`,
    password,
    dataDir,
    stop: async (passed) => {
      await new Promise<void>((resolve) => {
        launcher.once('exit', () => resolve());
        launcher.kill('SIGTERM');
      });
      if (passed) rmSync(dataDir, { recursive: true, force: true });
      else console.error(`the product's data and log (product.log) are kept in ${dataDir}`);
    },
  };
}

/** Resident memory of the product's process whose command line ends with `entry`, in MB. */
function rssOf(entry: string, dataDir: string | null): number | null {
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!command.includes(entry)) continue;
      if (dataDir && !readFileSync(`/proc/${pid}/environ`, 'utf8').includes(`OMS_DATA_DIR=${dataDir}`))
        continue;
      const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      if (kb) return Math.round(Number(kb) / 1024);
    } catch {
      // the process ended meanwhile
    }
  }
  return null;
}

export type Call = (
  method: string,
  route: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<Record<string, unknown>>;

/** Answers of 500 and above the API gave, by status (a 503 means the pipeline could not take the request). */
const serverErrors: Record<number, number> = {};
const serverErrorCount = () => Object.values(serverErrors).reduce((sum, count) => sum + count, 0);

export async function signIn(apiUrl: string, password: string): Promise<Call> {
  const login = await fetch(`${apiUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  return async (method, route, body, headers = {}) => {
    const response = await fetch(`${apiUrl}/api${route}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}`, ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = (await response.json()) as Record<string, unknown>;
    if (response.status >= 500) serverErrors[response.status] = (serverErrors[response.status] ?? 0) + 1;
    if (!response.ok)
      throw new Error(`${method} ${route} answered ${response.status}: ${JSON.stringify(answer)}`);
    return answer;
  };
}

/** Sums and counts of the histograms in a Prometheus text, by series. */
async function histograms(url: string | null): Promise<Map<string, { sum: number; count: number }>> {
  const series = new Map<string, { sum: number; count: number }>();
  if (!url) return series;
  const text = await fetch(url).then(
    (response) => response.text(),
    () => '',
  );
  for (const [, name, part, labels, value] of text.matchAll(
    /^(\w+)_(sum|count)(\{[^}]*\})? ([\d.e+-]+)$/gm,
  )) {
    const key = `${name}${labels ?? ''}`;
    const entry = series.get(key) ?? { sum: 0, count: 0 };
    if (part === 'sum') entry.sum = Number(value);
    else entry.count = Number(value);
    series.set(key, entry);
  }
  return series;
}

/**
 * Where creating an order spends its time, from the metrics of the worker (the SDK's: the workflow task's
 * wait for a worker and its run, each local activity) and of the API (the whole request), accumulated over
 * the full rounds at 20 in flight: the mean of each, in milliseconds.
 */
class CreationProfile {
  private readonly totals = new Map<string, { sum: number; count: number }>();

  constructor(private readonly sources: (string | null)[]) {}

  /** Measures one round: the metrics' growth while it ran. */
  async around<T>(work: () => Promise<T>): Promise<T> {
    const before = await Promise.all(this.sources.map(histograms));
    const result = await work();
    const after = await Promise.all(this.sources.map(histograms));
    after.forEach((series, index) => {
      for (const [key, value] of series) {
        const start = before[index]!.get(key) ?? { sum: 0, count: 0 };
        const total = this.totals.get(key) ?? { sum: 0, count: 0 };
        this.totals.set(key, {
          sum: total.sum + value.sum - start.sum,
          count: total.count + value.count - start.count,
        });
      }
    });
    return result;
  }

  private mean(pattern: RegExp): number | null {
    let sum = 0;
    let count = 0;
    for (const [key, value] of this.totals)
      if (pattern.test(key)) {
        sum += value.sum;
        count += value.count;
      }
    return count > 0 ? Math.round((sum / count) * 1000) : null;
  }

  figures() {
    return {
      apiCreateMs: this.mean(
        /^oms_http_request_duration_seconds\{method="POST",route="\/api\/orders",status="201"\}/,
      ),
      workflowTaskWaitMs: this.mean(
        /^temporal_workflow_task_schedule_to_start_latency\{.*task_queue="orders"/,
      ),
      workflowTaskRunMs: this.mean(
        /^temporal_workflow_task_execution_latency\{.*workflow_type="orderWorkflow"/,
      ),
      recordOrderMs: this.mean(/^temporal_local_activity_execution_latency\{activity_type="recordOrder"/),
      recordOrderAndNotifyMs: this.mean(
        /^temporal_local_activity_execution_latency\{activity_type="recordOrderAndNotify"/,
      ),
      notifyOrderMs: this.mean(/^temporal_local_activity_execution_latency\{activity_type="notifyOrder"/),
      respondWorkflowTaskMs: this.mean(
        /^temporal_request_latency\{.*operation="RespondWorkflowTaskCompleted"/,
      ),
    };
  }
}

/**
 * Runs `total` jobs with `concurrency` in flight; returns what each measured and the wall time. With
 * `tolerate`, a job that fails is counted (and its failure kept) instead of ending the run.
 */
async function closedLoop<T>(total: number, concurrency: number, job: () => Promise<T>, tolerate = false) {
  const samples: T[] = [];
  const failures: string[] = [];
  let started = 0;
  const begin = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (started < total) {
        started++;
        try {
          samples.push(await job());
        } catch (error) {
          if (!tolerate) throw error;
          failures.push(String(error));
        }
      }
    }),
  );
  return { samples, failures, seconds: (performance.now() - begin) / 1000 };
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await work();
  return [result, performance.now() - start];
}

/**
 * One order through the pipeline. Every `partialEvery`-th (0: none) is an `allowPartial` order of two units
 * that leaves in two parcels (one unit, then the rest): its `ship` time is both shipments'.
 */
function fullOrder(call: Call, customerId: string, sku: string, created: string[], partialEvery = 0) {
  let placed = 0;
  return async (): Promise<Sample> => {
    const partial = partialEvery > 0 && ++placed % partialEvery === 0;
    const begin = performance.now();
    const [order, create] = await timed(() =>
      call(
        'POST',
        '/orders',
        partial
          ? { customerId, lines: [{ sku, quantity: 2 }], allowPartial: true }
          : { customerId, lines: [{ sku, quantity: 1 }] },
      ),
    );
    const id = order.id as string;
    created.push(id);
    const [approved, approve] = await timed(() =>
      call('POST', `/orders/${id}/approve`, { comment: 'bench' }),
    );
    if (approved.awaiting !== 'shipment')
      throw new Error(`order ${id} is ${String(approved.awaiting)} after approval`);
    const [first, part] = partial
      ? await timed(() =>
          call('POST', `/orders/${id}/shipments`, {
            lines: [{ sku, quantity: 1 }],
            carrier: 'SF',
            trackingNumber: `${id}-1`,
          }),
        )
      : [null, 0];
    if (partial && (first?.lines as unknown[] | undefined)?.length !== 1)
      throw new Error(`order ${id}: the first parcel was not recorded`);
    const [shipped, rest] = await timed(() =>
      call('POST', `/orders/${id}/ship`, { carrier: 'SF', trackingNumber: id }),
    );
    if ((shipped.shipments as unknown[]).length !== (partial ? 2 : 1))
      throw new Error(`order ${id} left in ${(shipped.shipments as unknown[]).length} shipments`);
    const [done, complete] = await timed(() => call('POST', `/orders/${id}/complete`, {}));
    if (done.status !== 'completed') throw new Error(`order ${id} is ${String(done.status)}`);
    return { create, approve, ship: part + rest, complete, endToEnd: performance.now() - begin };
  };
}

function bareOrder(client: Client, created: string[]) {
  return async (): Promise<Sample> => {
    const begin = performance.now();
    const workflowId = `bare:${randomUUID()}`;
    created.push(workflowId);
    const [, create] = await timed(() =>
      client.workflow.executeUpdateWithStart(bareCreatedUpdate, {
        startWorkflowOperation: new WithStartWorkflowOperation('bareOrderWorkflow', {
          workflowId,
          taskQueue: BARE_TASK_QUEUE,
          workflowIdConflictPolicy: 'FAIL',
        }),
      }),
    );
    const handle = client.workflow.getHandle(workflowId);
    const [, approve] = await timed(() => handle.executeUpdate(bareApproveUpdate));
    const [, ship] = await timed(() => handle.executeUpdate(bareShipUpdate));
    const [status, complete] = await timed(() => handle.executeUpdate(bareCompleteUpdate));
    if (status !== 'completed') throw new Error(`${workflowId} is ${status}`);
    return { create, approve, ship, complete, endToEnd: performance.now() - begin };
  };
}

/** Places `count` orders that wait for approval (20 in flight); their ids, oldest first, and the rate. */
async function placeWaiting(call: Call, customerId: string, sku: string, count: number) {
  const ids: string[] = [];
  if (count === 0) return { ids, figures: null };
  let repeated = 0;
  const { samples, seconds } = await closedLoop(count, 20, async () => {
    // Placing thousands of orders on a loaded machine meets the odd 503 (try again): repeated with the
    // same Idempotency-Key, so each order is created once; counted in the figures.
    const key = { 'idempotency-key': randomUUID() };
    const place = () => call('POST', '/orders', { customerId, lines: [{ sku, quantity: 1 }] }, key);
    const [order, create] = await timed(async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await place();
        } catch (error) {
          if (attempt === 5 || !String(error).includes('answered 503')) throw error;
          repeated++;
          await new Promise((resolve) => setTimeout(resolve, 1000));
        }
      }
    });
    if (order.awaiting !== 'approval')
      throw new Error(`order ${String(order.id)} does not wait for approval`);
    ids.push(order.id as string);
    return create;
  });
  console.log(`${count} orders placed to wait for approval in ${seconds.toFixed(0)} s`);
  return {
    ids,
    figures: {
      orders: count,
      placedPerSecond: Number((count / seconds).toFixed(1)),
      repeatedAfter503: repeated,
      create: { p50: Math.round(percentile(samples, 50)), p99: Math.round(percentile(samples, 99)) },
    },
  };
}

/** Approves the 100 oldest waiting orders, 4 in flight: workflows long gone from the worker's cache. */
async function approveOldest(call: Call, ids: string[]) {
  const sample = ids.slice(0, 100);
  const { samples } = await closedLoop(sample.length, 4, async () => {
    const id = sample.shift()!;
    const [approved, approve] = await timed(() =>
      call('POST', `/orders/${id}/approve`, { comment: 'bench' }),
    );
    if (approved.awaiting !== 'shipment')
      throw new Error(`order ${id} is ${String(approved.awaiting)} after approval`);
    return approve;
  });
  return { p50: Math.round(percentile(samples, 50)), p99: Math.round(percentile(samples, 99)) };
}

/**
 * A manager changes the approval reminders while the orders wait: how long the request takes to answer, and
 * how long its rollout takes to bring the policy to every waiting order.
 */
async function changePolicy(call: Call, client: Client) {
  const { items } = (await call('GET', '/escalation-policies')) as {
    items: { stage: string; levels: unknown }[];
  };
  const levels = items.find((policy) => policy.stage === 'approval')?.levels ?? [];
  const begin = performance.now();
  const [change, answeredMs] = await timed(() => call('PUT', '/escalation-policies/approval', { levels }));
  const reached: number = await client.workflow
    .getHandle<typeof escalationRolloutWorkflow>(escalationRolloutWorkflowId('approval'))
    .result();
  const rolloutSeconds = (performance.now() - begin) / 1000;
  console.log(
    `policy change answered in ${answeredMs.toFixed(0)} ms; reached ${reached} orders in ${rolloutSeconds.toFixed(1)} s`,
  );
  return {
    answeredMs: Math.round(answeredMs),
    appliedTo: change.appliedTo as number,
    reached,
    rolloutSeconds: Number(rolloutSeconds.toFixed(1)),
  };
}

/** Events, activities (regular and local) and workflow tasks in one finished workflow's history. */
async function historyShape(client: Client, workflowId: string) {
  await client.workflow.getHandle(workflowId).result();
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const events = history.events ?? [];
  return {
    events: events.length,
    activities: events.filter((event) => event.activityTaskScheduledEventAttributes).length,
    localActivities: events.filter(
      (event) => event.markerRecordedEventAttributes?.markerName === 'core_local_activity',
    ).length,
    workflowTasks: events.filter((event) => event.workflowTaskCompletedEventAttributes).length,
  };
}

async function run(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const options = parseOptions(process.argv.slice(2));
  const deliveries = options.fault
    ? await deliveryBench(options.fault, options.staff, options.messages)
    : null;
  const target = await startTarget(options, deliveries?.env ?? {});
  const profile = new CreationProfile([
    target.workerUrl && `${target.workerUrl}/metrics`,
    `${target.apiUrl}/metrics`,
  ]);
  const connection = await connectClient(target.temporal);
  const client = new Client({ connection, namespace: target.temporal.namespace });
  const workerConnection = await connectNative(target.temporal);
  const worker = await Worker.create({
    connection: workerConnection,
    namespace: target.temporal.namespace,
    taskQueue: BARE_TASK_QUEUE,
    workflowsPath: require.resolve('./bare.workflow'),
    activities: bareActivities,
  });
  const workerRun = worker.run();
  let passed = false;
  try {
    const call = await signIn(target.apiUrl, target.password);
    // Every order needs a staff member's approval: the staff action the benchmark times.
    await call('PUT', '/settings/approval', {
      autoApproveBelow: 0,
      staffApprovalLimit: 1e11,
      currency: 'CNY',
    });
    const tag = randomUUID().slice(0, 8);
    const customer = await call('POST', '/customers', {
      name: `Bench ${tag}`,
      email: `bench-${tag}@example.com`,
    });
    const sku = `BENCH-${tag}`;
    await call('POST', '/products', {
      sku,
      name: 'Bench item',
      unitPrice: 100,
      currency: 'CNY',
      stockOnHand: 1e9,
    });
    await deliveries?.prepare(call, target.password);

    const waiting = await placeWaiting(call, customer.id as string, sku, options.waiting);
    const rssWaiting = waiting.ids.length ? rssOf('worker/main.js', target.dataDir) : null;
    const policyChange = waiting.ids.length ? await changePolicy(call, client) : null;

    const plan: { side: 'full' | 'bare'; concurrency: number; warmup: boolean }[] = [];
    const shapes = [20, 4];
    for (const [round, warmup] of [
      [0, true],
      ...Array.from({ length: options.rounds }, (_, i) => [i + 1, false]),
    ] as [number, boolean][]) {
      for (const concurrency of shapes) {
        const sides: ('full' | 'bare')[] = round % 2 === 0 ? ['full', 'bare'] : ['bare', 'full'];
        for (const side of sides) plan.push({ side, concurrency, warmup });
      }
    }
    const results: RoundResult[] = [];
    const fullIds: string[] = [];
    const bareIds: string[] = [];
    const rss = { worker: 0, api: 0 };
    for (const step of plan) {
      const orders = step.warmup
        ? Math.max(4, Math.ceil(options.ordersPerRound / 4))
        : options.ordersPerRound;
      const ids = step.side === 'full' ? fullIds : bareIds;
      const job =
        step.side === 'full'
          ? fullOrder(call, customer.id as string, sku, ids, options.partialEvery)
          : bareOrder(client, ids);
      const measured = step.side === 'full' && step.concurrency === 20 && !step.warmup;
      const loop = () => closedLoop(orders, step.concurrency, job);
      const { samples, seconds } = measured ? await profile.around(loop) : await loop();
      rss.worker = Math.max(rss.worker, rssOf('worker/main.js', target.dataDir) ?? 0);
      rss.api = Math.max(rss.api, rssOf('api/main.js', target.dataDir) ?? 0);
      console.log(
        `${step.warmup ? 'warm-up ' : ''}${step.side} at ${step.concurrency} in flight: ${orders} orders in ${seconds.toFixed(1)} s`,
      );
      if (!step.warmup)
        results.push({ side: step.side, concurrency: step.concurrency, orders, seconds, samples });
    }

    const oldest = waiting.ids.length ? await approveOldest(call, waiting.ids) : null;
    const fault = deliveries
      ? await faultRounds(deliveries, options, call, target, customer.id as string, sku, fullIds)
      : null;

    // Exactly once: every order the client created is completed, and there are no others. Under a delivery
    // fault a request that failed (counted and reported) may have left its order where it was.
    const tolerated = fault
      ? fault.during.failures.length + fault.duringAt4.failures.length + fault.after.failures.length
      : 0;
    const incomplete: string[] = [];
    for (const id of fullIds) {
      const order = await call('GET', `/orders/${id}`);
      if (order.status !== 'completed') incomplete.push(`${id} is ${String(order.status)}`);
    }
    if (incomplete.length > tolerated)
      throw new Error(`orders not completed: ${incomplete.slice(0, 10).join(', ')}`);
    const listed = await client.workflow.count(`WorkflowType="orderWorkflow"`);
    const placed = fullIds.length + waiting.ids.length;
    if (!options.reuse && listed.count !== placed)
      throw new Error(`${listed.count} order workflows for ${placed} orders created`);
    if (new Set([...fullIds, ...waiting.ids]).size !== placed)
      throw new Error('an order id was answered twice');

    const shapeFull = await historyShape(client, orderWorkflowId(fullIds[fullIds.length - 1]!));
    const shapeBare = await historyShape(client, bareIds[bareIds.length - 1]!);
    const report = summarize(
      results,
      { full: shapeFull, bare: shapeBare },
      rss,
      options,
      waiting.figures && { ...waiting.figures, workerRssMb: rssWaiting, oldestApprove: oldest, policyChange },
      profile.figures(),
      fault,
    );
    const folder = path.join(process.cwd(), 'bench-results');
    mkdirSync(folder, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    writeFileSync(path.join(folder, `bench-${stamp}.json`), JSON.stringify(report.json, null, 2));
    writeFileSync(path.join(folder, `bench-${stamp}.md`), report.markdown);
    console.log(`\n${report.markdown}`);
    console.log(`written to bench-results/bench-${stamp}.{json,md}`);
    passed = true;
  } finally {
    worker.shutdown();
    await workerRun;
    await workerConnection.close();
    await connection.close();
    await target.stop(passed);
    await deliveries?.close();
  }
}

/** Throughput, create latency and server errors of full rounds (`rounds` of them at `concurrency`). */
async function fullRounds(
  options: Options,
  call: Call,
  customerId: string,
  sku: string,
  ids: string[],
  concurrency = 20,
  rounds = options.rounds,
): Promise<{
  orders: number;
  seconds: number;
  ordersPerSecond: number;
  create: number[];
  serverErrors: number;
  failures: string[];
}> {
  const before = serverErrorCount();
  const create: number[] = [];
  const failures: string[] = [];
  let orders = 0;
  let seconds = 0;
  for (let round = 0; round < rounds; round++) {
    const result = await closedLoop(
      options.ordersPerRound,
      concurrency,
      fullOrder(call, customerId, sku, ids, options.partialEvery),
      true,
    );
    orders += result.samples.length;
    seconds += result.seconds;
    create.push(...result.samples.map((sample) => sample.create));
    failures.push(...result.failures);
  }
  return {
    orders,
    seconds,
    ordersPerSecond: orders / seconds,
    create,
    serverErrors: serverErrorCount() - before,
    failures,
  };
}

/**
 * The delivery fault: full rounds with the receiver failing (at 20 in flight for throughput, then one at 4
 * for latency, as the healthy rounds), then its return and the outbox's drain (at most ten minutes), then
 * full rounds healthy again, to compare with those before in the same run.
 */
async function faultRounds(
  deliveries: DeliveryBench,
  options: Options,
  call: Call,
  target: Target,
  customerId: string,
  sku: string,
  ids: string[],
) {
  await deliveries.breakReceiver();
  console.log(`${deliveries.fault}: the receiver fails from now on`);
  const during = await fullRounds(options, call, customerId, sku, ids);
  console.log(
    `full at 20 in flight during ${deliveries.fault}: ${during.ordersPerSecond.toFixed(2)} orders/s`,
  );
  const duringAt4 = await fullRounds(options, call, customerId, sku, ids, 4, 1);
  console.log(`full at 4 in flight during ${deliveries.fault}: ${duringAt4.orders} orders`);
  await deliveries.restore();
  console.log(`${deliveries.fault}: the receiver works again; waiting for the outbox to drain`);
  const drain = await deliveries.drained(call, `${target.apiUrl}/metrics`, 600_000);
  console.log(`outbox drained in ${drain.seconds.toFixed(0)} s: ${JSON.stringify(drain.byStatus)}`);
  const after = await fullRounds(options, call, customerId, sku, ids);
  console.log(`full at 20 in flight, healthy again: ${after.ordersPerSecond.toFixed(2)} orders/s`);
  return { fault: deliveries.fault, staff: options.staff, during, duringAt4, after, drain };
}

function summarize(
  results: RoundResult[],
  shapes: Record<'full' | 'bare', Awaited<ReturnType<typeof historyShape>>>,
  rss: { worker: number; api: number },
  options: Options,
  waiting: {
    orders: number;
    placedPerSecond: number;
    repeatedAfter503: number;
    create: { p50: number; p99: number };
    workerRssMb: number | null;
    oldestApprove: { p50: number; p99: number } | null;
    policyChange: Awaited<ReturnType<typeof changePolicy>> | null;
  } | null,
  creation: ReturnType<CreationProfile['figures']>,
  fault: Awaited<ReturnType<typeof faultRounds>> | null,
) {
  const pick = (side: 'full' | 'bare', concurrency: number) =>
    results.filter((r) => r.side === side && r.concurrency === concurrency);
  const throughput = (side: 'full' | 'bare') => {
    const rounds = pick(side, 20);
    return rounds.reduce((sum, r) => sum + r.orders, 0) / rounds.reduce((sum, r) => sum + r.seconds, 0);
  };
  const latency = (side: 'full' | 'bare', key: keyof Sample, concurrency = 4) => {
    const values = pick(side, concurrency).flatMap((r) => r.samples.map((s) => s[key]));
    return { p50: Math.round(percentile(values, 50)), p99: Math.round(percentile(values, 99)) };
  };
  const sides = ['full', 'bare'] as const;
  const healthy = (() => {
    // The pipeline's own healthy throughput: its full rounds at 20 before the fault and after the drain.
    if (!fault) return null;
    const before = pick('full', 20);
    const orders = before.reduce((sum, r) => sum + r.orders, 0) + fault.after.orders;
    return orders / (before.reduce((sum, r) => sum + r.seconds, 0) + fault.after.seconds);
  })();
  const faultJson = fault && {
    fault: fault.fault,
    staffOnEmailAll: fault.staff,
    healthyOrdersPerSecond: Number(healthy!.toFixed(2)),
    healthyAfterOrdersPerSecond: Number(fault.after.ordersPerSecond.toFixed(2)),
    faultOrdersPerSecond: Number(fault.during.ordersPerSecond.toFixed(2)),
    ratio: Number((fault.during.ordersPerSecond / healthy!).toFixed(2)),
    createDuringFault: {
      p50: Math.round(percentile(fault.during.create, 50)),
      p99: Math.round(percentile(fault.during.create, 99)),
    },
    // Latency where the healthy rounds read it (at 20 in flight a closed loop's requests mostly queue).
    createAt4InFlight: {
      healthy: latency('full', 'create'),
      duringFault: {
        p50: Math.round(percentile(fault.duringAt4.create, 50)),
        p99: Math.round(percentile(fault.duringAt4.create, 99)),
      },
    },
    serverErrorsDuringFault: fault.during.serverErrors + fault.duringAt4.serverErrors,
    failedRequests: [...fault.during.failures, ...fault.duringAt4.failures, ...fault.after.failures].slice(
      0,
      10,
    ),
    drain: { ...fault.drain, seconds: Math.round(fault.drain.seconds) },
  };
  const json = {
    at: new Date().toISOString(),
    options,
    ordersPerSecondAt20: Object.fromEntries(sides.map((side) => [side, Number(throughput(side).toFixed(2))])),
    ratio: Number((throughput('full') / throughput('bare')).toFixed(2)),
    createAt20InFlight: { full: latency('full', 'create', 20), bare: latency('bare', 'create', 20) },
    creationProfileMs: creation,
    deliveryFault: faultJson,
    at4InFlight: Object.fromEntries(
      sides.map((side) => [
        side,
        Object.fromEntries(
          (['create', 'approve', 'ship', 'complete', 'endToEnd'] as const).map((key) => [
            key,
            latency(side, key),
          ]),
        ),
      ]),
    ),
    history: shapes,
    rssMb: rss,
    waiting,
  };
  const row = (label: string, full: string, bare: string, ratio = '') =>
    `| ${label} | ${full} | ${bare} | ${ratio} |`;
  const ms = (side: 'full' | 'bare', key: keyof Sample) => {
    const { p50, p99 } = latency(side, key);
    return `${p50} / ${p99}`;
  };
  const markdown = [
    `| measure | full pipeline | bare Temporal | full ÷ bare |`,
    `|---|---|---|---|`,
    row(
      'orders/s at 20 in flight',
      throughput('full').toFixed(2),
      throughput('bare').toFixed(2),
      json.ratio.toFixed(2),
    ),
    row('create p50 / p99 (ms), 4 in flight', ms('full', 'create'), ms('bare', 'create')),
    row(
      'create p50 / p99 (ms), 20 in flight',
      `${json.createAt20InFlight.full.p50} / ${json.createAt20InFlight.full.p99}`,
      `${json.createAt20InFlight.bare.p50} / ${json.createAt20InFlight.bare.p99}`,
      (json.createAt20InFlight.full.p50 / json.createAt20InFlight.bare.p50).toFixed(2),
    ),
    row(
      'creation at 20 in flight, means (ms): API request / workflow task wait / its run / recordOrder / recordOrderAndNotify / notifyOrder / task completion call',
      [
        creation.apiCreateMs,
        creation.workflowTaskWaitMs,
        creation.workflowTaskRunMs,
        creation.recordOrderMs,
        creation.recordOrderAndNotifyMs,
        creation.notifyOrderMs,
        creation.respondWorkflowTaskMs,
      ]
        .map((value) => value ?? '—')
        .join(' / '),
      '—',
    ),
    row('approve p50 / p99 (ms)', ms('full', 'approve'), ms('bare', 'approve')),
    row('ship p50 / p99 (ms)', ms('full', 'ship'), ms('bare', 'ship')),
    row('complete p50 / p99 (ms)', ms('full', 'complete'), ms('bare', 'complete')),
    row('end to end p50 / p99 (ms)', ms('full', 'endToEnd'), ms('bare', 'endToEnd')),
    row(
      'full orders that are allowPartial and leave in two parcels',
      options.partialEvery > 0 ? `1 in ${options.partialEvery}` : 'none',
      '—',
    ),
    row('history events per order', String(shapes.full.events), String(shapes.bare.events)),
    row('activities per order', String(shapes.full.activities), String(shapes.bare.activities)),
    row(
      'local activities per order',
      String(shapes.full.localActivities),
      String(shapes.bare.localActivities),
    ),
    row('workflow tasks per order', String(shapes.full.workflowTasks), String(shapes.bare.workflowTasks)),
    row('worker / API RSS (MB)', `${rss.worker} / ${rss.api}`, '—'),
    ...(waiting
      ? [
          row(
            'orders waiting for approval throughout (placed/s, repeated after a 503)',
            `${waiting.orders} (${waiting.placedPerSecond}/s, ${waiting.repeatedAfter503})`,
            '—',
          ),
          row('worker RSS with them waiting, before the rounds (MB)', String(waiting.workerRssMb), '—'),
          row(
            'approve p50 / p99 (ms) of the 100 oldest waiting',
            `${waiting.oldestApprove?.p50} / ${waiting.oldestApprove?.p99}`,
            '—',
          ),
          row(
            'approval policy change: answered (ms) / sent to orders / rollout (s)',
            `${waiting.policyChange?.answeredMs} / ${waiting.policyChange?.reached} of ${waiting.policyChange?.appliedTo} / ${waiting.policyChange?.rolloutSeconds}`,
            '—',
          ),
        ]
      : []),
    ...(faultJson
      ? [
          row(
            `${faultJson.fault} (${faultJson.staffOnEmailAll} staff on e-mail all): orders/s at 20 in flight, healthy / during the fault`,
            `${faultJson.healthyOrdersPerSecond} / ${faultJson.faultOrdersPerSecond}`,
            '—',
            faultJson.ratio.toFixed(2),
          ),
          row(
            `${faultJson.fault}: create p50 / p99 (ms) during the fault at 20 in flight, answers of 500 and above`,
            `${faultJson.createDuringFault.p50} / ${faultJson.createDuringFault.p99}, ${faultJson.serverErrorsDuringFault}`,
            '—',
          ),
          row(
            `${faultJson.fault}: create p50 / p99 (ms) at 4 in flight, healthy / during the fault`,
            `${faultJson.createAt4InFlight.healthy.p50} / ${faultJson.createAt4InFlight.healthy.p99}; ${faultJson.createAt4InFlight.duringFault.p50} / ${faultJson.createAt4InFlight.duringFault.p99}`,
            '—',
          ),
          ...(faultJson.drain.inbound
            ? [
                row(
                  `${faultJson.fault}: messages in the mailbox / taken by the readers; seconds from their arrival until all were taken`,
                  `${faultJson.drain.inbound.messages} / ${faultJson.drain.inbound.taken}; ${faultJson.drain.seconds}`,
                  '—',
                ),
              ]
            : [
                row(
                  `${faultJson.fault}: outbox drained after the receiver returned (s); deliveries by status`,
                  `${faultJson.drain.seconds}; ${Object.entries(faultJson.drain.byStatus)
                    .map(([status, count]) => `${status} ${count}`)
                    .join(', ')}`,
                  '—',
                ),
                row(
                  `${faultJson.fault}: e-mails received / of them twice; webhook calls / distinct delivery ids`,
                  `${faultJson.drain.emailsReceived} / ${faultJson.drain.emailsTwice}; ${faultJson.drain.webhookCalls} / ${faultJson.drain.webhookIds}`,
                  '—',
                ),
              ]),
        ]
      : []),
    '',
  ].join('\n');
  return { json, markdown };
}

if (require.main === module) {
  run().catch((error: unknown) => {
    console.error('bench failed:', error);
    process.exit(1);
  });
}
