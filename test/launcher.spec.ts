import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { apiClient } from './support/http';
import { freePort } from './support/ports';
import { scratchDir } from './support/scratch';

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
    const {
      DATABASE_URL: _db,
      TEMPORAL_ADDRESS: _address,
      TEMPORAL_PROFILE: _profile,
      TEMPORAL_CONFIG_FILE: _file,
      ...inherited
    } = process.env;
    env = {
      ...inherited,
      OMS_DATA_DIR: scratchDir('oms-launch-'),
      OMS_API_PORT: String(ports.api),
      OMS_PG_PORT: String(ports.pg),
      OMS_TEMPORAL_PORT: String(ports.temporal),
      OMS_TEMPORAL_UI_PORT: String(ports.ui),
      OMS_ADMIN_PASSWORD: 'launcher-test-password',
      // The worker's own endpoint and the SDK's exporter, away from their defaults; the second worker of the
      // supervision test listens two above the first.
      OMS_WORKER_PORT: String(await freePort({ alsoFree: [2] })),
      OMS_WORKER_SDK_METRICS_PORT: String(await freePort({ alsoFree: [2] })),
    };
  });

  it('refuses two settings that give one port, before it starts anything', async () => {
    const dataDir = scratchDir('oms-clash-');
    const running = launch({ ...env, OMS_DATA_DIR: dataDir, OMS_WORKER_SDK_METRICS_PORT: String(ports.api) });
    expect(await running.exited).toBe(1);
    expect(running.output()).toContain(
      `[oms] OMS_API_PORT and OMS_WORKER_SDK_METRICS_PORT both give port ${ports.api}: ` +
        'each process npm start runs needs ports of its own',
    );
    expect(running.output()).not.toContain('starting PostgreSQL');
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('starts everything, refuses a second instance, stops cleanly and starts again with orders kept', async () => {
    const first = launch(env);
    try {
      await waitFor(first, 'press Ctrl-C to stop');
      expect(first.output()).toContain(`API          http://127.0.0.1:${ports.api}/api`);
      expect(first.output()).toContain(`console      http://127.0.0.1:${ports.api}/`);
      expect(first.output()).toContain(`Temporal UI  http://127.0.0.1:${ports.ui}`);
      const anonymous = apiClient(`http://127.0.0.1:${ports.api}`);
      expect((await anonymous.get('/health')).body).toMatchObject({
        status: 'ok',
        checks: { database: 'ok', temporal: 'ok', events: 'ok', deliveries: { status: 'ok' } },
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
        // This time the signal goes to the launcher itself (as `kill <pid>` or a service manager would send
        // it), not to the outer process that passes Ctrl-C on: it stops everything in order all the same.
        const inner = Number(
          execFileSync('pgrep', ['-P', String(again.child.pid)], { encoding: 'utf8' }).trim(),
        );
        process.kill(inner, 'SIGTERM');
        expect(await again.exited).toBe(0);
        expect(again.output()).toContain('[oms] stopped');
        for (const port of Object.values(ports)) expect([port, await listening(port)]).toEqual([port, false]);
      }
    } finally {
      if (first.child.exitCode === null) first.child.kill('SIGKILL');
    }
  }, 240_000);

  it('restarts a killed worker, API, PostgreSQL and Temporal dev server, and the orders carry on', async () => {
    const dataDir = scratchDir('oms-supervise-');
    const running = launch({ ...env, OMS_DATA_DIR: dataDir, OMS_WORKERS: '2' });
    const base = `http://127.0.0.1:${ports.api}`;
    const healthy = async (timeoutMs = 90_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const health = await apiClient(base)
          .get('/health')
          .catch(() => null);
        if (health?.status === 200) return;
        if (Date.now() > deadline) throw new Error(`not healthy again:\n${running.output()}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    };
    const pidOf = (name: string): number => {
      const all = [
        ...running.output().matchAll(new RegExp(`(?:started|restarted) the ${name} \\(pid (\\d+)\\)`, 'g')),
      ];
      const last = all.at(-1);
      if (!last) throw new Error(`no pid for the ${name}:\n${running.output()}`);
      return Number(last[1]);
    };
    try {
      await waitFor(running, 'press Ctrl-C to stop');
      const login = await apiClient(base).post<{ accessToken: string }>('/api/auth/login', {
        username: 'admin',
        password: 'launcher-test-password',
      });
      const api = apiClient(base, login.body.accessToken);
      const customer = await api.post('/api/customers', { name: 'Kept', email: 'kept@example.com' });
      await api.post('/api/products', {
        sku: 'SUP-1',
        name: 'S',
        unitPrice: 100,
        currency: 'CNY',
        stockOnHand: 50,
      });
      const order = async () => {
        const created = await api.post('/api/orders', {
          customerId: customer.body.id,
          lines: [{ sku: 'SUP-1', quantity: 1 }],
        });
        expect(created.status).toBe(201);
        const id = created.body.id as string;
        const approved = await api.post(`/api/orders/${id}/approve`, {});
        expect([approved.status, approved.body]).toMatchObject([
          200,
          { status: 'processing', awaiting: 'shipment' },
        ]);
        return id;
      };
      const before = await order();

      // Both workers killed at once: nothing polls until the supervisor brings them back.
      process.kill(pidOf('worker-1'), 'SIGKILL');
      process.kill(pidOf('worker-2'), 'SIGKILL');
      await waitFor(running, 'restarted the worker-1');
      await waitFor(running, 'restarted the worker-2');
      expect(running.output()).toMatch(
        /the worker-1 \(pid \d+\) exited unexpectedly \(SIGKILL\); restarting it in 1s/,
      );
      await order();

      process.kill(pidOf('API'), 'SIGKILL');
      await waitFor(running, 'restarted the API');
      await healthy();
      await order();

      // PostgreSQL's server process (its pid is the first line of postmaster.pid).
      const postmaster = Number(
        readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0],
      );
      process.kill(postmaster, 'SIGKILL');
      await waitFor(running, 'PostgreSQL is back after');
      await healthy();
      await order();

      // The dev server is the process whose command line names this data folder's SQLite file.
      const temporalDb = path.join(dataDir, 'temporal.db');
      const devServer = readdirSync('/proc')
        .filter((entry) => /^\d+$/.test(entry))
        .find((pid) => {
          try {
            return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(temporalDb);
          } catch {
            return false;
          }
        });
      expect(devServer).toBeDefined();
      process.kill(Number(devServer), 'SIGKILL');
      await waitFor(running, 'the Temporal dev server is back after');
      await healthy();
      await order();

      // The first order's workflow lived through all of it.
      const shipped = await api.post(`/api/orders/${before}/ship`, { carrier: 'SF', trackingNumber: 'SF1' });
      expect(shipped.status).toBeLessThan(300);
      expect(running.child.exitCode).toBeNull();
    } finally {
      // What the supervisor did and how long each recovery took, for the record.
      const supervision = /exited unexpectedly|restarted the|does not answer|is back after|did not come back/;
      console.log(
        running
          .output()
          .split('\n')
          .filter((line) => supervision.test(line))
          .join('\n'),
      );
      running.child.kill('SIGINT');
      await running.exited;
    }
  }, 400_000);
});
