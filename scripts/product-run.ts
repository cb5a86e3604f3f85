/**
 * The product as an operator runs it (a build's compiled launcher, `dist/scripts/start.js`) on a data folder
 * with every port moved to a free one, and a small API client: for the start-up smoke test and the upgrade
 * rehearsal, which run it outside jest (on another Node line, or an older build of the product).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { freePort } from './ports';

export interface RunningProduct {
  apiUrl: string;
  output: () => string;
  /** Stops it as Ctrl-C would and resolves with its exit code. */
  stop: () => Promise<number | null>;
}

/** Starts the build in `root` (its `dist/`) on `dataDir` with `node`, and waits until it says it is ready. */
export async function startProduct(options: {
  root: string;
  dataDir: string;
  adminPassword: string;
  node?: string;
  timeoutMs?: number;
}): Promise<RunningProduct> {
  const launcher = path.join(options.root, 'dist', 'scripts', 'start.js');
  if (!existsSync(launcher)) throw new Error(`${launcher} is missing: build that tree first`);
  const port = {
    api: await freePort(),
    pg: await freePort(),
    temporal: await freePort(),
    ui: await freePort(),
    worker: await freePort(),
    sdk: await freePort(),
  };
  const { DATABASE_URL: _db, TEMPORAL_ADDRESS: _temporal, ...inherited } = process.env;
  // Another build (an older version) gets none of this one's Node options (.npmrc's, under npm run).
  if (options.node) delete inherited.NODE_OPTIONS;
  let output = '';
  const child: ChildProcess = spawn(options.node ?? process.execPath, [launcher], {
    cwd: options.root,
    env: {
      ...inherited,
      OMS_DATA_DIR: options.dataDir,
      OMS_ADMIN_PASSWORD: options.adminPassword,
      OMS_API_PORT: String(port.api),
      OMS_PG_PORT: String(port.pg),
      OMS_TEMPORAL_PORT: String(port.temporal),
      OMS_TEMPORAL_UI_PORT: String(port.ui),
      OMS_WORKER_PORT: String(port.worker),
      OMS_WORKER_SDK_METRICS_PORT: String(port.sdk),
      OMS_LOG_FORMAT: 'json',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + (options.timeoutMs ?? 180_000);
  while (!output.includes('press Ctrl-C to stop')) {
    if (child.exitCode !== null) throw new Error(`the product exited during start-up:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      await exited;
      throw new Error(`the product was not ready in time:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    apiUrl: `http://127.0.0.1:${port.api}`,
    output: () => output,
    stop: () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

export interface Answer<T> {
  status: number;
  body: T;
}

/** Signs in as `username` and returns a client that sends JSON with the session's token. */
export async function signIn(apiUrl: string, username: string, password: string) {
  const call = async <T = Record<string, unknown>>(
    method: string,
    route: string,
    body?: unknown,
    token?: string,
  ): Promise<Answer<T>> => {
    const response = await fetch(`${apiUrl}${route}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
  };
  const login = await call<{ accessToken: string }>('POST', '/api/auth/login', { username, password });
  if (login.status !== 200) throw new Error(`signing in as ${username}: ${login.status}`);
  const token = login.body.accessToken;
  return {
    get: <T = Record<string, unknown>>(route: string) => call<T>('GET', route, undefined, token),
    post: <T = Record<string, unknown>>(route: string, body: unknown = {}) =>
      call<T>('POST', route, body, token),
  };
}

export type Api = Awaited<ReturnType<typeof signIn>>;

export interface OrderView {
  id: string;
  number: string;
  status: string;
  awaiting: string | null;
}

/** Polls the order until `done` holds for it, or fails after `timeoutMs`. */
export async function orderWhen(
  api: Api,
  id: string,
  done: (order: OrderView) => boolean,
  timeoutMs = 60_000,
): Promise<OrderView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { status, body } = await api.get<OrderView>(`/api/orders/${id}`);
    if (status === 200 && done(body)) return body;
    if (Date.now() > deadline)
      throw new Error(`order ${id} did not get there in time: ${status} ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Succeeds on a 2xx answer, or says what the API answered. */
export function expectOk<T>(what: string, answer: Answer<T>): T {
  if (answer.status < 200 || answer.status > 299)
    throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** A customer and a product with stock, for orders placed by the scripts. */
export async function seed(api: Api, tag: string): Promise<{ customerId: string; sku: string }> {
  const customer = expectOk(
    'creating a customer',
    await api.post<{ id: string }>('/api/customers', {
      name: `Customer ${tag}`,
      email: `${tag}@example.com`,
    }),
  );
  const sku = `SKU-${tag}`;
  expectOk(
    'creating a product',
    await api.post('/api/products', {
      sku,
      name: `Product ${tag}`,
      unitPrice: 1990,
      currency: 'CNY',
      stockOnHand: 100,
    }),
  );
  return { customerId: customer.id, sku };
}

/** Places an order of one unit and returns it as created. */
export async function placeOrder(api: Api, customerId: string, sku: string): Promise<OrderView> {
  return expectOk(
    'placing an order',
    await api.post<OrderView>('/api/orders', { customerId, lines: [{ sku, quantity: 1 }] }),
  );
}

/** Replays the order's recorded history against this build's workflow code. */
export async function verifyHistory(
  api: Api,
  id: string,
): Promise<{ ok: boolean; events: number; detail: unknown }> {
  return expectOk(
    `verifying the history of order ${id}`,
    await api.post<{ ok: boolean; events: number; detail: unknown }>(`/api/orders/${id}/history/verify`),
  );
}
