/**
 * One trace per order: an order created, approved, shipped and completed gives one trace (its id: the order's UUID) whose
 * spans cover the API, the workflow's update and the activities, down to their PostgreSQL queries; the
 * HTTP requests' own spans are linked from it, and log lines carry the trace they were written in.
 *
 * The API and the worker run as their compiled processes (OpenTelemetry's instrumentations wrap modules as
 * node loads them, which jest's own module loader bypasses) and export OTLP/HTTP JSON to a receiver in this
 * file, which keeps every span in memory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { orderRootSpanId, orderTraceId } from '../ops/order-trace';
import { eventually, seedCatalogue } from './support/fixtures';
import { apiClient, type ApiClient } from './support/http';
import { placeOrder, type OrderBody } from './support/orders';
import { freePort } from './support/ports';
import { temporalTestEnv } from './support/temporal';
import { TEST_PASSWORD, ownTaskQueue, startStack, type TestStack } from './support/stack';
import { scratchDir } from './support/scratch';

interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  name: string;
  service: string;
  links: { traceId: string; spanId: string }[];
  /** Unix nanoseconds, as OTLP/JSON writes them. */
  start: string;
  end: string;
}

/** OTLP/JSON carries ids as hex (the protobuf JSON mapping of the exporters here). */
interface OtlpJson {
  resourceSpans?: {
    resource?: { attributes?: { key: string; value: { stringValue?: string } }[] };
    scopeSpans?: {
      spans?: {
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        links?: { traceId: string; spanId: string }[];
        startTimeUnixNano: string;
        endTimeUnixNano: string;
      }[];
    }[];
  }[];
}

const spans: ReceivedSpan[] = [];
let receiver: Server;
let stack: TestStack;
const processes: { child: ChildProcess; output: () => string }[] = [];
let api: ApiClient;

function receive(body: OtlpJson): void {
  for (const resourceSpans of body.resourceSpans ?? []) {
    const service =
      resourceSpans.resource?.attributes?.find((attribute) => attribute.key === 'service.name')?.value
        .stringValue ?? '?';
    for (const scope of resourceSpans.scopeSpans ?? [])
      for (const span of scope.spans ?? [])
        spans.push({
          traceId: span.traceId,
          spanId: span.spanId,
          parentSpanId: span.parentSpanId || undefined,
          name: span.name,
          service,
          links: span.links ?? [],
          start: span.startTimeUnixNano,
          end: span.endTimeUnixNano,
        });
  }
}

async function startProcess(entry: string, env: Record<string, string>, healthUrl: string) {
  const file = path.resolve(__dirname, '..', 'dist', entry);
  if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build first`);
  let output = '';
  const child = spawn(process.execPath, [file], { env: { PATH: process.env.PATH, ...env }, stdio: 'pipe' });
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  processes.push({ child, output: () => output });
  const healthy = await eventually(
    () =>
      fetch(healthUrl).then(
        (response) => response.ok,
        () => false,
      ),
    Boolean,
    60_000,
  );
  if (!healthy) throw new Error(`${entry} did not become healthy:\n${output}`);
  return () => output;
}

let apiOutput: () => string;
let workerOutput: () => string;

beforeAll(async () => {
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      receive(JSON.parse(body) as OtlpJson);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  // Migrations, the application role and a task queue of this file's own.
  stack = await startStack({ worker: false, env: ownTaskQueue('tracing') });
  const env = {
    ...temporalTestEnv(),
    DATABASE_URL: stack.config.databaseUrl,
    OMS_TASK_QUEUE: stack.config.temporal.taskQueue,
    OMS_DATA_DIR: scratchDir('oms-tracing-'),
    OMS_ADMIN_PASSWORD: TEST_PASSWORD,
    OMS_TOKEN_SECRET: 'test-token-secret-0123456789-abcdefghij',
    OMS_LOG_FORMAT: 'json',
    OMS_LOG_LEVEL: 'log',
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
  };
  const workerPort = await freePort();
  workerOutput = await startProcess(
    'worker/main.js',
    { ...env, OMS_WORKER_PORT: String(workerPort), OMS_WORKER_SDK_METRICS_PORT: String(await freePort()) },
    `http://127.0.0.1:${workerPort}/health`,
  );
  const apiPort = await freePort();
  apiOutput = await startProcess(
    'api/main.js',
    { ...env, OMS_API_PORT: String(apiPort) },
    `http://127.0.0.1:${apiPort}/health`,
  );
  await stack.client(['staff'], 'tracing-clerk');
  const signedIn = await apiClient(`http://127.0.0.1:${apiPort}`).post<{ accessToken: string }>(
    '/api/auth/login',
    { username: 'tracing-clerk', password: TEST_PASSWORD },
  );
  api = apiClient(`http://127.0.0.1:${apiPort}`, signedIn.body.accessToken);
}, 180_000);

