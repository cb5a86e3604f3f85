/**
 * `npm run test:faults`: the product under load while its processes are killed and its connections cut,
 * then the invariants that say nothing was lost or done twice.
 *
 * - the product runs as `npm start` runs it (its own data folder and ports, two worker processes), plus a
 *   second API process whose PostgreSQL and Temporal connections go through Toxiproxy (when its binary is
 *   there: `GOBIN=/root/go/toxiproxy-bin go install github.com/Shopify/toxiproxy/v2/cmd/server@v2.12.0`,
 *   or OMS_TOXIPROXY_BIN);
 * - a scripted staff client keeps orders in flight at mixed stages: straight through, cancelled, edited,
 *   waiting for stock (restocked meanwhile), declined payments (a customer over its credit limit),
 *   `allowPartial` orders that leave in parts (a first parcel, then the rest, or a cancellation of the rest),
 *   and shipped then returned: units requested back, approved, received and refunded (sometimes two returns
 *   racing for more than the order holds, one of them refused), each refund sent just before the next
 *   fault strikes, so that some are on their way when the worker (which runs the payment gateway),
 *   PostgreSQL (its ledger) or Temporal goes; every request that fails for want of the service (503, a
 *   reset connection) is repeated as a client would, order creation with the same Idempotency-Key;
 * - meanwhile a fault every few seconds: SIGKILL of a worker, of the API, of the Temporal dev server, of
 *   PostgreSQL (the launcher's supervisor brings each back), Toxiproxy cutting or slowing the second API's
 *   connections; and the receivers of e-mail and webhooks failing for a while, then back: the SMTP server
 *   down (refusing connections) or black-holed (accepting them, never answering), the webhook receiver
 *   answering 500 or only after 10 s, with 22 members of staff on e-mail `all`;
 * - contention: 100 concurrent orders for 10 units, edit and cancel of one order at once, two managers
 *   approving one order at once;
 * - then, once every order and return is idle, each return driven to its end (closed, or `received` with
 *   the 409 that refused its refund), the invariants (the same queries as in the README) and the figures;
 *   and once the outbox has drained, that every delivery was sent (or, for an e-mail whose sender was
 *   killed mid-send, left `unconfirmed`), no e-mail arrived twice, and every webhook call reached its
 *   receiver, again only by the same delivery id.
 *
 * OMS_FAULTS_MODE=short (CI) keeps 20 orders in flight for at least 75 s and until each kind of fault was
 * injected once (a few minutes); the full mode (default) 200 for ten minutes. Exits 1 when an invariant fails or a request answered 500.
 */
import { Client, Connection } from '@temporalio/client';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { accessSync, constants, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client as PgClient } from 'pg';
import { loadConfig } from '../config/config';
import { EXTERNAL_TEMPORAL_VARIABLES } from '../config/temporal';
import { connectClient } from '../ops/temporal-connection';
import { ORDER_AWAITING_KEY, ORDER_STATUS_KEY, orderWorkflowId } from '../workflows/order.definitions';
import { returnWorkflowId } from '../workflows/return.definitions';
import { freePort } from './ports';
import { prng } from './prng';
import {
  startSmtpReceiver,
  startWebhookReceiver,
  type SmtpReceiver,
  type WebhookReceiver,
} from './receivers';

const short = process.env.OMS_FAULTS_MODE === 'short' || process.argv.includes('--short');
const PLAN = short
  ? {
      inFlight: 20,
      loadSeconds: 75,
      faultEveryMs: [6000, 10_000],
      contention: 100,
      receiverDownMs: 20_000,
      refundWaitMs: 15_000,
    }
  : {
      inFlight: 200,
      loadSeconds: 600,
      faultEveryMs: [15_000, 30_000],
      contention: 100,
      receiverDownMs: 120_000,
      refundWaitMs: 40_000,
    };
/** Members of staff with an e-mail address who chose every e-mail: each order makes dozens of deliveries. */
const STAFF_ON_EMAIL = 22;
/** How long the outbox may take to send its backlog once every receiver is back. */
const DRAIN_MS = 600_000;
const seed = Number(process.env.OMS_FAULTS_SEED ?? Date.now() % 100_000);
const random = prng(seed);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (line: string) => console.log(`[faults] ${line}`);

const figures = {
  ordersCreated: 0,
  requests: 0,
  answered503: 0,
  answered500: 0,
  connectionErrors: 0,
  repeated: 0,
  faults: {} as Record<string, number>,
  recoveries: [] as { fault: string; seconds: number }[],
  /** Refund requests sent and not yet answered when each kind of fault struck, summed over its strikes. */
  refundsInFlightAtFault: {} as Record<string, number>,
};

// ---------------------------------------------------------------------------------------------- stack

interface Stack {
  apiUrl: string;
  /** The product's e-mail and webhook receivers, which the delivery faults take away and bring back. */
  smtp: SmtpReceiver;
  hooks: WebhookReceiver;
  /** The second API, reaching PostgreSQL and Temporal through Toxiproxy; null without Toxiproxy. */
  proxiedApiUrl: string | null;
  dataDir: string;
  ownerUrl: string;
  temporalAddress: string;
  password: string;
  output: () => string;
  toxiproxy: Toxiproxy | null;
  /** Stops everything; the data folder goes too when the suite `passed`, else it stays to read. */
  stop(passed: boolean): Promise<void>;
}

function toxiproxyBinary(): string | null {
  const candidates = [process.env.OMS_TOXIPROXY_BIN, '/root/go/toxiproxy-bin/server'].filter(Boolean);
  for (const file of candidates as string[]) {
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not there
    }
  }
  return null;
}

interface Toxiproxy {
  process: ChildProcess;
  api: string;
  ports: { pg: number; temporal: number };
  request(method: string, route: string, body?: unknown): Promise<void>;
}

