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
