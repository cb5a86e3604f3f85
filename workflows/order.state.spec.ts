import type { OrderInput } from './order.definitions';
import { initialSnapshot, isFinal, moved, refusalOf } from './order.state';

const input: OrderInput = {
  orderId: 'o1',
  number: 'SO-2026-000001',
  customerId: 'c1',
  currency: 'CNY',
  lines: [],
  total: 0,
  notes: null,
  createdBy: { id: 'u1', username: 'clerk', roles: ['staff'] },
};

describe('the order state machine', () => {
  const created = initialSnapshot(input, '2026-01-01T00:00:00.000Z');

  it('starts a new order as created, awaiting approval, at version 1', () => {
    expect(created).toMatchObject({ status: 'created', awaiting: 'approval', version: 1, approvals: [] });
    expect(created).not.toHaveProperty('createdBy');
  });

  it('allows approve only while awaiting approval', () => {
    expect(refusalOf(created, 'approve')).toBeNull();
    expect(refusalOf({ status: 'created', awaiting: 'stock' }, 'approve')).toBe(
      'cannot approve an order that is created (awaiting stock)',
    );
  });

  it('allows ship only while processing and awaiting shipment', () => {
    expect(refusalOf(created, 'ship')).toBe('cannot ship an order that is created (awaiting approval)');
    expect(refusalOf({ status: 'processing', awaiting: 'shipment' }, 'ship')).toBeNull();
    expect(refusalOf({ status: 'processing', awaiting: 'payment' }, 'ship')).not.toBeNull();
  });

  it('allows complete only when shipped, and nothing after a final status', () => {
    expect(refusalOf({ status: 'shipped', awaiting: 'delivery' }, 'complete')).toBeNull();
    for (const status of ['completed', 'cancelled', 'rejected'] as const) {
      expect(isFinal(status)).toBe(true);
      for (const action of ['approve', 'ship', 'complete'] as const) {
        expect(refusalOf({ status, awaiting: null }, action)).toBe(
          `cannot ${action} an order that is ${status}`,
        );
      }
    }
    expect(isFinal('shipped')).toBe(false);
  });

  it('moves to a new status with a higher version and a new timestamp, leaving the original untouched', () => {
    const next = moved(created, 'processing', 'shipment', '2026-01-02T00:00:00.000Z');
    expect(next).toMatchObject({
      status: 'processing',
      awaiting: 'shipment',
      version: 2,
      updatedAt: '2026-01-02T00:00:00.000Z',
    });
    expect(created.status).toBe('created');
  });
});
