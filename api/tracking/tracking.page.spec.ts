import type { OrderInput, OrderShipment, OrderSnapshot } from '../../domain/order';
import { initialSnapshot } from '../../domain/order.state';
import { renderTrackingPage, trackingView } from './tracking.page';

const line = (sku: string, name: string, quantity: number) => ({
  productId: `p-${sku}`,
  sku,
  name,
  quantity,
  unitPrice: 100,
  lineTotal: 100 * quantity,
});

const input: OrderInput = {
  orderId: 'o1',
  number: 'SO-2026-000001',
  customerId: 'c1',
  currency: 'CNY',
  lines: [line('TEA-SECRET', 'Secret tea', 10), line('CUP-SECRET', 'Secret cup', 2)],
  total: 1200,
  notes: null,
  createdBy: { id: 'u1', username: 'clerk', roles: ['staff'] },
  approvalRule: { version: 1, autoApproveBelow: 0, staffApprovalLimit: 100000, currency: 'CNY' },
  requestHash: null,
};

const shipment = (id: string, lines: [string, number][], at: string): OrderShipment => ({
  id,
  lines: lines.map(([sku, quantity]) => ({ productId: `p-${sku}`, sku, quantity })),
  location: 'MAIN',
  carrier: 'SF Express',
  trackingNumber: `SF-${id}`,
  shippedAt: at,
  by: { id: 'u1', username: 'clerk' },
});

const partly: OrderSnapshot = {
  ...initialSnapshot(input, '2026-12-01T00:00:00.000Z'),
  status: 'processing',
  awaiting: 'shipment',
  shipments: [
    shipment('a', [['TEA-SECRET', 8]], '2026-12-02T01:00:00.000Z'),
    shipment(
      'b',
      [
        ['TEA-SECRET', 2],
        ['CUP-SECRET', 1],
      ],
      '2026-12-03T01:00:00.000Z',
    ),
  ],
};

describe("the tracking page's shipments", () => {
  it('lists each shipment oldest first with its units by the position of the order line', () => {
    expect(trackingView(partly).shipments).toEqual([
      {
        carrier: 'SF Express',
        trackingNumber: 'SF-a',
        shippedAt: '2026-12-02T01:00:00.000Z',
        lines: [{ item: 1, quantity: 8 }],
      },
      {
        carrier: 'SF Express',
        trackingNumber: 'SF-b',
        shippedAt: '2026-12-03T01:00:00.000Z',
        lines: [
          { item: 1, quantity: 2 },
          { item: 2, quantity: 1 },
        ],
      },
    ]);
  });

  it('shows them in both languages without product names or SKUs', () => {
    for (const language of ['zh-CN', 'en'] as const) {
      const html = renderTrackingPage(trackingView(partly), language, 'Asia/Shanghai');
      expect(html).toContain(language === 'en' ? 'Parcels' : '包裹');
      expect(html.match(/class="shipment"/g)).toHaveLength(2);
      expect(html).toContain('SF-b');
      for (const secret of ['TEA-SECRET', 'CUP-SECRET', 'Secret tea', 'Secret cup'])
        expect(html).not.toContain(secret);
    }
  });

  it('shows none before anything has shipped', () => {
    const placed = { ...partly, shipments: [] };
    expect(trackingView(placed).shipments).toEqual([]);
    expect(renderTrackingPage(trackingView(placed), 'en', 'UTC')).not.toContain('class="shipment"');
  });
});
