import { ArchiveQueueRepository } from '../db/repositories';
import { orderWorkflowId } from '../workflows/order.definitions';
import { eventually, seedCatalogue } from './support/fixtures';
import type { ApiClient } from './support/http';
import { placeOrder } from './support/orders';
import { startStack, type TestStack } from './support/stack';

type QueueRow = { order_id: string; attempts: number; last_error: string | null };

/**
 * A closed order's archive is queued in PostgreSQL by its workflow's last step and written by the worker's
 * archiver once the workflow has closed (activities/archive.queue.ts); no archiving workflow is started.
 */
describe('the archive queue', () => {
  let stack: TestStack;
  let staff: ApiClient;
  let auditor: ApiClient;

  beforeAll(async () => {
    stack = await startStack();
    staff = await stack.client(['staff'], 'queue-clerk');
    auditor = await stack.client(['auditor'], 'queue-auditor');
  });
  afterAll(() => stack.close());

  const sql = <T>(query: string, params: unknown[] = []) =>
    stack.orm.em.fork().getConnection().execute<T[]>(query, params);
  const queued = (orderId: string) =>
    sql<QueueRow>(`select order_id, attempts, last_error from order_archive_queue where order_id = ?`, [
      orderId,
    ]);

  async function placed(): Promise<string> {
    const { customerId, skus } = await seedCatalogue(staff, [{ unitPrice: 500, stockOnHand: 10 }]);
    return (await placeOrder(staff, customerId, [{ sku: skus[0]!, quantity: 1 }])).id;
  }

  it('writes the archive of an order that closed, and leaves the queue empty of it', async () => {
    const orderId = await placed();
    await staff.post(`/api/orders/${orderId}/cancel`, { reason: 'customer changed their mind' });
    await stack.temporal.workflow.getHandle(orderWorkflowId(orderId)).result();

    const archived = await eventually(
      () => auditor.get<{ events: number }>(`/api/orders/${orderId}/archive`),
      (response) => response.status === 200,
    );
    expect(archived.status).toBe(200);
    expect(archived.body.events).toBeGreaterThan(0);
    await eventually(
      () => queued(orderId),
      (rows) => rows.length === 0,
    );
    expect(await queued(orderId)).toEqual([]);
    // The order's history names the queueing step, and no archiving workflow ran for it.
    const history = await stack.temporal.workflow.getHandle(orderWorkflowId(orderId)).fetchHistory();
    const markers = (history.events ?? []).flatMap((event) => {
      const payload = event.markerRecordedEventAttributes?.details?.data?.payloads?.[0]?.data;
      return payload ? [Buffer.from(payload).toString()] : [];
    });
    expect(markers.some((marker) => marker.includes('"startArchive"'))).toBe(true);
    await expect(stack.temporal.workflow.getHandle(`order-archive:${orderId}`).describe()).rejects.toThrow(
      /not found/i,
    );
  });

  it('waits while the order is still open, keeping the reason, and writes nothing', async () => {
    const orderId = await placed();
    // As if its workflow had queued it: the archiver tries and finds the workflow running.
    await sql(`insert into order_archive_queue (order_id, due_at) values (?, now())`, [orderId]);
    const [row] = await eventually(
      () => queued(orderId),
      (rows) => (rows[0]?.attempts ?? 0) >= 1 && rows[0]?.last_error !== null,
    );
    expect(row!.attempts).toBeGreaterThanOrEqual(1);
    expect(row!.last_error).toMatch(/has not closed yet/);
    const depth = await new ArchiveQueueRepository(stack.orm.em.fork()).depth();
    expect(depth.waiting).toBeGreaterThanOrEqual(1);
    expect(depth.oldestWaitingSeconds).toBeGreaterThan(0);
    expect((await auditor.get(`/api/orders/${orderId}/archive`)).status).toBe(404);

    // It closes: the next try writes the archive.
    await staff.post(`/api/orders/${orderId}/reject`, { reason: 'out of area' });
    await stack.temporal.workflow.getHandle(orderWorkflowId(orderId)).result();
    await sql(`update order_archive_queue set due_at = now() where order_id = ?`, [orderId]);
    await eventually(
      () => auditor.get(`/api/orders/${orderId}/archive`),
      (response) => response.status === 200,
    );
    await eventually(
      () => queued(orderId),
      (rows) => rows.length === 0,
    );
  });

  it('takes up a row whose archiver died once its lease ran out, and adds no second record', async () => {
    const orderId = await placed();
    await staff.post(`/api/orders/${orderId}/cancel`, { reason: 'duplicate order' });
    await stack.temporal.workflow.getHandle(orderWorkflowId(orderId)).result();
    await eventually(
      () => auditor.get(`/api/orders/${orderId}/archive`),
      (response) => response.status === 200,
    );
    // An archiver claimed it again and died before settling it: the row is back, its lease run out.
    await sql(
      `insert into order_archive_queue (order_id, due_at, attempts) values (?, now() - interval '1 second', 1)`,
      [orderId],
    );
    await eventually(
      () => queued(orderId),
      (rows) => rows.length === 0,
    );
    const records = await sql<{ n: number }>(
      `select count(*)::int as n from order_archives where order_id = ?`,
      [orderId],
    );
    expect(records[0]!.n).toBe(1);
  });

  it('gives claimed archives back at once when an archiver stops before reaching them', async () => {
    const orderId = await placed();
    await sql(`insert into order_archive_queue (order_id, due_at) values (?, now() + interval '1 hour')`, [
      orderId,
    ]);
    const queue = new ArchiveQueueRepository(stack.orm.em.fork());
    // Claimed by an archiver (as if due): its lease runs for two minutes.
    await sql(`update order_archive_queue set due_at = now() + interval '2 minutes' where order_id = ?`, [
      orderId,
    ]);
    await queue.release([orderId]);
    // Due at once, or already taken up again by the running archiver (which counts an attempt).
    const [row] = await sql<{ due: boolean }>(
      `select due_at <= now() or attempts > 0 as due from order_archive_queue where order_id = ?`,
      [orderId],
    );
    expect(row?.due).toBe(true);
    await sql(`delete from order_archive_queue where order_id = ?`, [orderId]);
  });
});
