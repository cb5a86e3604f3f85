import { Client, Connection } from '@temporalio/client';
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client as PgClient } from 'pg';
import { loadConfig } from '../config/config';
import { orderQuery, orderWorkflowId } from '../workflows/order.definitions';
import { eventually } from './support/fixtures';
import { apiClient, type ApiClient } from './support/http';
import { launch, launcherEnv, waitFor, type Running } from './support/launcher';
import { scratchDir } from './support/scratch';

/**
 * Backup and restore of a running system, as an operator does it: `npm start` on its own data folder with
 * orders at every stage, a backup through the API, the service stopped, its data wiped, `npm run restore`,
 * and the system started again with every table and every workflow as they were; then the orders finish.
 */
const restoreEntry = path.join(__dirname, '..', 'dist', 'scripts', 'restore.js');
const PASSWORD = 'backup-test-password';

type Order = { id: string; status: string; awaiting: string | null };

/** Every row of every application table, in a stable order. */
async function allTables(url: string): Promise<Record<string, unknown[]>> {
  const client = new PgClient({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>(
      "select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1",
    );
    const result: Record<string, unknown[]> = {};
    for (const { name } of tables.rows) {
      const rows = await client.query(`select * from "${name}"`);
      result[name] = rows.rows.map((row) => JSON.stringify(row)).sort();
    }
    return result;
  } finally {
    await client.end();
  }
}

/** Each order's workflow: its run status and the state its query answers. */
async function workflowStates(address: string, orderIds: string[]): Promise<Record<string, unknown>> {
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection });
    const states: Record<string, unknown> = {};
    for (const id of orderIds) {
      const handle = client.workflow.getHandle(orderWorkflowId(id));
      const description = await handle.describe();
      states[id] = {
        status: description.status.name,
        historyLength: description.historyLength,
        state: await handle.query(orderQuery),
      };
    }
    return states;
  } finally {
    await connection.close();
  }
}

async function signIn(baseUrl: string): Promise<ApiClient> {
  const login = await apiClient(baseUrl).post<{ accessToken: string }>('/api/auth/login', {
    username: 'admin',
    password: PASSWORD,
  });
  if (login.status !== 200) throw new Error(`sign-in failed: ${JSON.stringify(login.body)}`);
  return apiClient(baseUrl, login.body.accessToken);
}

async function stop(running: Running): Promise<void> {
  running.child.kill('SIGINT');
  expect(await running.exited).toBe(0);
}

