import type { OrderInput, OrderShipment, OrderSnapshot } from '../../domain/order';
import type { ReturnSnapshot } from '../../domain/return';
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

describe("the tracking page's returns", () => {
  const order: OrderSnapshot = { ...partly, status: 'shipped' };
  const ret = (number: string, createdAt: string, changes: Partial<ReturnSnapshot>): ReturnSnapshot => ({
    returnId: `r-${number}`,
    number,
    orderId: order.orderId,
    currency: 'CNY',
    status: 'requested',
    resolution: 'refund',
    reason: 'secret reason',
    lines: [{ productId: 'p-TEA-SECRET', sku: 'TEA-SECRET', quantity: 2, unitPrice: 100 }],
    received: [],
    refundedAmount: null,
    rejection: null,
    createdBy: { id: 'c1', username: 'customer' },
    createdAt,
    updatedAt: createdAt,
    version: 1,
    ...changes,
  });
  const returns = [
    ret('RT-2026-000002', '2026-12-04T00:00:00.000Z', {
      status: 'exchanged',
      resolution: 'exchange',
      replacement: { orderId: 'o2', number: 'SO-2026-000009' },
    }),
    ret('RT-2026-000001', '2026-12-03T00:00:00.000Z', { status: 'refunded', refundedAmount: 20000 }),
  ];

  it('lists them oldest first with their progress, the refund and the replacement, in both languages', () => {
    const view = trackingView(order, returns);
    expect(view.returns.map(({ number, status }) => [number, status])).toEqual([
      ['RT-2026-000001', 'refunded'],
      ['RT-2026-000002', 'exchanged'],
    ]);
    const en = renderTrackingPage(view, 'en', 'UTC');
    expect(en).toContain('data-return-number="RT-2026-000001" data-return-status="refunded"');
    expect(en).toMatch(/Refunded<\/dt><dd>CN¥200\.00/);
    expect(en).toContain('Exchanged: the replacement ships separately');
    expect(en).toContain('SO-2026-000009');
    const zh = renderTrackingPage(view, 'zh-CN', 'UTC');
    expect(zh).toContain('已换货，换货商品另行发出');
    for (const secret of ['TEA-SECRET', 'secret reason']) expect(en).not.toContain(secret);
  });

  it('shows no returns section without returns', () => {
    expect(renderTrackingPage(trackingView(order), 'en', 'UTC')).not.toContain('class="return"');
  });
});