async function startToxiproxy(binary: string, pgPort: number, temporalPort: number): Promise<Toxiproxy> {
  const port = await freePort();
  const child = owned(spawn(binary, ['-host', '127.0.0.1', '-port', String(port)], { stdio: 'ignore' }));
  const api = `http://127.0.0.1:${port}`;
  const request = async (method: string, route: string, body?: unknown) => {
    const response = await fetch(`${api}${route}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok)
      throw new Error(`toxiproxy ${method} ${route}: ${response.status} ${await response.text()}`);
  };
  for (let tries = 0; ; tries++) {
    try {
      await fetch(`${api}/version`);
      break;
    } catch {
      if (tries > 50) throw new Error('toxiproxy did not start');
      await sleep(100);
    }
  }
  const ports = { pg: await freePort(), temporal: await freePort() };
  await request('POST', '/proxies', {
    name: 'pg',
    listen: `127.0.0.1:${ports.pg}`,
    upstream: `127.0.0.1:${pgPort}`,
  });
  await request('POST', '/proxies', {
    name: 'temporal',
    listen: `127.0.0.1:${ports.temporal}`,
    upstream: `127.0.0.1:${temporalPort}`,
  });
  return { process: child, api, ports, request };
}

async function waitForOutput(output: () => string, text: string, child: ChildProcess, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!output().includes(text)) {
    if (child.exitCode !== null) throw new Error(`the launcher exited:\n${output()}`);
    if (Date.now() > deadline) throw new Error(`no "${text}" within ${timeoutMs} ms:\n${output()}`);
    await sleep(200);
  }
}

/**
 * Every process this suite starts, stopped when the suite's own process exits, whatever ends it: a crash
 * that skipped `stack.stop(…)` once left the whole product running beside whatever ran next.
 */
const started = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of started)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
});

function owned(child: ChildProcess): ChildProcess {
  started.add(child);
  child.once('exit', () => started.delete(child));
  return child;
}

async function startStack(): Promise<Stack> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'oms-faults-'));
  const ports = {
    pg: await freePort(),
    temporal: await freePort(),
    ui: await freePort(),
    api: await freePort(),
    // Two workers: the second listens two above the first.
    worker: await freePort({ alsoFree: [2] }),
    metrics: await freePort({ alsoFree: [2] }),
  };
  const password = `faults-${randomUUID()}`;
  const smtp = await startSmtpReceiver();
  const hooks = await startWebhookReceiver();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    OMS_SMTP_URL: smtp.url,
    OMS_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    OMS_DATA_DIR: dataDir,
    OMS_PG_PORT: String(ports.pg),
    OMS_TEMPORAL_PORT: String(ports.temporal),
    OMS_TEMPORAL_UI_PORT: String(ports.ui),
    OMS_API_PORT: String(ports.api),
    OMS_WORKER_PORT: String(ports.worker),
    OMS_WORKER_SDK_METRICS_PORT: String(ports.metrics),
    OMS_WORKERS: '2',
    OMS_ADMIN_PASSWORD: password,
    OMS_TOKEN_SECRET: `faults-secret-${randomUUID()}`,
    OMS_LOG_LEVEL: 'error',
  };
  delete env.DATABASE_URL;
  // Its own dev server: no external Temporal's settings may steer it.
  for (const name of EXTERNAL_TEMPORAL_VARIABLES) delete env[name];
  let output = '';
  const launcher = owned(
    spawn(process.execPath, [path.join(__dirname, 'start.js')], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  const keep = (chunk: Buffer) => {
    const text = chunk.toString();
    output += text;
    for (const line of text.split('\n'))
      if (
        line.startsWith('[oms]') ||
        (/"level":(50|"error")/.test(line) && !line.includes('failed with status code'))
      )
        log(line.slice(0, 2000));
  };
  launcher.stdout?.on('data', keep);
  launcher.stderr?.on('data', keep);
  await waitForOutput(() => output, 'press Ctrl-C to stop', launcher, 240_000);
  const config = loadConfig(env);

  const binary = toxiproxyBinary();
  let toxiproxy: Toxiproxy | null = null;
  let proxiedApi: ChildProcess | null = null;
  let proxiedApiUrl: string | null = null;
  if (binary) {
    toxiproxy = await startToxiproxy(binary, ports.pg, ports.temporal);
    const databaseUrl = new URL(config.databaseUrl);
    databaseUrl.port = String(toxiproxy.ports.pg);
    const apiPort = await freePort();
    proxiedApi = owned(
      spawn(process.execPath, [path.join(__dirname, '..', 'api', 'main.js')], {
        env: {
          ...env,
          DATABASE_URL: databaseUrl.toString(),
          TEMPORAL_ADDRESS: `127.0.0.1:${toxiproxy.ports.temporal}`,
          OMS_API_PORT: String(apiPort),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    const keepProxied = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n'))
        if (/"level":(50|"error")/.test(line) && !line.includes('failed with status code'))
          log(`[API behind Toxiproxy] ${line.slice(0, 2000)}`);
    };
    proxiedApi.stdout?.on('data', keepProxied);
    proxiedApi.stderr?.on('data', keepProxied);
    proxiedApiUrl = `http://127.0.0.1:${apiPort}`;
    for (let tries = 0; ; tries++) {
      const health = await fetch(`${proxiedApiUrl}/health`).catch(() => null);
      if (health?.ok) break;
      if (tries > 300) throw new Error('the proxied API did not start');
      await sleep(200);
    }
  } else {
    log('no Toxiproxy binary: connection faults are skipped (see the README to install it)');
  }
  return {
    apiUrl: `http://127.0.0.1:${ports.api}`,
    smtp,
    hooks,
    proxiedApiUrl,
    dataDir,
    ownerUrl: config.databaseOwnerUrl,
    temporalAddress: `127.0.0.1:${ports.temporal}`,
    password,
    output: () => output,
    toxiproxy,
    async stop(passed) {
      proxiedApi?.kill('SIGTERM');
      toxiproxy?.process.kill('SIGTERM');
      await new Promise<void>((resolve) => {
        if (launcher.exitCode !== null) return resolve();
        launcher.once('exit', () => resolve());
        launcher.kill('SIGINT');
      });
      await smtp.close();
      await hooks.close();
      if (passed) rmSync(dataDir, { recursive: true, force: true });
      else log(`the product's data is kept in ${dataDir}`);
    },
  };
}

// --------------------------------------------------------------------------------------------- client

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** A staff client that repeats what failed for want of the service, as a person or a script would. */
function staffClient(urls: () => string, token: string) {
  const once = async (
    method: string,
    route: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    figures.requests++;
    const response = await fetch(`${urls()}/api${route}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(40_000),
    });
    const text = await response.text();
    let parsed: Record<string, unknown> = {};
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      parsed = { text };
    }
    return { status: response.status, body: parsed };
  };
  return async (method: string, route: string, body?: unknown, headers?: Record<string, string>) => {
    const deadline = Date.now() + 180_000;
    for (;;) {
      let answer: Answer | null = null;
      try {
        answer = await once(method, route, body, headers);
      } catch {
        figures.connectionErrors++;
      }
      if (answer?.status === 500) {
        figures.answered500++;
        log(`500 from ${method} ${route}: ${JSON.stringify(answer.body)}`);
      }
      if (answer && answer.status === 503) figures.answered503++;
      if (answer && answer.status < 500) return answer;
      if (Date.now() > deadline) throw new Error(`${method} ${route} did not get through in three minutes`);
      figures.repeated++;
      await sleep(500 + random() * 1000);
    }
  };
}

type Call = ReturnType<typeof staffClient>;

async function signIn(url: string, username: string, password: string): Promise<string> {
  for (let tries = 0; ; tries++) {
    const response = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    }).catch(() => null);
    if (response?.ok) return ((await response.json()) as { accessToken: string }).accessToken;
    if (tries > 100) throw new Error(`cannot sign in as ${username}`);
    await sleep(1000);
  }
}

function expectStatus(answer: Answer, allowed: number[], what: string): void {
  if (!allowed.includes(answer.status))
    throw new Error(`${what} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
}

// ----------------------------------------------------------------------------------------------- load

interface Catalogue {
  customer: string;
  /** A customer whose credit limit declines every order. */
  broke: string;
  plenty: { id: string; sku: string };
  scarce: { id: string; sku: string };
}

/** Every order that was answered 201, with its id. */
const created = new Set<string>();
/** Restocks answered 200 per product, and those whose outcome is unknown. */
const restocks = { ok: 0, uncertain: 0 };

async function createOrder(
  call: Call,
  customerId: string,
  sku: string,
  quantity = 1,
  allowPartial = false,
): Promise<string> {
  const key = randomUUID();
  const answer = await call(
    'POST',
    '/orders',
    { customerId, lines: [{ sku, quantity }], ...(allowPartial ? { allowPartial } : {}) },
    { 'idempotency-key': key },
  );
  expectStatus(answer, [200, 201], 'order creation');
  const id = answer.body.id as string;
  created.add(id);
  figures.ordersCreated = created.size;
  return id;
}

/** An action that may have happened already when its first answer was lost: a 409 is then fine. */
async function act(call: Call, id: string, action: string, body: unknown = {}): Promise<Answer> {
  const answer = await call('POST', `/orders/${id}/${action}`, body);
  expectStatus(answer, [200, 409], `${action} of ${id}`);
  return answer;
}

async function oneOrder(call: Call, catalogue: Catalogue): Promise<void> {
  const path = pick([
    'through',
    'through',
    'cancel',
    'edit',
    'stock',
    'declined',
    'return',
    'return',
    'partial',
  ] as const);
  if (path === 'return') return oneReturn(call, catalogue);
  if (path === 'partial') return partialOrder(call, catalogue);
  if (path === 'declined') {
    const id = await createOrder(call, catalogue.broke, catalogue.plenty.sku, 1);
    await act(call, id, 'approve', { comment: 'faults' });
    await act(call, id, 'cancel', { reason: 'payment declined' });
    return;
  }
  const product = path === 'stock' ? catalogue.scarce : catalogue.plenty;
  const id = await createOrder(call, catalogue.customer, product.sku, path === 'stock' ? 2 : 1);
  if (path === 'edit') {
    const edited = await call('PATCH', `/orders/${id}`, { lines: [{ sku: product.sku, quantity: 2 }] });
    expectStatus(edited, [200, 409], `edit of ${id}`);
  }
  if (path === 'cancel') {
    await act(call, id, 'cancel', { reason: 'changed mind' });
    return;
  }
  const approved = await act(call, id, 'approve', { comment: 'faults' });
  // An order waiting for stock stays waiting (the restocker serves the queue); the others go on.
  if (path === 'stock' && approved.body.awaiting === 'stock') return;
  const shipped = await act(call, id, 'ship', { carrier: 'SF', trackingNumber: id.slice(0, 12) });
  if (shipped.status === 200) await act(call, id, 'complete');
}

/** Orders that left in parts (a first parcel answered), and those cancelled after it. */
const partial = { shippedInParts: 0, cancelledAfterAPart: 0 };

/**
 * An `allowPartial` order of 3 that leaves in parts (issue 24): a first parcel of one unit (under an
 * Idempotency-Key, so a request repeated after a lost answer ships it once), then either the rest and
 * delivery, or a cancellation of what has not shipped (which refunds the rest and keeps what shipped).
 */
async function partialOrder(call: Call, catalogue: Catalogue): Promise<void> {
  const id = await createOrder(call, catalogue.customer, catalogue.plenty.sku, 3, true);
  const approved = await act(call, id, 'approve', { comment: 'faults' });
  if (approved.status !== 200 || approved.body.awaiting !== 'shipment') return;
  const parcel = await call(
    'POST',
    `/orders/${id}/shipments`,
    {
      lines: [{ sku: catalogue.plenty.sku, quantity: 1 }],
      carrier: 'SF',
      trackingNumber: `${id.slice(0, 8)}-1`,
    },
    { 'idempotency-key': `first-parcel-${id}` },
  );
  expectStatus(parcel, [200, 201, 409], `first parcel of ${id}`);
  if (parcel.status === 409) return;
  if (random() < 0.5) {
    partial.cancelledAfterAPart++;
    await act(call, id, 'cancel', { reason: 'the rest is no longer wanted' });
    return;
  }
  partial.shippedInParts++;
  const shipped = await act(call, id, 'ship', { carrier: 'SF', trackingNumber: `${id.slice(0, 8)}-2` });
  if (shipped.status === 200) await act(call, id, 'complete');
}

/**
 * Restocks the scarce product every few seconds, each sent once: a restock is not repeated blindly, since
 * an answer lost after its commit would count the stock twice; the outcome of one that failed is unknown.
 */
async function restocker(apiUrl: string, token: string, catalogue: Catalogue, until: () => boolean) {
  while (!until()) {
    await sleep(3000 + random() * 3000);
    try {
      const response = await fetch(`${apiUrl}/api/products/${catalogue.scarce.id}/stock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ delta: 3, reason: 'faults restock' }),
        signal: AbortSignal.timeout(10_000),
      });
      if (response.status === 200) restocks.ok++;
      else restocks.uncertain++;
    } catch {
      restocks.uncertain++;
    }
  }
}

// -------------------------------------------------------------------------------------------- returns

interface TrackedReturn {
  id: string;
  orderId: string;
  /** One of two or more returns of the order refunded 30.00 each of its 50.00 at once. */
  racing: boolean;
  /** The 409 that refused its refund (the order holds less than asked), or null. */
  refusal: string | null;
}

/** Every return the load made or found on its orders, by id. */
const returns = new Map<string, TrackedReturn>();
/** Returns answered 201, to be found in the database. */
const returnsCreated = new Set<string>();
let refundsInFlight = 0;
/** Orders meant to come back that never shipped, with the state they were left in. */
const unshipped: string[] = [];

/**
 * Refunds wait here for the next fault, which lets them go just before it strikes: a refund takes
 * milliseconds, so left to chance almost none would be in flight when the worker (and the payment gateway
 * it runs), PostgreSQL (the gateway's ledger) or Temporal goes away. None waits longer than
 * `PLAN.refundWaitMs`.
 */
const refundGate: (() => void)[] = [];

function atNextFault(): Promise<void> {
  return new Promise((resolve) => {
    const go = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      refundGate.splice(refundGate.indexOf(go), 1);
      resolve();
    }, PLAN.refundWaitMs);
    refundGate.push(go);
  });
}

function openRefundGate(): number {
  const waiting = refundGate.splice(0);
  for (const go of waiting) go();
  return waiting.length;
}

/** A return action that may have happened already when its first answer was lost: a 409 is then fine. */
async function returnAct(call: Call, id: string, action: string, body: unknown = {}): Promise<Answer> {
  const answer = await call('POST', `/returns/${id}/${action}`, body);
  expectStatus(answer, [200, 409], `${action} of return ${id}`);
  return answer;
}

/**
 * An order of 5 units shipped (and completed before or after), then units back for a refund: usually one
 * return of 2 units refunded at their value, 20.00 of the 50.00 paid (so that a refund made twice would
 * still fit what the order holds: only its idempotency key keeps it single); sometimes two returns of 1 unit
 * each, both refunded 30.00 at once, so that one is refused (the return stays `received`, its 409 says
 * why). Each refund waits for the next fault and is sent just before it.
 */
async function oneReturn(call: Call, catalogue: Catalogue): Promise<void> {
  const racing = random() < 0.25;
  const completeFirst = random() < 0.5;
  const { sku } = catalogue.plenty;
  const orderId = await createOrder(call, catalogue.customer, sku, 5);
  await act(call, orderId, 'approve', { comment: 'faults' });
  const shipped = await act(call, orderId, 'ship', { carrier: 'SF', trackingNumber: orderId.slice(0, 12) });
  if (shipped.status !== 200) {
    // A 409 after a lost answer, or an order that did not get to shipment (its payment failed under a
    // fault): then there is nothing to take back, and the order stays where it is, as in `oneOrder`.
    const order = await call('GET', `/orders/${orderId}`);
    if (!['shipped', 'completed'].includes(order.body.status as string)) {
      unshipped.push(`${orderId} ${String(order.body.status)}/${String(order.body.awaiting)}`);
      return;
    }
  }
  if (completeFirst) await act(call, orderId, 'complete');

  // Not idempotent: a request repeated after its answer was lost may make a second return (or a 409 when
  // the units are taken), so the order's returns are read back and all of them are driven.
  let refusedRequest = '';
  for (const quantity of racing ? [1, 1] : [2]) {
    const answer = await call('POST', `/orders/${orderId}/returns`, {
      lines: [{ sku, quantity }],
      reason: 'faults',
      resolution: 'refund',
    });
    expectStatus(answer, [201, 409], `return of ${orderId}`);
    if (answer.status === 201) returnsCreated.add(answer.body.id as string);
    else refusedRequest = JSON.stringify(answer.body);
  }
  const listed = await call('GET', `/returns?orderId=${orderId}`);
  expectStatus(listed, [200], `returns of ${orderId}`);
  const mine = (listed.body.items as { id: string; lines: { sku: string; quantity: number }[] }[]).map(
    (item) => {
      const tracked: TrackedReturn = { id: item.id, orderId, racing, refusal: null };
      returns.set(item.id, tracked);
      return { tracked, units: item.lines.reduce((sum, line) => sum + line.quantity, 0) };
    },
  );
  if (mine.length === 0) throw new Error(`order ${orderId} has no return: ${refusedRequest}`);
  await Promise.all(
    mine.map(async ({ tracked, units }) => {
      await returnAct(call, tracked.id, 'approve');
      const lines =
        units > 1
          ? [
              { sku, quantity: units - 1, condition: 'resellable' },
              { sku, quantity: 1, condition: 'damaged' },
            ]
          : [{ sku, quantity: units, condition: 'resellable' }];
      await returnAct(call, tracked.id, 'receive', { lines });
    }),
  );
  await atNextFault();
  await Promise.all(
    mine.map(async ({ tracked }) => {
      refundsInFlight++;
      let refunded: Answer;
      try {
        refunded = await returnAct(call, tracked.id, 'refund', racing ? { amount: 3000 } : {});
      } finally {
        refundsInFlight--;
      }
      // 409 `received`: refused (or, after a lost answer, the first refund still on its way: the final
      // pass sees which). 409 `refunded`: the first answer was lost.
      if (refunded.status === 409 && refunded.body.status === 'received')
        tracked.refusal = String(refunded.body.message);
      else await returnAct(call, tracked.id, 'close');
    }),
  );
  if (!completeFirst) await act(call, orderId, 'complete');
}

/**
 * Once the load has stopped: closes the returns whose refund went through after its request was answered
 * 409, then checks each order's returns: the one return of 2 units refunded (now closed); of racing
 * returns exactly one refunded, the others `received` with the 409 that refused their refund.
 */
async function finishReturns(call: Call): Promise<{ problems: string[]; refused: string[] }> {
  const problems: string[] = [];
  const refused: string[] = [];
  const byOrder = new Map<string, { tracked: TrackedReturn; status: string }[]>();
  for (const tracked of returns.values()) {
    const answer = await call('GET', `/returns/${tracked.id}`);
    expectStatus(answer, [200], `return ${tracked.id}`);
    let status = answer.body.status as string;
    if (status === 'refunded') status = (await returnAct(call, tracked.id, 'close')).body.status as string;
    if (status === 'received' && tracked.refusal) refused.push(tracked.refusal);
    byOrder.set(tracked.orderId, [...(byOrder.get(tracked.orderId) ?? []), { tracked, status }]);
  }
  for (const [orderId, found] of byOrder) {
    const closed = found.filter((item) => item.status === 'closed').length;
    const left = found.filter(
      (item) => item.status !== 'closed' && !(item.status === 'received' && item.tracked.refusal),
    );
    const racing = found[0]!.tracked.racing;
    if (closed !== 1 || left.length > 0 || (!racing && found.length !== 1))
      problems.push(
        `returns of order ${orderId} (${racing ? 'racing' : 'one'}) ended ${found.map((item) => `${item.status}${item.tracked.refusal ? ' (refused)' : ''}`).join(', ')}`,
      );
  }
  return { problems, refused };
}

// --------------------------------------------------------------------------------------------- faults

function pidFromOutput(output: string, name: string): number | null {
  const all = [...output.matchAll(new RegExp(`(?:started|restarted) the ${name} \\(pid (\\d+)\\)`, 'g'))];
  const last = all.at(-1);
  return last ? Number(last[1]) : null;
}

function temporalPid(dataDir: string): number | null {
  const file = path.join(dataDir, 'temporal.db');
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(file)) return Number(pid);
    } catch {
      // gone meanwhile
    }
  }
  return null;
}

async function healthy(url: string, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(5000) }).catch(() => null);
    if (response?.status === 200) return;
    if (Date.now() > deadline) throw new Error(`${url} not healthy within ${timeoutMs} ms`);
    await sleep(250);
  }
}

async function injectFault(stack: Stack, kind: string): Promise<void> {
  // The refunds waiting for a fault go now, and the fault strikes while some are on their way (not for the
  // receivers' faults: a refund sends no e-mail or webhook of its own before it is recorded). A kill waits
  // a while for a refund to be waiting, so that the first kills of a run, before any order has come back,
  // do not miss them.
  if (!/SMTP|webhook/.test(kind)) {
    const until = Date.now() + (kind.startsWith('kill') ? PLAN.refundWaitMs : 0);
    while (refundGate.length === 0 && Date.now() < until) await sleep(200);
    const released = openRefundGate();
    if (released) await sleep(50 + random() * 150);
    figures.refundsInFlightAtFault[kind] = (figures.refundsInFlightAtFault[kind] ?? 0) + refundsInFlight;
    if (released || refundsInFlight)
      log(`${kind}: ${released} refunds released, ${refundsInFlight} refund requests in flight`);
  }
  figures.faults[kind] = (figures.faults[kind] ?? 0) + 1;
  const began = Date.now();
  const output = stack.output();
  const killed = (pid: number | null, what: string) => {
    if (!pid) throw new Error(`no pid for ${what}`);
    process.kill(pid, 'SIGKILL');
    log(`SIGKILL ${what} (pid ${pid})`);
  };
  switch (kind) {
    case 'kill worker':
      killed(pidFromOutput(output, pick(['worker-1', 'worker-2'])), 'a worker');
      await sleep(1500);
      break;
    case 'kill both workers':
      // Whichever worker runs a refund (and the payment gateway inside it), it goes.
      killed(pidFromOutput(output, 'worker-1'), 'worker 1');
      killed(pidFromOutput(output, 'worker-2'), 'worker 2');
      await sleep(1500);
      break;
    case 'kill API':
      killed(pidFromOutput(output, 'API'), 'the API');
      await sleep(1500);
      break;
    case 'kill Temporal':
      killed(temporalPid(stack.dataDir), 'the Temporal dev server');
      await sleep(4000);
      break;
    case 'kill PostgreSQL': {
      const pid = Number(
        readFileSync(path.join(stack.dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0],
      );
      killed(pid, 'PostgreSQL');
      await sleep(4000);
      break;
    }
    case 'cut PostgreSQL link':
    case 'cut Temporal link': {
      const proxy = kind === 'cut PostgreSQL link' ? 'pg' : 'temporal';
      await stack.toxiproxy!.request('POST', `/proxies/${proxy}`, { enabled: false });
      log(`Toxiproxy: ${proxy} link cut`);
      await sleep(3000 + random() * 4000);
      await stack.toxiproxy!.request('POST', `/proxies/${proxy}`, { enabled: true });
      break;
    }
    case 'SMTP down':
    case 'SMTP black-holed':
    case 'webhook answering 500':
    case 'webhook answering after 10 s': {
      if (kind === 'SMTP down') await stack.smtp.become('down');
      else if (kind === 'SMTP black-holed') await stack.smtp.become('blackhole');
      else stack.hooks.mode = kind === 'webhook answering 500' ? 'fail' : 'slow';
      log(`${kind} for ${PLAN.receiverDownMs / 1000} s, under load`);
      // The pipeline must stay healthy throughout: the API is checked while the receiver is away.
      const until = Date.now() + PLAN.receiverDownMs;
      while (Date.now() < until) {
        await healthy(stack.apiUrl, 10_000);
        await sleep(2000);
      }
      if (kind.startsWith('SMTP')) await stack.smtp.become('up');
      else stack.hooks.mode = 'ok';
      log(`${kind}: the receiver is back`);
      break;
    }
    case 'stall PostgreSQL link':
    case 'slow Temporal link': {
      const proxy = kind === 'stall PostgreSQL link' ? 'pg' : 'temporal';
      const toxic =
        kind === 'stall PostgreSQL link'
          ? { name: 'stall', type: 'timeout', stream: 'downstream', attributes: { timeout: 0 } }
          : {
              name: 'stall',
              type: 'latency',
              stream: 'downstream',
              attributes: { latency: 1500, jitter: 500 },
            };
      await stack.toxiproxy!.request('POST', `/proxies/${proxy}/toxics`, toxic);
      log(`Toxiproxy: ${kind}`);
      await sleep(3000 + random() * 4000);
      await stack.toxiproxy!.request('DELETE', `/proxies/${proxy}/toxics/stall`);
      break;
    }
  }
  await healthy(stack.apiUrl);
  if (stack.proxiedApiUrl) await healthy(stack.proxiedApiUrl);
  const seconds = (Date.now() - began) / 1000;
  figures.recoveries.push({ fault: kind, seconds });
  log(`${kind}: healthy again after ${seconds.toFixed(1)} s`);
}

// ----------------------------------------------------------------------------------------- contention

async function contention(call: Call, manager2: Call, customer: string): Promise<string[]> {
  const problems: string[] = [];
  const tag = randomUUID().slice(0, 6);
  const product = await call('POST', '/products', {
    sku: `RACE-${tag}`,
    name: 'Race',
    unitPrice: 100,
    currency: 'CNY',
    stockOnHand: 10,
  });
  expectStatus(product, [201], 'race product');
  const ids = await Promise.all(
    Array.from({ length: PLAN.contention }, () => createOrder(call, customer, `RACE-${tag}`, 1)),
  );
  const approved = await Promise.all(ids.map((id) => act(call, id, 'approve', { comment: 'race' })));
  const served = approved.filter((answer) => answer.body.awaiting === 'shipment').length;
  const outcomes = new Map<string, number>();
  for (const answer of approved) {
    const key = `${answer.status} ${String(answer.body.status)}/${String(answer.body.awaiting)}`;
    outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
  }
  log(`contention approvals: ${[...outcomes].map(([key, count]) => `${key} x${count}`).join(', ')}`);
  log(`contention: ${PLAN.contention} orders for 10 units: ${served} served, the rest wait`);
  if (served > 10) problems.push(`${served} orders were served from 10 units`);
  // The waiting ones are cancelled, so that the invariants see them released.
  await Promise.all(
    approved
      .map((answer, index) => [answer, ids[index]!] as const)
      .filter(([answer]) => answer.body.awaiting !== 'shipment')
      .map(([, id]) => act(call, id, 'cancel', { reason: 'race over' })),
  );

  // Edit and cancel of one order at once: either order of the two is fine, never both half-applied.
  const raced = await createOrder(call, customer, `RACE-${tag}`, 1);
  const [edit, cancel] = await Promise.all([
    call('PATCH', `/orders/${raced}`, { notes: 'edited in a race' }),
    call('POST', `/orders/${raced}/cancel`, { reason: 'race' }),
  ]);
  // A 409 "already cancelled" is the answer to a cancel repeated after its first answer was lost.
  const after = await call('GET', `/orders/${raced}`);
  if (
    ![200, 409].includes(cancel.status) ||
    ![200, 409].includes(edit.status) ||
    after.body.status !== 'cancelled'
  )
    problems.push(
      `edit+cancel answered ${edit.status} and ${cancel.status}, and left the order ${String(after.body.status)}`,
    );

  // Two managers approve one order at once: one wins, the other is told the order moved on.
  const twice = await createOrder(call, customer, `RACE-${tag}`, 1);
  await sleep(100);
  const both = await Promise.all([
    call('POST', `/orders/${twice}/approve`, { comment: 'first' }),
    manager2('POST', `/orders/${twice}/approve`, { comment: 'second' }),
  ]);
  const statuses = both.map((answer) => answer.status).sort();
  log(`two managers approving at once: ${statuses.join(' and ')}`);
  if (statuses[0] !== 200 || statuses[1] !== 409)
    problems.push(`double approval answered ${statuses.join(', ')}`);
  return problems;
}

// --------------------------------------------------------------------------------------------- checks

/** A refund of the order's own (an edit's difference, a cancellation's), not a return's. */
const ORDER_REFUND = `p.kind = 'refund' and p.status = 'succeeded' and p.idempotency_key not like 'return:%'`;

/** The invariants, as the README lists them for an operator; each query returns the offending rows. */
export const INVARIANTS: { name: string; sql: string }[] = [
  {
    name: 'reservations: each order holds what its movements say, no reservation or release applied twice',
    sql: `select m.order_id, m.product_id, sum(m.delta_reserved) as moved, coalesce(r.quantity, 0) as held
            from stock_movements m
            left join (select order_id, product_id, sum(quantity) as quantity from order_reservations
                        group by order_id, product_id) r on r.order_id = m.order_id and r.product_id = m.product_id
           where m.order_id is not null
           group by m.order_id, m.product_id, r.quantity
          having sum(m.delta_reserved) <> coalesce(r.quantity, 0)`,
  },
  {
    // Reservations are held at locations (issue 24): no location holds more reserved than it has on hand,
    // and `MAIN`, which holds the total minus the others, never less than nothing.
    name: 'locations: each holds at least what orders hold reserved there',
    sql: `select p.sku, l.code as location, at.on_hand, coalesce(r.quantity, 0) as reserved
            from products p cross join stock_locations l
            cross join lateral (
              select case when l.code = 'MAIN'
                          then p.stock_on_hand - coalesce((select sum(o.on_hand) from location_stock o
                                                            where o.product_id = p.id), 0)
                          else coalesce((select s.on_hand from location_stock s
                                          where s.product_id = p.id and s.location = l.code), 0) end as on_hand) at
            left join (select product_id, location, sum(quantity) as quantity from order_reservations
                        group by product_id, location) r on r.product_id = p.id and r.location = l.code
           where at.on_hand < coalesce(r.quantity, 0) or at.on_hand < 0`,
  },
  {
    // An order may leave in parts (issue 24): one fulfilment movement per shipment line, never more units
    // than ordered, and every ordered unit once the order has shipped.
    name: "fulfilment: one per shipment and product, the shipments' units; never more than ordered, all of it once shipped",
    sql: `with moved as (
            select order_id, product_id, count(*) as fulfilments, -sum(delta_on_hand) as taken
              from stock_movements where kind = 'fulfilment' group by 1, 2),
          sent as (
            select s.order_id, l.product_id, count(*) as parcels, sum(l.quantity) as units
              from order_shipments s join order_shipment_lines l on l.shipment_id = s.id group by 1, 2),
          ordered as (
            select l.order_id, l.product_id, sum(l.quantity) as quantity, o.status
              from order_lines l join orders o on o.id = l.order_id group by 1, 2, 4),
          keys as (
            select order_id, product_id from moved union select order_id, product_id from sent
            union select order_id, product_id from ordered where status in ('shipped', 'completed'))
          select k.order_id, k.product_id, m.fulfilments, m.taken, s.parcels, s.units, o.quantity, o.status
            from keys k
            left join moved m on m.order_id = k.order_id and m.product_id = k.product_id
            left join sent s on s.order_id = k.order_id and s.product_id = k.product_id
            left join ordered o on o.order_id = k.order_id and o.product_id = k.product_id
           where (s.parcels is not null and (m.fulfilments is distinct from s.parcels or m.taken is distinct from s.units))
              -- an order shipped before shipments had rows: one fulfilment, as then
              or (s.parcels is null and coalesce(m.fulfilments, 0) > 1)
              or coalesce(m.taken, 0) > o.quantity
              or (o.status in ('shipped', 'completed') and coalesce(m.taken, 0) <> o.quantity)`,
  },
  {
    name: 'stock: on hand and reserved equal the sum of their movements (initial + restocks - shipped)',
    sql: `select p.sku, p.stock_on_hand, p.reserved,
                 coalesce(sum(m.delta_on_hand), 0) as moved_on_hand, coalesce(sum(m.delta_reserved), 0) as moved_reserved
            from products p left join stock_movements m on m.product_id = p.id
           group by p.id
          having p.stock_on_hand - coalesce(sum(m.delta_on_hand), 0) <> (
                   select coalesce(min(first.stock_on_hand - first.delta_on_hand), 0) from stock_movements first
                    where first.product_id = p.id
                      and first.id = (select min(id) from stock_movements where product_id = p.id))
              or p.reserved <> coalesce(sum(m.delta_reserved), 0)`,
  },
  {
    name: 'reserved stock equals the reservations orders hold',
    sql: `select p.sku, p.reserved, coalesce((select sum(quantity) from order_reservations r where r.product_id = p.id), 0) as held
            from products p
           where p.reserved <> coalesce((select sum(quantity) from order_reservations r where r.product_id = p.id), 0)`,
  },
  {
    // A return's refund carries the key `return:<id>:refund`, the order's own `order:<id>:refund:…`: the
    // order's refunds are counted here, the returns' in the invariants below.
    name: "payments: no charge or order refund twice; captured minus the order's own refunds is the total for shipped orders, for cancelled ones the value of what shipped before (0 when nothing did) (return refunds apart)",
    sql: `select o.id, o.status, o.total,
                 coalesce(sum(p.amount) filter (where p.kind = 'capture' and p.status = 'succeeded'), 0) as captured,
                 coalesce(sum(p.amount) filter (where ${ORDER_REFUND}), 0) as refunded,
                 count(*) filter (where p.kind = 'capture' and p.status = 'succeeded') as captures
            from orders o left join payments p on p.order_id = o.id
           group by o.id
          having count(*) filter (where p.kind = 'capture' and p.status = 'succeeded') > 1
              or count(*) filter (where ${ORDER_REFUND}) > 1
              or (o.status in ('shipped', 'completed') and
                  coalesce(sum(p.amount) filter (where p.kind = 'capture' and p.status = 'succeeded'), 0)
                  - coalesce(sum(p.amount) filter (where ${ORDER_REFUND}), 0) <> o.total)
              or (o.status in ('cancelled', 'rejected') and
                  coalesce(sum(p.amount) filter (where p.kind = 'capture' and p.status = 'succeeded'), 0)
                  - coalesce(sum(p.amount) filter (where ${ORDER_REFUND}), 0)
                  <> (select coalesce(sum(sl.quantity * ol.unit_price), 0)
                        from order_shipments sh
                        join order_shipment_lines sl on sl.shipment_id = sh.id
                        join order_lines ol on ol.order_id = sh.order_id and ol.product_id = sl.product_id
                       where sh.order_id = o.id))`,
  },
  {
    name: 'return refunds: each refunded return has exactly one refund in the ledger, under its key, on its order, for its amount; a return not refunded has none',
    sql: `with ledger as (
            select split_part(idempotency_key, ':', 2) as return_id, count(*) as refunds, sum(amount) as amount,
                   array_agg(idempotency_key order by id) as keys,
                   array_agg(distinct order_id) as orders
              from payments
             where kind = 'refund' and status = 'succeeded' and idempotency_key like 'return:%'
             group by 1)
          select coalesce(r.id::text, l.return_id) as return_id, r.number, r.order_id, r.status,
                 (r.snapshot->>'refundedAmount')::bigint as refunded_amount, l.refunds, l.amount, l.keys, l.orders
            from order_returns r full join ledger l on l.return_id = r.id::text
           where r.id is null
              or (r.snapshot->>'refundedAmount' is null and l.refunds is not null)
              or (r.snapshot->>'refundedAmount' is not null and (
                    l.refunds is null or l.refunds <> 1 or l.amount <> (r.snapshot->>'refundedAmount')::bigint
                    or l.orders <> array[r.order_id]
                    or l.keys <> array['return:' || r.id || ':refund']))`,
  },
  {
    name: 'refunds: never more than was captured, per order (cancellation and return refunds together)',
    sql: `select order_id,
                 coalesce(sum(amount) filter (where kind = 'capture'), 0) as captured,
                 coalesce(sum(amount) filter (where kind = 'refund'), 0) as refunded
            from payments where status = 'succeeded'
           group by order_id
          having coalesce(sum(amount) filter (where kind = 'refund'), 0) > coalesce(sum(amount) filter (where kind = 'capture'), 0)`,
  },
  {
    name: "ledger balances per order: the order's captured and refunded figures are the ledger's; captured minus the order's own refunds is what its payment holds; its return refunds are what its refunded returns say",
    sql: `with ledger as (
            select order_id,
                   coalesce(sum(amount) filter (where kind = 'capture'), 0) as captured,
                   coalesce(sum(amount) filter (where kind = 'refund'), 0) as refunded,
                   coalesce(sum(amount) filter (where kind = 'refund' and idempotency_key like 'return:%'), 0) as return_refunds
              from payments where status = 'succeeded' group by order_id),
          returned as (
            select order_id, sum((snapshot->>'refundedAmount')::bigint) as refunded
              from order_returns where snapshot->>'refundedAmount' is not null group by order_id)
          select o.id, o.status, o.captured, o.refunded,
                 coalesce((o.snapshot->'payment'->>'amount')::bigint, 0) as payment_holds,
                 coalesce(l.captured, 0) as ledger_captured, coalesce(l.refunded, 0) as ledger_refunded,
                 coalesce(l.return_refunds, 0) as ledger_return_refunds, coalesce(r.refunded, 0) as returns_refunded
            from orders o
            left join ledger l on l.order_id = o.id
            left join returned r on r.order_id = o.id
           where o.captured <> coalesce(l.captured, 0)
              or o.refunded <> coalesce(l.refunded, 0)
              or coalesce((o.snapshot->'payment'->>'amount')::bigint, 0)
                   <> coalesce(l.captured - l.refunded + l.return_refunds, 0)
              or coalesce(l.return_refunds, 0) <> coalesce(r.refunded, 0)`,
  },
  {
    name: "return receipts: each received return's resellable units came back on hand once",
    sql: `with receipts as (
            select r.number, r.order_id, (line->>'productId')::uuid as product_id, sum((line->>'quantity')::int) as resellable
              from return_receipts rr
              join order_returns r on r.id = rr.return_id
              cross join jsonb_array_elements(rr.lines) as line
             where line->>'condition' = 'resellable'
             group by 1, 2, 3),
          moved as (
            select order_id, product_id, reason, sum(delta_on_hand) as moved
              from stock_movements
             where kind = 'adjustment' and order_id is not null and reason like 'returned with %'
             group by 1, 2, 3)
          select coalesce(c.number, substr(m.reason, 15)) as number, coalesce(c.order_id, m.order_id) as order_id,
                 coalesce(c.product_id, m.product_id) as product_id, c.resellable, m.moved
            from receipts c
            full join moved m on m.order_id = c.order_id and m.product_id = c.product_id
                             and m.reason = 'returned with ' || c.number
           where c.resellable is distinct from m.moved`,
  },
  {
    name: 'notifications: one per recipient, kind and occurrence',
    sql: `select recipient_id, kind, dedup_key, count(*) from notifications group by 1, 2, 3 having count(*) > 1`,
  },
  {
    // A return's resellable units come back as an adjustment of its order, recorded by the return's
    // receipt (checked above), not by an audit row.
    name: 'audit: every stock adjustment outside workflows and returns has its audit row',
    sql: `select m.id, m.product_id, m.delta_on_hand from stock_movements m
           where m.kind = 'adjustment' and m.actor is not null and m.order_id is null
             and (select count(*) from stock_movements n
                   where n.product_id = m.product_id and n.kind = 'adjustment' and n.actor is not null and n.order_id is null)
               > (select count(*) from audit_log a where a.action = 'product.stock_adjusted' and a.entity_id = m.product_id::text)`,
  },
];

async function settle(db: PgClient): Promise<void> {
  // Idle when no order, return or payment changed for ten seconds (or after five minutes).
  let last = '';
  const deadline = Date.now() + 300_000;
  for (;;) {
    const { rows } = await db.query<{ state: string }>(
      `select concat_ws(' ', (select max(updated_at)::text || count(*) from orders),
                             (select max(updated_at)::text || count(*) from order_returns),
                             (select max(id)::text from payments)) as state`,
    );
    const state = rows[0]!.state;
    if (state === last || Date.now() > deadline) return;
    last = state;
    await sleep(10_000);
  }
}

async function check(stack: Stack): Promise<{ lost: number; doubled: number; problems: string[] }> {
  const problems: string[] = [];
  const db = new PgClient({ connectionString: stack.ownerUrl });
  await db.connect();
  try {
    await settle(db);
    const ids = [...created];
    const { rows: found } = await db.query<{ id: string; status: string; awaiting: string | null }>(
      `select id, status, awaiting from orders where id = any($1::uuid[])`,
      [ids],
    );
    const lost = ids.length - found.length;
    if (lost) problems.push(`${lost} orders answered 201 are missing from the database`);
    const connection = await Connection.connect({ address: stack.temporalAddress });
    const temporal = new Client({ connection });
    let noWorkflow = 0;
    // Each order's row says what its workflow says (the state it publishes): a step the workflow ran but
    // did not keep (an update's lost first run, say) must not leave the row ahead of it.
    const split: string[] = [];
    for (let index = 0; index < found.length; index += 20) {
      await Promise.all(
        found.slice(index, index + 20).map(async (row) => {
          try {
            const described = await temporal.workflow.getHandle(orderWorkflowId(row.id)).describe();
            const status = described.typedSearchAttributes.get(ORDER_STATUS_KEY);
            const awaiting = described.typedSearchAttributes.get(ORDER_AWAITING_KEY);
            if (status !== row.status || awaiting !== (row.awaiting ?? 'none'))
              split.push(
                `${row.id}: row ${row.status}/${row.awaiting ?? '-'}, workflow ${status}/${awaiting}`,
              );
          } catch {
            noWorkflow++;
          }
        }),
      );
    }
    log(`${split.length === 0 ? 'ok  ' : 'FAIL'} every order's row says what its workflow says`);
    if (split.length)
      problems.push(
        `${split.length} orders' rows disagree with their workflows: ${split.slice(0, 5).join('; ')}`,
      );
    // Each return answered 201 is in the database; each the load drove has its workflow, whose history
    // says how often its refund was tried (more than once: a fault struck while it was on its way).
    const { rows: foundReturns } = await db.query<{ id: string }>(
      `select id from order_returns where id = any($1::uuid[])`,
      [[...returnsCreated]],
    );
    const lostReturns = returnsCreated.size - foundReturns.length;
    if (lostReturns) problems.push(`${lostReturns} returns answered 201 are missing from the database`);
    const refundAttempts: number[] = [];
    for (const id of returns.keys()) {
      try {
        const history = await temporal.workflow.getHandle(returnWorkflowId(id)).fetchHistory();
        const refunds = new Set<string>();
        for (const event of history.events ?? []) {
          if (event.activityTaskScheduledEventAttributes?.activityType?.name === 'refundReturn')
            refunds.add(String(event.eventId));
          const started = event.activityTaskStartedEventAttributes;
          if (started && refunds.has(String(started.scheduledEventId)))
            refundAttempts.push(started.attempt ?? 1);
        }
      } catch {
        noWorkflow++;
      }
    }
    await connection.close();
    if (noWorkflow) problems.push(`${noWorkflow} orders or returns have no workflow`);
    const retried = refundAttempts.filter((attempts) => attempts > 1);
    log(
      `returns: ${returns.size} driven (${returnsCreated.size} answered 201); their workflows ran ${refundAttempts.length} refund activities, ${retried.length} of them needed more than one attempt (at most ${Math.max(1, ...refundAttempts)})`,
    );
    const { rows: stuck } = await db.query<{ count: string }>(
      `select count(*) from orders where status not in ('completed', 'cancelled', 'rejected') and awaiting is null`,
    );
    if (Number(stuck[0]!.count)) problems.push(`${stuck[0]!.count} orders are neither final nor waiting`);
    let doubled = 0;
    for (const invariant of INVARIANTS) {
      const { rows } = await db.query(invariant.sql);
      log(`${rows.length === 0 ? 'ok  ' : 'FAIL'} ${invariant.name}`);
      if (rows.length) {
        doubled += rows.length;
        problems.push(`${invariant.name}: ${JSON.stringify(rows.slice(0, 5))}`);
      }
    }
    const { rows: states } = await db.query<{ status: string; awaiting: string | null; count: string }>(
      `select status, awaiting, count(*) from orders group by 1, 2 order by 1, 2`,
    );
    log(
      `orders by state: ${states.map((row) => `${row.status}/${row.awaiting ?? '-'} ${row.count}`).join(', ')}`,
    );
    return { lost: lost + lostReturns + noWorkflow, doubled: doubled + split.length, problems };
  } finally {
    await db.end();
  }
}

// --------------------------------------------------------------------------------------------- deliveries

/** Members of staff with an e-mail address, each on e-mail `all`. */
async function staffOnEmail(call: Call, stack: Stack): Promise<void> {
  const tag = randomUUID().slice(0, 6);
  for (let i = 0; i < STAFF_ON_EMAIL; i++) {
    const username = `faults-staff-${tag}-${i}`;
    expectStatus(
      await call('POST', '/users', {
        username,
        password: stack.password,
        displayName: `Staff ${i}`,
        email: `${username}@example.test`,
        roles: ['staff'],
        emailNotifications: 'all',
      }),
      [201],
      username,
    );
  }
  log(`${STAFF_ON_EMAIL} members of staff on e-mail all`);
}

/**
 * Once every receiver is back: the outbox drains within ten minutes; every delivery is sent, or (an e-mail
 * whose sender was killed mid-send) unconfirmed, never failed; no e-mail reached the server twice; each sent
 * e-mail reached it; each sent webhook call reached its receiver, a call repeated only with the same id.
 */
async function checkDeliveries(stack: Stack): Promise<string[]> {
  const problems: string[] = [];
  const db = new PgClient({ connectionString: stack.ownerUrl });
  await db.connect();
  try {
    const began = Date.now();
    let waiting = -1;
    while (Date.now() - began < DRAIN_MS) {
      const { rows } = await db.query<{ count: string }>(
        `select count(*) from deliveries where status in ('pending', 'retrying', 'sending')`,
      );
      waiting = Number(rows[0]!.count);
      if (waiting === 0) break;
      await sleep(2000);
    }
    log(
      `outbox ${waiting === 0 ? 'drained' : `still holds ${waiting}`} after ${((Date.now() - began) / 1000).toFixed(0)} s`,
    );
    if (waiting !== 0)
      problems.push(`${waiting} deliveries still wait ten minutes after every receiver came back`);
    const { rows: statuses } = await db.query<{ channel: string; status: string; count: string }>(
      `select channel, status, count(*) from deliveries group by 1, 2 order by 1, 2`,
    );
    log(`deliveries: ${statuses.map((r) => `${r.channel}/${r.status} ${r.count}`).join(', ')}`);
    const failed = statuses.filter(
      (r) => r.status === 'failed' || (r.channel === 'webhook' && r.status === 'unconfirmed'),
    );
    if (failed.length) problems.push(`deliveries failed: ${JSON.stringify(failed)}`);

    const { rows: emails } = await db.query<{ id: string }>(
      `select id from deliveries where channel = 'email' and status = 'sent'`,
    );
    const received = stack.smtp.messages.map((m) => m.messageId);
    const twice = received.length - new Set(received).size;
    log(`e-mails: ${emails.length} sent, ${received.length} received, ${twice} of them twice`);
    if (twice) problems.push(`${twice} e-mails reached the server twice`);
    const receivedIds = new Set(received);
    const lost = emails.filter((e) => !receivedIds.has(`<${e.id}@oms.local>`)).length;
    if (lost) problems.push(`${lost} e-mails marked sent never reached the server`);
    // Unconfirmed by design (never resent by themselves), by why: a sender killed mid-send, or a server
    // silent after its greeting. How many of each the server did receive tells the two apart from a bug.
    const { rows: unconfirmed } = await db.query<{ id: string; last_error: string | null }>(
      `select id, last_error from deliveries where channel = 'email' and status = 'unconfirmed'`,
    );
    const reasons = new Map<string, { count: number; received: number }>();
    for (const row of unconfirmed) {
      const reason = reasons.get(row.last_error ?? '') ?? { count: 0, received: 0 };
      reason.count += 1;
      if (receivedIds.has(`<${row.id}@oms.local>`)) reason.received += 1;
      reasons.set(row.last_error ?? '', reason);
    }
    log(`e-mails left unconfirmed: ${unconfirmed.length}`);
    for (const [reason, { count, received: got }] of reasons)
      log(`  ${count} (${got} of them received by the server): ${reason}`);

    const { rows: calls } = await db.query<{ id: string; attempts: number }>(
      `select id, attempts from deliveries where channel = 'webhook' and status = 'sent'`,
    );
    const seen = new Map<string, number>();
    for (const call of stack.hooks.calls) {
      const id = String(call.headers['x-oms-delivery']);
      seen.set(id, (seen.get(id) ?? 0) + 1);
    }
    const missing = calls.filter((c) => !seen.has(c.id)).length;
    const repeatedWithoutCause = calls.filter((c) => (seen.get(c.id) ?? 0) > c.attempts).length;
    log(
      `webhook calls: ${calls.length} sent, ${stack.hooks.calls.length} received for ${seen.size} delivery ids (a receiver deduplicates by id)`,
    );
    if (missing) problems.push(`${missing} webhook calls marked sent never reached the receiver`);
    if (repeatedWithoutCause)
      problems.push(
        `${repeatedWithoutCause} webhook calls reached the receiver more often than they were attempted`,
      );
  } finally {
    await db.end();
  }
  return problems;
}

// ----------------------------------------------------------------------------------------------- main

async function main(): Promise<void> {
  log(
    `mode ${short ? 'short' : 'full'}, seed ${seed}: ${PLAN.inFlight} orders in flight for ${PLAN.loadSeconds} s`,
  );
  const stack = await startStack();
  let failed = true;
  try {
    const token = await signIn(stack.apiUrl, 'admin', stack.password);
    // Requests go to the direct API and, when there is one, to the API behind Toxiproxy, half and half.
    const urls = () => (stack.proxiedApiUrl && random() < 0.5 ? stack.proxiedApiUrl : stack.apiUrl);
    const call = staffClient(urls, token);
    const secondManager = `manager-${randomUUID().slice(0, 6)}`;
    expectStatus(
      await call('POST', '/users', {
        username: secondManager,
        password: stack.password,
        displayName: 'Second manager',
        roles: ['manager'],
      }),
      [201],
      'second manager',
    );
    const manager2 = staffClient(urls, await signIn(stack.apiUrl, secondManager, stack.password));
    const tag = randomUUID().slice(0, 6);
    const customer = await call('POST', '/customers', { name: 'Faults', email: `faults-${tag}@example.com` });
    const broke = await call('POST', '/customers', {
      name: 'Broke',
      email: `broke-${tag}@example.com`,
      creditLimit: 1,
    });
    const product = async (sku: string, stockOnHand: number) => {
      const answer = await call('POST', '/products', {
        sku,
        name: sku,
        unitPrice: 1000,
        currency: 'CNY',
        stockOnHand,
      });
      expectStatus(answer, [201], `product ${sku}`);
      return { id: answer.body.id as string, sku };
    };
    const catalogue: Catalogue = {
      customer: customer.body.id as string,
      broke: broke.body.id as string,
      plenty: await product(`PLENTY-${tag}`, 100_000),
      scarce: await product(`SCARCE-${tag}`, 4),
    };

    const problems = await contention(call, manager2, catalogue.customer);

    await staffOnEmail(call, stack);
    expectStatus(
      await call('POST', '/webhooks', { url: `${stack.hooks.baseUrl}/faults` }),
      [201],
      'the webhook',
    );
    const faultKinds = [
      'kill worker',
      'SMTP down',
      'kill both workers',
      'kill API',
      'webhook answering 500',
      'kill Temporal',
      'SMTP black-holed',
      'kill PostgreSQL',
      'webhook answering after 10 s',
    ];
    if (stack.toxiproxy)
      faultKinds.push(
        'cut PostgreSQL link',
        'cut Temporal link',
        'stall PostgreSQL link',
        'slow Temporal link',
      );
    const loadEnds = Date.now() + PLAN.loadSeconds * 1000;
    // The load goes on until its time is up and every kind of fault was injected at least once.
    let injected = 0;
    const over = () => Date.now() > loadEnds && injected >= faultKinds.length;
    const injector = (async () => {
      let index = 0;
      while (!over()) {
        const [low, high] = PLAN.faultEveryMs;
        await sleep(low! + random() * (high! - low!));
        if (over()) break;
        // Every kind in turn, so that a short run has each at least once.
        await injectFault(stack, faultKinds[index++ % faultKinds.length]!);
        injected++;
      }
    })();
    const lanes = Array.from({ length: PLAN.inFlight }, async () => {
      while (!over()) await oneOrder(call, catalogue);
    });
    await Promise.all([...lanes, injector, restocker(stack.apiUrl, token, catalogue, over)]);

    // Refunds still on their way (a 409 answered while the first request's refund was being retried)
    // land first; then every return is driven to its end before the invariants.
    const db = new PgClient({ connectionString: stack.ownerUrl });
    await db.connect();
    await settle(db).finally(() => db.end());
    const finished = await finishReturns(call);
    problems.push(...finished.problems);

    const result = await check(stack);
    problems.push(...(await checkDeliveries(stack)));
    problems.push(...result.problems);
    if (figures.answered500) problems.push(`${figures.answered500} requests answered 500`);
    const recovery = (kind: string) => {
      const times = figures.recoveries.filter((r) => r.fault === kind).map((r) => r.seconds);
      return times.length ? `max ${Math.max(...times).toFixed(1)} s` : '-';
    };
    console.log('\n== fault suite figures');
    console.log(`orders answered 201: ${figures.ordersCreated} (in flight: ${PLAN.inFlight})`);
    console.log(
      `requests: ${figures.requests}, answered 503: ${figures.answered503}, 500: ${figures.answered500}, connection errors: ${figures.connectionErrors}, repeated: ${figures.repeated}`,
    );
    console.log(`restocks answered 200: ${restocks.ok}, outcome unknown: ${restocks.uncertain}`);
    console.log(
      `allowPartial orders with a first parcel: then shipped whole ${partial.shippedInParts}, then cancelled ${partial.cancelledAfterAPart}`,
    );
    for (const [kind, count] of Object.entries(figures.faults))
      console.log(
        `fault ${kind.padEnd(22)} x${count}  recovery ${recovery(kind)}  refunds in flight ${figures.refundsInFlightAtFault[kind] ?? '-'}`,
      );
    if (unshipped.length)
      console.log(`orders meant to come back that never shipped: ${unshipped.length} (${unshipped[0]})`);
    const byGateway = finished.refused.filter((reason) => reason.startsWith('the refund was refused'));
    console.log(
      `returns: ${returns.size}, refunds refused because the order held less: ${finished.refused.length - byGateway.length} by the API, ${byGateway.length} by the payment gateway${byGateway.length ? ` ("${byGateway[0]}")` : ''}`,
    );
    console.log(`lost: ${result.lost}, doubled or inconsistent: ${result.doubled}`);
    if (problems.length) {
      console.log('\nPROBLEMS:');
      for (const problem of problems) console.log(`- ${problem}`);
    } else {
      failed = false;
    }
  } finally {
    await stack.stop(!failed);
  }
  process.exit(failed ? 1 : 0);
}

/**
 * `node dist/scripts/faults.js --check`: the invariants alone, against the database of the configuration
 * (DATABASE_OWNER_URL / the embedded defaults), e.g. on a running `npm start` after an incident.
 */
async function checkOnly(): Promise<void> {
  const config = loadConfig();
  const db = new PgClient({ connectionString: config.databaseOwnerUrl });
  await db.connect();
  let failed = 0;
  try {
    for (const invariant of INVARIANTS) {
      const { rows } = await db.query(invariant.sql);
      console.log(`${rows.length === 0 ? 'ok  ' : 'FAIL'} ${invariant.name}`);
      for (const row of rows.slice(0, 20)) console.log(`     ${JSON.stringify(row)}`);
      if (rows.length) failed++;
    }
    const { rows: orders } = await db.query<{ id: string }>(`select id from orders`);
    const connection = await connectClient(config.temporal);
    const temporal = new Client({ connection, namespace: config.temporal.namespace });
    const missing: string[] = [];
    for (let index = 0; index < orders.length; index += 20) {
      await Promise.all(
        orders.slice(index, index + 20).map(({ id }) =>
          temporal.workflow
            .getHandle(orderWorkflowId(id))
            .describe()
            .catch(() => missing.push(id)),
        ),
      );
    }
    await connection.close();
    console.log(
      `${missing.length === 0 ? 'ok  ' : 'FAIL'} every order has its workflow (${orders.length} orders)`,
    );
    for (const id of missing.slice(0, 20)) console.log(`     ${id}`);
    if (missing.length) failed++;
  } finally {
    await db.end();
  }
  process.exit(failed ? 1 : 0);
}

(process.argv.includes('--check') ? checkOnly() : main()).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
