import { bucketSince, type WAIT_BUCKETS } from '../domain/waiting';
import { seedCatalogue } from './support/fixtures';
import { placeOrder } from './support/orders';
import { useStack } from './support/stack';

/** Where work waits (`GET /api/reports/waiting`, issue 26): a heat map of stages by time waited. */
type Row = { subject: string; stage: string; counts: number[]; total: number; oldestSince: string | null };
type Report = { generatedAt: string; buckets: { key: string }[]; rows: Row[] };

describe('the waiting report', () => {
  const t = useStack({
    clerk: [['staff'], 'waiting-clerk'],
    boss: [['manager'], 'waiting-boss'],
    auditor: [['auditor'], 'waiting-auditor'],
  });
  const report = async () => (await t.boss.get<Report>('/api/reports/waiting')).body;
  const approvalRow = (current: Report) =>
    current.rows.find((row) => row.subject === 'order' && row.stage === 'approval')!;

  it('counts the orders waiting at each stage by how long they have waited, and moves them as time passes', async () => {
    const before = await report();
    expect(before.buckets.map((bucket) => bucket.key)).toEqual([
      'under_1h',
      'under_4h',
      'under_1d',
      'under_3d',
      'over_3d',
    ]);
    const { customerId, skus } = await seedCatalogue(t.boss, [{ unitPrice: 50_000, stockOnHand: 100 }]);
    const orders = [
      await placeOrder(t.clerk, customerId, [{ sku: skus[0]!, quantity: 1 }]),
      await placeOrder(t.clerk, customerId, [{ sku: skus[0]!, quantity: 1 }]),
    ];
    for (const order of orders) expect(order.awaiting).toBe('approval');
    const placed = await report();
    expect(approvalRow(placed).counts[0]).toBe(approvalRow(before).counts[0]! + 2);
    expect(approvalRow(placed).total).toBe(approvalRow(before).total + 2);

    // As if the first had waited two days (the mirror's clock, which the report reads).
    await t.stack.orm.em
      .getConnection()
      .execute(`update orders set awaiting_since = now() - interval '2 days' where id = ?`, [orders[0]!.id]);
    const later = await report();
    expect(approvalRow(later).counts[0]).toBe(approvalRow(placed).counts[0]! - 1);
    expect(approvalRow(later).counts[3]).toBe(approvalRow(placed).counts[3]! + 1);
    expect(new Date(approvalRow(later).oldestSince!).getTime()).toBeLessThan(Date.now() - 47 * 3_600_000);

    // A cell opens the board on exactly its orders: the stage, and when their waits began.
    const board = async (bucket: (typeof WAIT_BUCKETS)[number]['key']) => {
      const query = new URLSearchParams({
        awaiting: 'approval',
        limit: '200',
        ...bucketSince(bucket, Date.now()),
      });
      const page = await t.boss.get<{ items: { id: string }[] }>(`/api/orders?${query.toString()}`);
      expect(page.status).toBe(200);
      return page.body.items.map((item) => item.id);
    };
    const recent = await board('under_1h');
    const days = await board('under_3d');
    expect(recent).toContain(orders[1]!.id);
    expect(recent).not.toContain(orders[0]!.id);
    expect(days).toContain(orders[0]!.id);
    expect(days).not.toContain(orders[1]!.id);
    expect(days).toHaveLength(approvalRow(later).counts[3]!);
    const backwards = await t.boss.get<{ field?: string; message: string }>(
      `/api/orders?awaitingSinceFrom=2026-12-02T00:00:00Z&awaitingSinceTo=2026-12-01T00:00:00Z`,
    );
    expect(backwards.status).toBe(400);
    expect(backwards.body.message).toContain('awaitingSinceTo');
  });

  it('has a row for every order and return stage, also where nothing waits', async () => {
    const rows = (await report()).rows.map((row) => `${row.subject}:${row.stage}`);
    expect(rows).toEqual([
      'order:approval',
      'order:manager_approval',
      'order:stock',
      'order:payment',
      'order:shipment',
      'order:delivery',
      'return:approval',
      'return:receipt',
      'return:refund',
    ]);
  });

  it('is for managers, admins and auditors, not staff', async () => {
    expect((await t.auditor.get('/api/reports/waiting')).status).toBe(200);
    expect((await t.clerk.get('/api/reports/waiting')).status).toBe(403);
  });
});
