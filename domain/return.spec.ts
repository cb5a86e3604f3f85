import {
  receiptRefusal,
  receivedValue,
  returnActionsFor,
  returnLines,
  returnRefusal,
  returnableUnits,
  shippedLines,
  type ReceivedLine,
  type ReturnLine,
  type ShippedLine,
} from './return';

const shippedAt = '2026-12-01T10:00:00.000Z';
const tea: ShippedLine = {
  productId: 'p1',
  sku: 'TEA',
  unitPrice: 1000,
  shipped: 5,
  lastShippedAt: shippedAt,
};
const cup: ShippedLine = { productId: 'p2', sku: 'CUP', unitPrice: 500, shipped: 0, lastShippedAt: null };
const none = new Map<string, number>();
const day = (days: number) => new Date(Date.parse(shippedAt) + days * 86_400_000);

describe('which units of an order may come back', () => {
  it('accepts shipped units within the window', () => {
    expect(returnRefusal([tea, cup], none, [{ sku: 'TEA', quantity: 2 }], 30, day(29))).toBeNull();
  });

  it('refuses more units than shipped minus already returned, naming the line (a state: 409)', () => {
    expect(returnRefusal([tea], new Map([['TEA', 4]]), [{ sku: 'TEA', quantity: 2 }], 30, day(1))).toEqual({
      kind: 'state',
      field: 'lines.0.quantity',
      message: 'lines.0.quantity: 2 of TEA asked back, but only 1 of the 5 shipped can still be returned',
    });
  });

  it('refuses units of a line that has not shipped at all', () => {
    expect(returnRefusal([tea, cup], none, [{ sku: 'CUP', quantity: 1 }], 30, day(1))).toMatchObject({
      kind: 'state',
      field: 'lines.0.quantity',
    });
  });

  it('refuses a return after the window closed', () => {
    expect(returnRefusal([tea], none, [{ sku: 'TEA', quantity: 1 }], 30, day(31))?.message).toContain(
      'return window of 30 days',
    );
  });

  it('refuses lines the order does not have, repeated lines and no lines as input (400)', () => {
    expect(returnRefusal([tea], none, [{ sku: 'X', quantity: 1 }], 30, day(1))).toMatchObject({
      kind: 'input',
      field: 'lines.0.sku',
    });
    expect(
      returnRefusal(
        [tea],
        none,
        [
          { sku: 'TEA', quantity: 1 },
          { sku: 'TEA', quantity: 1 },
        ],
        30,
        day(1),
      ),
    ).toMatchObject({ kind: 'input', field: 'lines.1.sku' });
    expect(returnRefusal([tea], none, [], 30, day(1))).toMatchObject({ kind: 'input', field: 'lines' });
  });

  it('counts what each line shipped over every shipment, and when its last unit left', () => {
    const lines = [
      { productId: 'p1', sku: 'TEA', name: 'Tea', quantity: 10, unitPrice: 1000, lineTotal: 10000 },
      { productId: 'p2', sku: 'CUP', name: 'Cup', quantity: 2, unitPrice: 500, lineTotal: 1000 },
    ];
    const by = { id: 'u', username: 'u' };
    const shipment = (id: string, quantity: number, at: string) => ({
      id,
      lines: [{ productId: 'p1', sku: 'TEA', quantity }],
      location: 'MAIN',
      carrier: 'SF',
      trackingNumber: id,
      shippedAt: at,
      by,
    });
    expect(
      shippedLines({
        orderId: 'o',
        lines,
        shipment: null,
        shipments: [
          shipment('a', 6, '2026-12-01T00:00:00.000Z'),
          shipment('b', 2, '2026-12-03T00:00:00.000Z'),
        ],
      }),
    ).toEqual([
      { productId: 'p1', sku: 'TEA', unitPrice: 1000, shipped: 8, lastShippedAt: '2026-12-03T00:00:00.000Z' },
      { productId: 'p2', sku: 'CUP', unitPrice: 500, shipped: 0, lastShippedAt: null },
    ]);
  });

  it('prices the requested lines at what the order charged', () => {
    expect(returnLines([tea, cup], [{ sku: 'TEA', quantity: 2 }])).toEqual([
      { productId: 'p1', sku: 'TEA', quantity: 2, unitPrice: 1000 },
    ]);
  });
});

describe('what the customer may still send back (the tracking page’s form)', () => {
  it('offers shipped units minus those other returns take, by the line’s position, while the window is open', () => {
    expect(returnableUnits([cup, tea], new Map([['TEA', 2]]), 30, day(29))).toEqual([
      { item: 2, sku: 'TEA', left: 3 },
    ]);
  });

  it('offers nothing once every unit is taken back or the window has closed', () => {
    expect(returnableUnits([tea], new Map([['TEA', 5]]), 30, day(1))).toEqual([]);
    expect(returnableUnits([tea], none, 30, day(31))).toEqual([]);
  });
});

describe('receiving a return', () => {
  const lines: ReturnLine[] = [{ productId: 'p1', sku: 'TEA', quantity: 2, unitPrice: 1000 }];

  it('accepts the units in several conditions up to what the return holds', () => {
    expect(
      receiptRefusal(lines, [
        { sku: 'TEA', quantity: 1, condition: 'resellable' },
        { sku: 'TEA', quantity: 1, condition: 'damaged' },
      ]),
    ).toBeNull();
  });

  it('refuses more units than the return holds, unknown SKUs and unknown conditions', () => {
    expect(
      receiptRefusal(lines, [
        { sku: 'TEA', quantity: 2, condition: 'resellable' },
        { sku: 'TEA', quantity: 1, condition: 'damaged' },
      ]),
    ).toMatchObject({ kind: 'input', field: 'lines.1.quantity' });
    expect(receiptRefusal(lines, [{ sku: 'CUP', quantity: 1, condition: 'damaged' }])).toMatchObject({
      field: 'lines.0.sku',
    });
    expect(receiptRefusal(lines, [{ sku: 'TEA', quantity: 1, condition: 'lost' }])).toMatchObject({
      field: 'lines.0.condition',
    });
  });

  it('values the received units at the order prices, damaged ones included: the default refund', () => {
    const received: ReceivedLine[] = [
      { productId: 'p1', sku: 'TEA', quantity: 1, condition: 'resellable' },
      { productId: 'p1', sku: 'TEA', quantity: 1, condition: 'damaged' },
    ];
    expect(receivedValue(lines, received)).toBe(2000);
  });
});

describe("a return's actions", () => {
  const staff = { roles: ['staff'] };
  it('follows requested → approved → received → refunded → closed, with reject until received', () => {
    expect(returnActionsFor('requested', staff)).toEqual(['approve', 'reject']);
    expect(returnActionsFor('approved', staff)).toEqual(['reject', 'receive']);
    expect(returnActionsFor('received', staff)).toEqual(['refund']);
    expect(returnActionsFor('refunded', staff)).toEqual(['close']);
    expect(returnActionsFor('closed', staff)).toEqual([]);
    expect(returnActionsFor('rejected', staff)).toEqual([]);
  });

  it('offers auditors nothing to do', () => {
    expect(returnActionsFor('requested', { roles: ['auditor'] })).toEqual([]);
  });
});
