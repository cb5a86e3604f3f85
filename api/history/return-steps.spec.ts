import type { ReturnEvent } from '../../domain/return';
import type { HistoryStep } from './order-history.decoder';
import { withReturnSteps } from './return-steps';

const step = (at: string, kind: string, status: HistoryStep['status']): HistoryStep => ({
  at,
  kind,
  actor: null,
  status,
  details: {},
});
const event = (at: string, kind: ReturnEvent['kind'], version: number): ReturnEvent => ({
  returnId: 'r1',
  orderId: 'o1',
  version,
  kind,
  actor: { id: 'u1', username: 'desk' },
  at,
  details: { returnId: 'r1' },
});

describe("the order's history with its returns", () => {
  it('weaves each return change in by time, with the order status as it was then', () => {
    const steps = [
      step('2026-12-01T10:00:00.000Z', 'stock.shipped', 'shipped'),
      step('2026-12-03T10:00:00.000Z', 'status', 'completed'),
    ];
    const merged = withReturnSteps(steps, [
      event('2026-12-02T10:00:00.000Z', 'return.requested', 1),
      event('2026-12-04T10:00:00.000Z', 'return.approved', 2),
    ]);
    expect(merged.map((s) => [s.kind, s.status, s.actor?.username ?? null])).toEqual([
      ['stock.shipped', 'shipped', null],
      ['return.requested', 'shipped', 'desk'],
      ['status', 'completed', null],
      ['return.approved', 'completed', 'desk'],
    ]);
  });

  it('leaves an order without returns as it was', () => {
    const steps = [step('2026-12-01T10:00:00.000Z', 'order.created', 'created')];
    expect(withReturnSteps(steps, [])).toBe(steps);
  });
});
