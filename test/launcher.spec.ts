import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { apiClient } from './support/http';
import { freePort } from './support/ports';

/**
 * `npm start` as a user runs it: the compiled launcher on a fresh data folder, with every port moved so it
 * cannot collide with anything else on the machine. Needs `npm run build` first (the test command does it).
 */
const launcher = path.join(__dirname, '..', 'dist', 'scripts', 'start.js');

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function launch(env: NodeJS.ProcessEnv): Running {
  let output = '';
  const child = spawn(process.execPath, [launcher], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitFor(running: Running, text: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!running.output().includes(text)) {
    if (running.child.exitCode !== null) throw new Error(`the launcher exited early:\n${running.output()}`);
    if (Date.now() > deadline) throw new Error(`no "${text}" within ${timeoutMs}ms:\n${running.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

describe('npm start', () => {
  let env: NodeJS.ProcessEnv;
  let ports: Record<'api' | 'pg' | 'temporal' | 'ui', number>;

  beforeAll(async () => {
    if (!existsSync(launcher)) throw new Error(`${launcher} is missing: run npm run build first`);
    ports = { api: await freePort(), pg: await freePort(), temporal: await freePort(), ui: await freePort() };
    const { DATABASE_URL: _db, TEMPORAL_ADDRESS: _temporal, ...inherited } = process.env;
    env = {
      ...inherited,
      OMS_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'oms-launch-')),
      OMS_API_PORT: String(ports.api),
      OMS_PG_PORT: String(ports.pg),
      OMS_TEMPORAL_PORT: String(ports.temporal),
      OMS_TEMPORAL_UI_PORT: String(ports.ui),
      OMS_ADMIN_PASSWORD: 'launcher-test-password',
      // The worker's own endpoint and the SDK's exporter, away from their defaults.
      OMS_WORKER_PORT: String(await freePort()),
      OMS_WORKER_SDK_METRICS_PORT: String(await freePort()),
    };
  });

  it('starts everything, refuses a second instance, stops cleanly and starts again with orders kept', async () => {
    const first = launch(env);
    try {
      await waitFor(first, 'press Ctrl-C to stop');
      expect(first.output()).toContain(`API          http://127.0.0.1:${ports.api}/api`);
      expect(first.output()).toContain(`Temporal UI  http://127.0.0.1:${ports.ui}`);
      const anonymous = apiClient(`http://127.0.0.1:${ports.api}`);
      expect((await anonymous.get('/health')).body).toEqual({
        status: 'ok',
        checks: { database: 'ok', temporal: 'ok' },
      });
      const login = await anonymous.post<{ accessToken: string }>('/api/auth/login', {
        username: 'admin',
        password: 'launcher-test-password',
      });
      expect(login.status).toBe(200);
      const api = apiClient(`http://127.0.0.1:${ports.api}`, login.body.accessToken);
      const customer = await api.post('/api/customers', { name: 'Kept', email: 'kept@example.com' });
      expect(customer.status).toBe(201);
      await api.post('/api/products', {
        sku: 'KEPT-1',
        name: 'Kept',
        unitPrice: 100,
        currency: 'CNY',
        stockOnHand: 5,
      });
      const order = await api.post('/api/orders', {
        customerId: customer.body.id,
        lines: [{ sku: 'KEPT-1', quantity: 1 }],
      });
      expect(order.status).toBe(201);

      const second = launch(env);
      expect(await second.exited).toBe(1);
      expect(second.output()).toContain('another instance');
      expect(second.output()).toContain('is already running on the data folder');

      first.child.kill('SIGINT');
      expect(await first.exited).toBe(0);
      expect(first.output()).toContain('[oms] stopped');
      for (const port of Object.values(ports)) expect([port, await listening(port)]).toEqual([port, false]);

      const again = launch(env);
      try {
        await waitFor(again, 'press Ctrl-C to stop');
        const kept = await api.get(`/api/customers/${customer.body.id as string}`);
        expect(kept.body).toMatchObject({ name: 'Kept' });
        // The order's workflow survived the restart in the dev server's file and carries on from where it was.
        const approved = await api.post(`/api/orders/${order.body.id as string}/approve`, {});
        expect(approved.body).toMatchObject({ status: 'processing', awaiting: 'shipment' });
      } finally {
        again.child.kill('SIGINT');
        expect(await again.exited).toBe(0);
      }
    } finally {
      if (first.child.exitCode === null) first.child.kill('SIGKILL');
    }
  }, 240_000);
});
