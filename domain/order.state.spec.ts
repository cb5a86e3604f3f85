import type { Actor, OrderInput } from './order';
import { actionsFor, initialSnapshot, isFinal, withChanges, refusalOf } from './order.state';

const input: OrderInput = {
  orderId: 'o1',
  number: 'SO-2026-000001',
  customerId: 'c1',
  currency: 'CNY',
  lines: [],
  total: 50000,
  notes: null,
  createdBy: { id: 'u1', username: 'clerk', roles: ['staff'] },
  approvalRule: { version: 3, autoApproveBelow: 10000, staffApprovalLimit: 100000, currency: 'CNY' },
  requestHash: null,
};

describe('the order state machine', () => {
  const created = initialSnapshot(input, '2026-01-01T00:00:00.000Z');

  it('starts a new order as created, awaiting the approval its total needs, under its rule', () => {
    expect(created).toMatchObject({ status: 'created', awaiting: 'approval', version: 1, approvals: [] });
    expect(created.approvalRule.version).toBe(3);
    expect(created).not.toHaveProperty('createdBy');
    expect(initialSnapshot({ ...input, total: 200000 }, 'now').awaiting).toBe('manager_approval');
  });

  it('allows approve and reject only while awaiting approval', () => {
    expect(refusalOf(created, 'approve')).toBeNull();
    expect(refusalOf({ status: 'processing', awaiting: 'manager_approval' }, 'reject')).toBeNull();
    expect(refusalOf({ status: 'processing', awaiting: 'stock' }, 'approve')).toBe(
      'cannot approve the order: it is processing, awaiting stock; approve needs an order awaiting approval',
    );
  });

  it('allows ship only while awaiting shipment, and retrying payment only while awaiting payment', () => {
    expect(refusalOf(created, 'ship')).toMatch(/^cannot ship the order: it is created, awaiting approval/);
    expect(refusalOf({ status: 'processing', awaiting: 'shipment' }, 'ship')).toBeNull();
    expect(refusalOf({ status: 'processing', awaiting: 'payment' }, 'ship')).not.toBeNull();
    expect(refusalOf({ status: 'processing', awaiting: 'payment' }, 'retryPayment')).toBeNull();
    expect(refusalOf({ status: 'processing', awaiting: 'stock' }, 'retryPayment')).not.toBeNull();
  });

  it('allows edit and cancel only before shipment', () => {
    for (const action of ['edit', 'cancel'] as const) {
      expect(refusalOf({ status: 'created', awaiting: 'approval' }, action)).toBeNull();
      expect(refusalOf({ status: 'processing', awaiting: 'stock' }, action)).toBeNull();
      expect(refusalOf({ status: 'shipped', awaiting: 'delivery' }, action)).toMatch(/it is shipped/);
    }
  });

  it('allows complete only when shipped, and nothing after a final status', () => {
    expect(refusalOf({ status: 'shipped', awaiting: 'delivery' }, 'complete')).toBeNull();
    for (const status of ['completed', 'cancelled', 'rejected'] as const) {
      expect(isFinal(status)).toBe(true);
      for (const action of [
        'approve',
        'reject',
        'edit',
        'retryPayment',
        'ship',
        'complete',
        'cancel',
      ] as const) {
        expect(refusalOf({ status, awaiting: null }, action)).toMatch(`it is ${status};`);
      }
    }
    expect(isFinal('shipped')).toBe(false);
  });

  it('moves with a higher version and restarts the wait clock only when the wait changes', () => {
    const next = withChanges(created, '2026-01-02T00:00:00.000Z', {
      status: 'processing',
      awaiting: 'stock',
    });
    expect(next).toMatchObject({
      status: 'processing',
      awaiting: 'stock',
      version: 2,
      awaitingSince: '2026-01-02T00:00:00.000Z',
    });
    const same = withChanges(next, '2026-01-03T00:00:00.000Z', { notes: 'x' });
    expect(same).toMatchObject({
      version: 3,
      awaitingSince: '2026-01-02T00:00:00.000Z',
      updatedAt: '2026-01-03T00:00:00.000Z',
    });
    expect(withChanges(next, 'later', { status: 'completed', awaiting: null }).awaitingSince).toBeNull();
    expect(created.status).toBe('created');
  });

  it('keeps an escalation while the order stays in the same wait and drops it when the wait ends', () => {
    const escalation = { stage: 'approval' as const, since: 't0', level: 1, escalatedAt: 't1' };
    const escalated = withChanges(created, 't1', { escalation });
    expect(withChanges(escalated, 't2', { awaiting: 'manager_approval' }).escalation).toEqual(escalation);
    expect(withChanges(escalated, 't2', { status: 'processing', awaiting: 'stock' }).escalation).toBeNull();
  });
});

describe('the actions offered to a person', () => {
  const person = (...roles: string[]): Actor => ({ id: 'u', username: 'u', roles });

  it('offers staff the approval of a small order but not of one waiting for a manager', () => {
    expect(actionsFor({ status: 'created', awaiting: 'approval' }, person('staff'))).toEqual([
      'approve',
      'reject',
      'edit',
      'cancel',
    ]);
    expect(actionsFor({ status: 'created', awaiting: 'manager_approval' }, person('staff'))).toEqual([
      'edit',
      'cancel',
    ]);
    expect(actionsFor({ status: 'created', awaiting: 'manager_approval' }, person('manager'))).toContain(
      'approve',
    );
  });

  it('offers shipping only while awaiting shipment, completion only once shipped, nothing when final', () => {
    expect(actionsFor({ status: 'processing', awaiting: 'shipment' }, person('staff'))).toEqual([
      'edit',
      'ship',
      'cancel',
    ]);
    expect(actionsFor({ status: 'processing', awaiting: 'payment' }, person('staff'))).toContain(
      'retryPayment',
    );
    expect(actionsFor({ status: 'shipped', awaiting: 'delivery' }, person('staff'))).toEqual(['complete']);
    expect(actionsFor({ status: 'completed', awaiting: null }, person('admin'))).toEqual([]);
  });

  it('offers an auditor nothing', () => {
    expect(actionsFor({ status: 'created', awaiting: 'approval' }, person('auditor'))).toEqual([]);
  });
});