afterAll(async () => {
  for (const { child } of processes) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  await stack?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

it('gives an order one trace from the API through the workflow update to the activities and their queries', async () => {
  const { customerId, skus } = await seedCatalogue(api, [{ unitPrice: 1500, stockOnHand: 5 }]);
  const order = await placeOrder(api, customerId, [{ sku: skus[0]!, quantity: 1 }]);
  const approved = await api.post<OrderBody>(`/api/orders/${order.id}/approve`, {});
  expect(approved.body).toMatchObject({ status: 'processing', awaiting: 'shipment' });
  // The workflow's own span (RunWorkflow) ends, and so is exported, only when the workflow does: until
  // then the spans the lifecycle opened directly under it have a parent nobody has seen yet. So the order
  // goes to its end here.
  await api.post<OrderBody>(`/api/orders/${order.id}/ship`, { carrier: 'SF', trackingNumber: 'SF-T1' });
  const completed = await api.post<OrderBody>(`/api/orders/${order.id}/complete`, {});
  expect(completed.body).toMatchObject({ status: 'completed' });

  const traceId = orderTraceId(order.id);
  const inTrace = () => spans.filter((span) => span.traceId === traceId);
  // Both processes export once a second, each on its own schedule: wait until the workflow's span is in
  // and every span's parent, and every span it links to (the requests' own), has arrived (the assertions
  // below say what is missing if that never happens).
  await eventually(
    () => Promise.resolve(inTrace()),
    (found) => {
      const ids = new Set(found.map((span) => span.spanId));
      const linked = new Set(spans.map((span) => span.spanId));
      return (
        found.some((span) => span.name === 'RunWorkflow:orderWorkflow') &&
        found.every((span) => !span.parentSpanId || ids.has(span.parentSpanId)) &&
        found.every((span) => span.links.every((link) => linked.has(link.spanId)))
      );
    },
    30_000,
  );
  const trace = inTrace();
  // Kept for reading after the run (and for docs: scripts/trace-waterfall.ts draws it).
  mkdirSync(path.resolve(__dirname, '..', 'test-artifacts'), { recursive: true });
  writeFileSync(
    path.resolve(__dirname, '..', 'test-artifacts', 'order-trace.json'),
    JSON.stringify(trace, null, 1),
  );
  writeFileSync(
    path.resolve(__dirname, '..', 'test-artifacts', 'tracing-all-spans.json'),
    JSON.stringify(spans, null, 1),
  );
  const names = trace.map((span) => span.name);
  // The API: the order's root span (its creation), the approval under it, the Temporal client's calls.
  expect(names).toEqual(
    expect.arrayContaining([
      'order create',
      'order approve',
      'UpdateWithStartWorkflow:recorded',
      'StartWorkflowUpdate:approve',
      'RunWorkflow:orderWorkflow',
      'HandleUpdate:approve',
    ]),
  );
  expect(new Set(trace.map((span) => span.service))).toEqual(new Set(['oms-api', 'oms-worker']));
  const root = trace.find((span) => span.name === 'order create')!;
  expect([root.spanId, root.parentSpanId]).toEqual([orderRootSpanId(order.id), undefined]);

  // One tree: every span's parent is a span of the same trace.
  const ids = new Set(trace.map((span) => span.spanId));
  expect(trace.filter((span) => span.parentSpanId && !ids.has(span.parentSpanId))).toEqual([]);
  const byId = new Map(trace.map((span) => [span.spanId, span]));
  const ancestors = (span: ReceivedSpan): string[] => {
    const parent = span.parentSpanId ? byId.get(span.parentSpanId) : undefined;
    return parent ? [parent.name, ...ancestors(parent)] : [];
  };
  // The approval's activities run under the workflow's update, which runs under the API's approval span.
  const activities = trace.filter(
    (span) => span.name.startsWith('RunActivity:') && ancestors(span).includes('HandleUpdate:approve'),
  );
  expect(activities.length).toBeGreaterThan(0);
  for (const activity of activities)
    expect(ancestors(activity)).toEqual(expect.arrayContaining(['order approve', 'order create']));
  // PostgreSQL queries of those activities are in it too.
  expect(
    trace.some(
      (span) =>
        span.service === 'oms-worker' &&
        /^pg\./.test(span.name) &&
        ancestors(span).some((a) => a.startsWith('RunActivity:')),
    ),
  ).toBe(true);

  // The HTTP request that approved it has its own trace, linked from the order's approval span.
  const approval = trace.find((span) => span.name === 'order approve')!;
  const request = spans.find(
    (span) =>
      span.name.startsWith('POST') &&
      span.links.length === 0 &&
      approval.links.some((link) => link.spanId === span.spanId),
  );
  expect(request).toBeDefined();

  // Log lines carry their trace: the worker's activity lines the order's, the API's request line its own.
  const lines = (output: string) =>
    output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { trace_id?: string; msg?: string });
  expect(lines(workerOutput()).some((line) => line.trace_id === traceId)).toBe(true);
  expect(lines(apiOutput()).some((line) => line.trace_id === request!.traceId)).toBe(true);
}, 90_000);
