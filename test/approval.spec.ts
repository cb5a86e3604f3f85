import { eventually, seedCatalogue } from './support/fixtures';
import type { ApiClient } from './support/http';
import { placeOrder, type OrderBody } from './support/orders';
import { startStack, type TestStack } from './support/stack';

/** Approval thresholds for this file; restored afterwards (test files run one at a time). */
const RULE = { autoApproveBelow: 1000, staffApprovalLimit: 50000, currency: 'CNY' };

describe('approval rules', () => {
  let stack: TestStack;
  let staff: ApiClient;
  let manager: ApiClient;
  let previous: Record<string, unknown>;
  let customerId: string;
  let sku: string;

  beforeAll(async () => {
    stack = await startStack();
    staff = await stack.client(['staff'], 'clerk');
    manager = await stack.client(['manager'], 'boss');
    previous = (await manager.get('/api/settings/approval')).body;
    const updated = await manager.put('/api/settings/approval', RULE);
    expect(updated.status).toBe(200);
    ({
      customerId,
      skus: [sku = ''],
    } = await seedCatalogue(staff, [{ unitPrice: 100, stockOnHand: 10000 }]));
  });
  afterAll(async () => {
    const { autoApproveBelow, staffApprovalLimit, currency } = previous;
    await manager.put('/api/settings/approval', { autoApproveBelow, staffApprovalLimit, currency });
    await stack.close();
  });

  it('lets the system approve an order at or below the threshold, and says under which rule', async () => {
    const order = await placeOrder(staff, customerId, [{ sku, quantity: 10 }]);
    expect(order).toMatchObject({ status: 'created', total: 1000 });
    const later = await eventually(
      () => staff.get<OrderBody>(`/api/orders/${order.id}`),
      (response) => response.body.awaiting === 'shipment',
    );
    expect(later.body).toMatchObject({ status: 'processing', awaiting: 'shipment' });
    const rule = later.body.approvalRule as { version: number };
    expect(later.body.approvals).toEqual([
      expect.objectContaining({
        automatic: true,
        by: { id: 'system', username: 'system' },
        amount: 1000,
        ruleVersion: rule.version,
      }),
    ]);
  });

  it('lets staff approve up to their limit, and only a manager above it (403 for staff)', async () => {
    const small = await placeOrder(staff, customerId, [{ sku, quantity: 100 }]);
    expect(small.awaiting).toBe('approval');
    expect((await staff.post<OrderBody>(`/api/orders/${small.id}/approve`, {})).body.status).toBe(
      'processing',
    );

    const large = await placeOrder(staff, customerId, [{ sku, quantity: 600 }]);
    expect(large.awaiting).toBe('manager_approval');
    const refused = await staff.post(`/api/orders/${large.id}/approve`, {});
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/only a manager may approve/);
    expect((await staff.post(`/api/orders/${large.id}/reject`, { reason: 'no' })).status).toBe(403);
    const approved = await manager.post<OrderBody>(`/api/orders/${large.id}/approve`, {
      comment: 'big customer',
    });
    expect(approved.body).toMatchObject({ status: 'processing', awaiting: 'shipment' });
  });

  it('sends an edit above the staff limit back to a manager, and charges the difference once approved', async () => {
    const order = await placeOrder(staff, customerId, [{ sku, quantity: 400 }]);
    const approved = await staff.post<OrderBody>(`/api/orders/${order.id}/approve`, {});
    expect(approved.body).toMatchObject({ awaiting: 'shipment', payment: { amount: 40000 } });

    const edited = await staff.patch<OrderBody>(`/api/orders/${order.id}`, {
      lines: [{ sku, quantity: 700 }],
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      status: 'processing',
      awaiting: 'manager_approval',
      total: 70000,
      payment: { amount: 40000 },
    });
    expect((await staff.post(`/api/orders/${order.id}/approve`, {})).status).toBe(403);
    expect(
      (await staff.post(`/api/orders/${order.id}/ship`, { carrier: 'SF', trackingNumber: '1' })).status,
    ).toBe(409);

    const reapproved = await manager.post<OrderBody>(`/api/orders/${order.id}/approve`, {});
    expect(reapproved.body).toMatchObject({
      awaiting: 'shipment',
      payment: { status: 'captured', amount: 70000 },
    });
  });

  it('refunds the difference when an edit lowers the total, without new approval', async () => {
    const order = await placeOrder(staff, customerId, [{ sku, quantity: 300 }]);
    await staff.post(`/api/orders/${order.id}/approve`, {});
    const edited = await staff.patch<OrderBody>(`/api/orders/${order.id}`, {
      lines: [{ sku, quantity: 200 }],
      notes: 'fewer',
    });
    expect(edited.body).toMatchObject({
      awaiting: 'shipment',
      total: 20000,
      notes: 'fewer',
      payment: { amount: 20000 },
    });
  });

  it('keeps orders in flight on the rule they were decided under', async () => {
    const order = await placeOrder(staff, customerId, [{ sku, quantity: 200 }]);
    const before = order.approvalRule as { version: number };
    const changed = await manager.put<{ version: number }>('/api/settings/approval', {
      ...RULE,
      staffApprovalLimit: 10000,
    });
    expect(changed.body.version).toBe(before.version + 1);
    try {
      // Under the new rule 20000 would need a manager; this order was placed under the old one.
      const approved = await staff.post<OrderBody>(`/api/orders/${order.id}/approve`, {});
      expect(approved.status).toBe(200);
      expect(approved.body.approvals).toEqual([expect.objectContaining({ ruleVersion: before.version })]);
      const newer = await placeOrder(staff, customerId, [{ sku, quantity: 200 }]);
      expect(newer).toMatchObject({
        awaiting: 'manager_approval',
        approvalRule: { version: changed.body.version },
      });
    } finally {
      await manager.put('/api/settings/approval', RULE);
    }
  });

  it('refuses approval settings that do not make sense', async () => {
    for (const bad of [
      { ...RULE, autoApproveBelow: 60000 },
      { ...RULE, staffApprovalLimit: -1 },
      { ...RULE, currency: 'cny' },
      { autoApproveBelow: 1 },
    ]) {
      const response = await manager.put('/api/settings/approval', bad);
      expect(response.status).toBe(400);
    }
  });

  it('rejects finally, and rejection is the end', async () => {
    const order = await placeOrder(staff, customerId, [{ sku, quantity: 100 }]);
    const rejected = await staff.post<OrderBody>(`/api/orders/${order.id}/reject`, {
      reason: 'fraud suspicion',
    });
    expect(rejected.body).toMatchObject({
      status: 'rejected',
      awaiting: null,
      rejection: { reason: 'fraud suspicion' },
    });
    expect((await staff.post(`/api/orders/${order.id}/approve`, {})).status).toBe(409);
  });
});