describe('backup and restore', () => {
  it('backs up a running system, refuses bad or unforced restores, restores a wiped one exactly, and its orders finish', async () => {
    const dataDir = scratchDir('oms-backup-');
    const { env, ports } = await launcherEnv(dataDir, { OMS_ADMIN_PASSWORD: PASSWORD });
    const baseUrl = `http://127.0.0.1:${ports.api}`;
    // The embedded PostgreSQL's owner, with the password its first start generated into the data folder.
    const databaseUrl = () =>
      loadConfig({ OMS_DATA_DIR: dataDir, OMS_PG_PORT: String(ports.pg) }).databaseOwnerUrl;
    const temporalAddress = `127.0.0.1:${ports.temporal}`;

    const first = launch(env);
    let orders: Record<'created' | 'processing' | 'shipped' | 'completed' | 'cancelled', Order>;
    let tablesBefore: Record<string, unknown[]>;
    let workflowsBefore: Record<string, unknown>;
    let archive: string;
    try {
      await waitFor(first, 'press Ctrl-C to stop');
      const api = await signIn(baseUrl);
      const customer = await api.post('/api/customers', { name: 'Backed Up', email: 'kept@example.com' });
      await api.post('/api/products', {
        sku: 'BK-1',
        name: 'Kept tea',
        unitPrice: 100,
        currency: 'CNY',
        stockOnHand: 50,
      });
      const place = async () =>
        (
          await api.post<Order>('/api/orders', {
            customerId: customer.body.id,
            lines: [{ sku: 'BK-1', quantity: 2 }],
          })
        ).body;
      orders = {
        created: await place(),
        processing: await place(),
        shipped: await place(),
        completed: await place(),
        cancelled: await place(),
      };
      for (const key of ['processing', 'shipped', 'completed'] as const)
        await api.post(`/api/orders/${orders[key].id}/approve`, {});
      for (const key of ['shipped', 'completed'] as const)
        await api.post(`/api/orders/${orders[key].id}/ship`, { carrier: 'SF', trackingNumber: `SF-${key}` });
      await api.post(`/api/orders/${orders.completed.id}/complete`, {});
      await api.post(`/api/orders/${orders.cancelled.id}/cancel`, { reason: 'changed mind' });
      // Every mirror and archive write has landed before the snapshot is taken.
      const ids = Object.values(orders).map((order) => order.id);
      await eventually(
        async () =>
          (await api.get<{ id: string; status: string }>(`/api/orders/${orders.completed.id}/archive`))
            .status,
        (status) => status === 200,
      );
      await new Promise((resolve) => setTimeout(resolve, 2000));

      tablesBefore = await allTables(databaseUrl());
      workflowsBefore = await workflowStates(temporalAddress, ids);
      const created = await api.post<{ id: string; file: string; parts: { role: string }[] }>('/api/backups');
      expect(created.status).toBe(201);
      expect(created.body.parts.map((part) => part.role)).toEqual(['app', 'temporal']);
      archive = created.body.file;
      const listed = await api.get<{ items: { id: string }[] }>('/api/backups');
      expect(listed.body.items.map((item) => item.id)).toContain(created.body.id);

      // A restore refuses to run beside the running service.
      const beside = launch({ ...env }, restoreEntry, [archive]);
      expect(await beside.exited).toBe(1);
      expect(beside.output()).toMatch(/restore refused: the service is running/);
    } finally {
      await stop(first);
    }

    // Data is there: refused without --force.
    const unforced = launch(env, restoreEntry, [archive]);
    expect(await unforced.exited).toBe(1);
    expect(unforced.output()).toMatch(
      /refusing to replace existing data \(database oms has \d+ tables; .*temporal\.db exists\); pass --force/,
    );

    // A damaged copy: refused, naming the damage.
    const damaged = path.join(dataDir, 'damaged.tar.gz');
    copyFileSync(archive, damaged);
    const bytes = readFileSync(damaged);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 100) ^ 0xff, bytes.length - 100);
    writeFileSync(damaged, bytes);
    const corrupted = launch(env, restoreEntry, [damaged, '--force']);
    expect(await corrupted.exited).toBe(1);
    expect(corrupted.output()).toMatch(/restore refused: .*damaged\.tar\.gz is corrupted/);

    // Wipe the data, then restore.
    rmSync(path.join(dataDir, 'postgres'), { recursive: true, force: true });
    for (const suffix of ['', '-wal', '-shm'])
      rmSync(path.join(dataDir, `temporal.db${suffix}`), { force: true });
    const restore = launch(env, restoreEntry, [archive]);
    expect(await restore.exited).toBe(0);
    expect(restore.output()).toMatch(/SHA-256 verified/);

    const { OMS_ADMIN_PASSWORD: _unchanged, ...withoutPassword } = env;
    const second = launch(withoutPassword);
    try {
      await waitFor(second, 'press Ctrl-C to stop');
      const ids = Object.values(orders!).map((order) => order.id);
      expect(await allTables(databaseUrl())).toEqual(tablesBefore!);
      expect(await workflowStates(temporalAddress, ids)).toEqual(workflowsBefore!);

      // The restored orders carry on to the end.
      const api = await signIn(baseUrl);
      await api.post(`/api/orders/${orders!.created.id}/approve`, {});
      await api.post(`/api/orders/${orders!.created.id}/ship`, { carrier: 'SF', trackingNumber: 'SF-a' });
      await api.post(`/api/orders/${orders!.processing.id}/ship`, { carrier: 'SF', trackingNumber: 'SF-b' });
      for (const key of ['created', 'processing', 'shipped'] as const) {
        const completed = await api.post<Order>(`/api/orders/${orders![key].id}/complete`, {});
        expect([key, completed.status, completed.body.status]).toEqual([key, 200, 'completed']);
      }
    } finally {
      await stop(second);
    }
  }, 420_000);
});
