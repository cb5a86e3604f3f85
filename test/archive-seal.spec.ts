import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Client } from 'pg';
import { orderWorkflowId } from '../workflows/order.definitions';
import { eventually, seedCatalogue } from './support/fixtures';
import type { ApiClient } from './support/http';
import { placeOrder } from './support/orders';
import { appDatabaseUrl, startStack, type TestStack } from './support/stack';

type Verified = { ok: boolean; events: number; detail: string };

/**
 * The permanent record of a finished order is tamper-evident: the application's database role may add
 * records but never change or remove one, and each record carries a seal keyed with a secret that database
 * access does not reveal, so a record changed and re-hashed by someone with that access fails its check.
 */
describe('the archive seal', () => {
  let stack: TestStack;
  let staff: ApiClient;
  let auditor: ApiClient;

  beforeAll(async () => {
    stack = await startStack();
    staff = await stack.client(['staff'], 'seal-clerk');
    auditor = await stack.client(['auditor'], 'seal-auditor');
  });
  afterAll(() => stack.close());

  /** An order run to completion, once its record is archived. */
  async function archivedOrder(): Promise<string> {
    const { customerId, skus } = await seedCatalogue(staff, [{ unitPrice: 500, stockOnHand: 10 }]);
    const order = await placeOrder(staff, customerId, [{ sku: skus[0]!, quantity: 1 }]);
    await staff.post(`/api/orders/${order.id}/approve`, {});
    await staff.post(`/api/orders/${order.id}/ship`, { carrier: 'SF', trackingNumber: 'SF7' });
    await staff.post(`/api/orders/${order.id}/complete`, {});
    await stack.temporal.workflow.getHandle(orderWorkflowId(order.id)).result();
    const archived = await eventually(
      () => auditor.get(`/api/orders/${order.id}/archive`),
      (response) => response.status === 200,
    );
    expect(archived.status).toBe(200);
    return order.id;
  }

  const owner = () => stack.orm.em.fork().getConnection();

  it('lets the application role add archived records but never change or remove one', async () => {
    const app = new Client({ connectionString: appDatabaseUrl(process.env.OMS_TEST_DATABASE_URL!) });
    await app.connect();
    try {
      await expect(app.query('update order_archives set events = events where false')).rejects.toThrow(
        /permission denied/,
      );
      await expect(app.query('delete from order_archives where false')).rejects.toThrow(/permission denied/);
      await expect(app.query('truncate order_archives')).rejects.toThrow(/permission denied/);
    } finally {
      await app.end();
    }
  });

  it('shows a record changed and re-hashed with database access, on verify and on read', async () => {
    const orderId = await archivedOrder();
    const verified = await auditor.post<Verified>(`/api/orders/${orderId}/history/verify`, {});
    expect(verified.body).toMatchObject({ ok: true });

    // Someone with the database's access lowers the order's total in the record and recomputes its checksum.
    const rows = await owner().execute<{ record: Buffer }[]>(
      'select record from order_archives where order_id = ?',
      [orderId],
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const record = JSON.parse(gunzipSync(row.record).toString('utf8')) as { order: { total: number } };
      record.order.total = 1;
      const json = JSON.stringify(record);
      await owner().execute('update order_archives set record = ?, sha256 = ? where order_id = ?', [
        gzipSync(json),
        createHash('sha256').update(json).digest('hex'),
        orderId,
      ]);
    }

    const after = await auditor.post<Verified>(`/api/orders/${orderId}/history/verify`, {});
    expect(after.status).toBe(200);
    expect(after.body.ok).toBe(false);
    expect(after.body.detail).toMatch(/seal/);
    const read = await auditor.get(`/api/orders/${orderId}/archive`);
    expect(read.status).toBe(409);
    expect(JSON.stringify(read.body)).toMatch(/seal/);
  }, 120_000);

  it('keeps verifying records archived before seals were keyed (checksum only)', async () => {
    const orderId = await archivedOrder();
    // As a record written by an earlier version looks: its checksum, no keyed seal.
    await owner().execute('update order_archives set seal_version = 1, seal = null where order_id = ?', [
      orderId,
    ]);
    const verified = await auditor.post<Verified>(`/api/orders/${orderId}/history/verify`, {});
    expect(verified.body.ok).toBe(true);
    expect(verified.body.detail).toMatch(/checksum only/);
    expect((await auditor.get(`/api/orders/${orderId}/archive`)).status).toBe(200);
  }, 120_000);
});
