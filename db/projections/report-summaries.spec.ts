import type { OrderShipment } from '../../domain/order';
import { hasShipped, outcomeOf, salesOutcomeOf, shippingTimesOf } from './report-summaries';

const parcel = (shippedAt: string): OrderShipment => ({
  id: shippedAt,
  lines: [{ productId: 'p', sku: 'TEA', quantity: 1 }],
  location: 'MAIN',
  carrier: 'SF',
  trackingNumber: 'SF1',
  shippedAt,
  by: { id: 'u', username: 'staff' },
});

describe('sales outcome', () => {
  it('counts a cancelled order part of which shipped apart from the cancelled ones', () => {
    expect(salesOutcomeOf('cancelled', true)).toBe('partly_shipped');
    expect(salesOutcomeOf('cancelled', false)).toBe('cancelled');
    expect(salesOutcomeOf('rejected', false)).toBe('rejected');
    for (const status of ['created', 'processing', 'shipped', 'completed'] as const) {
      expect(salesOutcomeOf(status, true)).toBe('active');
      expect(salesOutcomeOf(status, false)).toBe('active');
    }
    // The rankings and the lines' `active` flag keep the status alone.
    expect(outcomeOf('cancelled')).toBe('cancelled');
  });

  it('knows whether anything shipped from the shipments, or the one shipment of older snapshots', () => {
    expect(hasShipped({ shipment: null, shipments: [] })).toBe(false);
    expect(hasShipped({ shipment: null })).toBe(false);
    expect(hasShipped({ shipment: null, shipments: [parcel('2030-01-01T10:00:00.000Z')] })).toBe(true);
    expect(
      hasShipped({ shipment: { carrier: 'SF', trackingNumber: '1', shippedAt: '2030-01-01T10:00:00Z' } }),
    ).toBe(true);
  });
});

describe('shipping times', () => {
  it('is nothing while nothing has shipped', () => {
    expect(shippingTimesOf({ shipment: null, shipments: [] })).toBeNull();
    expect(shippingTimesOf({ shipment: null })).toBeNull();
  });

  it('takes the first parcel, and the last once the last unit has left', () => {
    const first = parcel('2030-01-01T10:00:00.000Z');
    const second = parcel('2030-01-03T12:30:00.000Z');
    expect(shippingTimesOf({ shipment: null, shipments: [first] })).toEqual({
      firstShippedAt: first.shippedAt,
      lastShippedAt: null,
      shipments: 1,
    });
    expect(
      shippingTimesOf({
        shipment: { carrier: 'SF', trackingNumber: 'SF2', shippedAt: second.shippedAt },
        shipments: [first, second],
      }),
    ).toEqual({ firstShippedAt: first.shippedAt, lastShippedAt: second.shippedAt, shipments: 2 });
  });

  it('reads an order shipped before partial shipments as one shipment', () => {
    expect(
      shippingTimesOf({
        shipment: { carrier: 'SF', trackingNumber: '1', shippedAt: '2030-01-02T08:00:00Z' },
      }),
    ).toEqual({
      firstShippedAt: '2030-01-02T08:00:00.000Z',
      lastShippedAt: '2030-01-02T08:00:00.000Z',
      shipments: 1,
    });
  });
});
