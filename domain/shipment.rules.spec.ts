import type { OrderInput, OrderShipment, OrderSnapshot } from './order';
import { actionsFor, initialSnapshot, refusalOf } from './order.state';
import {
  editRefusal,
  keepShippedPrices,
  placeReady,
  planParcels,
  unshippedLines,
  isPartlyShipped,
  linesToShip,
  readyLines,
  remainingLines,
  reservedQuantities,
  shipmentRefusal,
  shipmentsOf,
  shippedQuantities,
  shippedValue,
  shipsTheRest,
  withFoundShipments,
} from './shipment.rules';

const line = (sku: string, quantity: number) => ({
  productId: `p-${sku}`,
  sku,
  name: sku,
  quantity,
  unitPrice: 100,
  lineTotal: 100 * quantity,
});

const input: OrderInput = {
  orderId: 'o1',
  number: 'SO-2026-000001',
  customerId: 'c1',
  currency: 'CNY',
  lines: [line('TEA', 10), line('CUP', 2)],
  total: 1200,
  notes: null,
  createdBy: { id: 'u1', username: 'clerk', roles: ['staff'] },
  approvalRule: { version: 1, autoApproveBelow: 0, staffApprovalLimit: 100000, currency: 'CNY' },
  requestHash: null,
};

const readyToShip: OrderSnapshot = {
  ...initialSnapshot(input, '2026-12-01T00:00:00.000Z'),
  status: 'processing',
  awaiting: 'shipment',
  reserved: true,
};

const shipment = (id: string, lines: [string, number][]): OrderShipment => ({
  id,
  lines: lines.map(([sku, quantity]) => ({ productId: `p-${sku}`, sku, quantity })),
  location: 'MAIN',
  carrier: 'SF',
  trackingNumber: `SF-${id}`,
  shippedAt: '2026-12-02T00:00:00.000Z',
  by: { id: 'u1', username: 'clerk' },
});

const after = (...shipments: OrderShipment[]): OrderSnapshot => ({ ...readyToShip, shipments });

describe('what is left to ship', () => {
  it('is every line in full before the first shipment', () => {
    expect(remainingLines(readyToShip)).toEqual([
      { productId: 'p-TEA', sku: 'TEA', quantity: 10 },
      { productId: 'p-CUP', sku: 'CUP', quantity: 2 },
    ]);
    expect(shipmentsOf(readyToShip)).toEqual([]);
  });

  it('subtracts what each shipment took, line by line, and drops lines shipped in full', () => {
    const order = after(shipment('a', [['TEA', 8]]), shipment('b', [['CUP', 2]]));
    expect(shippedQuantities(order)).toEqual(
      new Map([
        ['TEA', 8],
        ['CUP', 2],
      ]),
    );
    expect(remainingLines(order)).toEqual([{ productId: 'p-TEA', sku: 'TEA', quantity: 2 }]);
    expect(isPartlyShipped(order)).toBe(true);
  });

  it('counts an order shipped before shipments were recorded as one shipment of everything', () => {
    const shippedOnce: OrderSnapshot = {
      ...readyToShip,
      status: 'shipped',
      shipment: { carrier: 'EMS', trackingNumber: 'E1', shippedAt: '2026-11-01T00:00:00.000Z' },
    };
    expect(shipmentsOf(shippedOnce)).toEqual([
      expect.objectContaining({ id: 'o1', carrier: 'EMS', trackingNumber: 'E1', location: 'MAIN' }),
    ]);
    expect(remainingLines(shippedOnce)).toEqual([]);
    expect(isPartlyShipped(shippedOnce)).toBe(false);
  });
});

describe('a requested shipment', () => {
  it('fits when each line asks for at most what is left of it', () => {
    expect(shipmentRefusal(readyToShip, [{ sku: 'TEA', quantity: 8 }])).toBeNull();
    expect(
      shipmentRefusal(after(shipment('a', [['TEA', 8]])), [
        { sku: 'TEA', quantity: 2 },
        { sku: 'CUP', quantity: 2 },
      ]),
    ).toBeNull();
  });

  it('is refused as input for a line the order does not have, naming the field', () => {
    expect(
      shipmentRefusal(readyToShip, [
        { sku: 'CUP', quantity: 1 },
        { sku: 'MUG', quantity: 1 },
      ]),
    ).toEqual({
      kind: 'input',
      field: 'lines.1.sku',
      message: 'lines.1.sku "MUG" is not a line of this order',
    });
  });

  it('is refused as input for a repeated line, a zero, negative or fractional quantity, or no lines', () => {
    expect(
      shipmentRefusal(readyToShip, [
        { sku: 'TEA', quantity: 1 },
        { sku: 'TEA', quantity: 1 },
      ]),
    ).toMatchObject({ kind: 'input', field: 'lines.1.sku' });
    for (const quantity of [0, -1, 1.5]) {
      expect(shipmentRefusal(readyToShip, [{ sku: 'TEA', quantity }])).toMatchObject({
        kind: 'input',
        field: 'lines.0.quantity',
      });
    }
    expect(shipmentRefusal(readyToShip, [])).toMatchObject({ kind: 'input', field: 'lines' });
  });

  it('is refused as a matter of state when it asks for more than is left (over-shipping)', () => {
    expect(shipmentRefusal(readyToShip, [{ sku: 'TEA', quantity: 11 }])).toEqual({
      kind: 'state',
      field: 'lines.0.quantity',
      message: 'lines.0.quantity 11 of TEA is more than is left to ship (10)',
    });
    expect(shipmentRefusal(after(shipment('a', [['CUP', 2]])), [{ sku: 'CUP', quantity: 1 }])).toMatchObject({
      kind: 'state',
      message: expect.stringContaining('left to ship (0)'),
    });
  });

  it('takes its products from the order, in the order of its lines', () => {
    expect(
      linesToShip(readyToShip, [
        { sku: 'CUP', quantity: 1 },
        { sku: 'TEA', quantity: 3 },
      ]),
    ).toEqual([
      { productId: 'p-TEA', sku: 'TEA', quantity: 3 },
      { productId: 'p-CUP', sku: 'CUP', quantity: 1 },
    ]);
  });

  it('ships the rest only when nothing is left after it', () => {
    const first = shipment('a', [['TEA', 8]]);
    expect(shipsTheRest(readyToShip, first)).toBe(false);
    expect(
      shipsTheRest(
        after(first),
        shipment('b', [
          ['TEA', 2],
          ['CUP', 2],
        ]),
      ),
    ).toBe(true);
  });
});

describe('a partly shipped order', () => {
  const partly = after(shipment('a', [['TEA', 8]]));
  const staff = { id: 'u1', username: 'clerk', roles: ['staff'] };

  it('may still be shipped, cancelled or edited (what has not shipped)', () => {
    expect(refusalOf(partly, 'ship')).toBeNull();
    expect(refusalOf(partly, 'edit')).toBeNull();
    expect(refusalOf(partly, 'cancel')).toBeNull();
    expect(actionsFor(partly, staff)).toEqual(['edit', 'ship', 'cancel']);
  });

  it('keeps its shipped units through an edit, and something to ship', () => {
    expect(
      editRefusal(partly, [
        { sku: 'TEA', quantity: 8 },
        { sku: 'CUP', quantity: 1 },
      ]),
    ).toBeNull();
    expect(editRefusal(partly, [{ sku: 'TEA', quantity: 9 }])).toBeNull();
    expect(
      editRefusal(partly, [
        { sku: 'CUP', quantity: 1 },
        { sku: 'TEA', quantity: 7 },
      ]),
    ).toMatchObject({
      kind: 'state',
      field: 'lines.1.quantity',
    });
    expect(editRefusal(partly, [{ sku: 'CUP', quantity: 2 }])).toMatchObject({ field: 'lines' });
    expect(editRefusal(partly, [{ sku: 'TEA', quantity: 8 }])?.message).toContain('leaves nothing to ship');
    expect(editRefusal(readyToShip, [{ sku: 'CUP', quantity: 1 }])).toBeNull();
  });

  it('reserves only what is left of edited lines, at the price the shipped units were sold at', () => {
    const edited = [
      { productId: 'p-tea', sku: 'TEA', name: 'Tea', quantity: 10, unitPrice: 1500, lineTotal: 15000 },
      { productId: 'p-cup', sku: 'CUP', name: 'Cup', quantity: 1, unitPrice: 700, lineTotal: 700 },
    ];
    expect(unshippedLines(partly, edited).map(({ sku, quantity }) => [sku, quantity])).toEqual([
      ['TEA', 2],
      ['CUP', 1],
    ]);
    const teaPrice = partly.lines.find((line) => line.sku === 'TEA')!.unitPrice;
    const kept = keepShippedPrices(partly, edited);
    expect(kept.lines.map(({ sku, unitPrice, lineTotal }) => [sku, unitPrice, lineTotal])).toEqual([
      ['TEA', teaPrice, teaPrice * 10],
      ['CUP', 700, 700],
    ]);
    expect(kept.total).toBe(teaPrice * 10 + 700);
  });
});

describe('the value of what shipped', () => {
  it('is nothing before the first shipment, and the shipped units at their prices after each', () => {
    expect(shippedValue(readyToShip)).toBe(0);
    expect(shippedValue(after(shipment('a', [['TEA', 8]])))).toBe(800);
    expect(shippedValue(after(shipment('a', [['TEA', 8]]), shipment('b', [['CUP', 1]])))).toBe(900);
  });

  it('is the whole total once everything has shipped', () => {
    expect(
      shippedValue(
        after(
          shipment('a', [
            ['TEA', 10],
            ['CUP', 2],
          ]),
        ),
      ),
    ).toBe(input.total);
  });
});

describe('an order that allows partial fulfilment', () => {
  // 8 of 10 tea and both cups reserved; then 6 tea shipped.
  const partial: OrderSnapshot = {
    ...readyToShip,
    allowPartial: true,
    reserved: false,
    allocated: [
      { sku: 'TEA', quantity: 8 },
      { sku: 'CUP', quantity: 2 },
    ],
  };
  const partlyShipped: OrderSnapshot = { ...partial, shipments: [shipment('a', [['TEA', 6]])] };

  it('is ready to ship only what it has reserved and not shipped', () => {
    expect(reservedQuantities(partial)).toEqual(
      new Map([
        ['TEA', 8],
        ['CUP', 2],
      ]),
    );
    expect(readyLines(partlyShipped)).toEqual([
      { productId: 'p-TEA', sku: 'TEA', quantity: 2 },
      { productId: 'p-CUP', sku: 'CUP', quantity: 2 },
    ]);
    expect(remainingLines(partlyShipped)).toEqual([
      { productId: 'p-TEA', sku: 'TEA', quantity: 4 },
      { productId: 'p-CUP', sku: 'CUP', quantity: 2 },
    ]);
  });

  it('refuses a shipment of units not reserved (a state: 409), and takes what is reserved', () => {
    expect(shipmentRefusal(partlyShipped, [{ sku: 'TEA', quantity: 3 }])).toEqual({
      kind: 'state',
      field: 'lines.0.quantity',
      message:
        'lines.0.quantity 3 of TEA is more than is reserved and ready to ship (2); the rest waits for stock',
    });
    expect(shipmentRefusal(partlyShipped, [{ sku: 'TEA', quantity: 5 }])?.message).toContain(
      'more than is left to ship (4)',
    );
    expect(shipmentRefusal(partlyShipped, [{ sku: 'TEA', quantity: 2 }])).toBeNull();
  });

  it('has nothing ready before its first reservation', () => {
    const { allocated: _allocated, ...none } = partial;
    expect(readyLines(none)).toEqual([]);
  });

  it('counts, for any other order, every unit not shipped as reserved once it is reserved, else none', () => {
    expect(reservedQuantities(after(shipment('a', [['TEA', 8]])))).toEqual(
      new Map([
        ['TEA', 2],
        ['CUP', 2],
      ]),
    );
    expect(reservedQuantities({ ...readyToShip, reserved: false }).get('TEA')).toBe(0);
  });
});

describe('the parcels of everything ready', () => {
  const tea = { productId: 'p-tea', sku: 'TEA', quantity: 10 };
  const cup = { productId: 'p-cup', sku: 'CUP', quantity: 2 };
  const place = (location: string, held: Record<string, number>) => ({
    location,
    onHand: new Map(Object.entries(held)),
  });

  it('sends it all from the first location, in order of preference, that holds it all', () => {
    const holdings = [place('MAIN', { 'p-tea': 10, 'p-cup': 1 }), place('EAST', { 'p-tea': 10, 'p-cup': 5 })];
    expect(planParcels([tea, cup], holdings)).toEqual([{ location: 'EAST', lines: [tea, cup] }]);
    expect(planParcels([tea], holdings)).toEqual([{ location: 'MAIN', lines: [tea] }]);
  });

  it('splits line by line over the locations in order when none holds it all', () => {
    const holdings = [
      place('MAIN', { 'p-tea': 8 }),
      place('EAST', { 'p-cup': 2 }),
      place('WEST', { 'p-tea': 5 }),
    ];
    expect(planParcels([tea, cup], holdings)).toEqual([
      { location: 'MAIN', lines: [{ ...tea, quantity: 8 }] },
      { location: 'EAST', lines: [cup] },
      { location: 'WEST', lines: [{ ...tea, quantity: 2 }] },
    ]);
  });

  it('answers null when the locations together do not hold it', () => {
    expect(planParcels([tea], [place('MAIN', { 'p-tea': 6 }), place('EAST', { 'p-tea': 3 })])).toBeNull();
  });

  it('places ready units as the parcels would leave, and names what no location holds any more', () => {
    const holdings = [place('MAIN', { 'p-tea': 6 }), place('EAST', { 'p-tea': 3, 'p-cup': 2 })];
    expect(placeReady([cup], holdings)).toEqual({ parcels: [{ location: 'EAST', lines: [cup] }], short: [] });
    expect(placeReady([tea, cup], holdings)).toEqual({
      parcels: [
        { location: 'MAIN', lines: [{ ...tea, quantity: 6 }] },
        { location: 'EAST', lines: [{ ...tea, quantity: 3 }, cup] },
      ],
      short: [{ ...tea, quantity: 1 }],
    });
  });
});

describe('shipments found that a lost run wrote', () => {
  const at = (shipped: OrderShipment, shippedAt: string): OrderShipment => ({ ...shipped, shippedAt });

  it('join those the order knew in the order they left, once each', () => {
    const known = at(shipment('a', [['TEA', 2]]), '2026-12-02T12:00:00.000Z');
    const later = at(shipment('c', [['TEA', 1]]), '2026-12-03T00:00:00.000Z');
    const earlier = shipment('b', [['CUP', 1]]);
    expect(withFoundShipments(after(known), [later, known, earlier])).toEqual({
      shipments: [earlier, known, later],
    });
  });

  it('that left before the one the order knew leave it as the last parcel of a shipped order', () => {
    // A lost `shipPart` (found), then staff shipped the rest (known): the order shows the rest's parcel.
    const rest = at(
      shipment('b', [
        ['TEA', 6],
        ['CUP', 2],
      ]),
      '2026-12-03T00:00:00.000Z',
    );
    const lost = shipment('a', [['TEA', 4]]);
    expect(withFoundShipments(after(rest), [lost])).toMatchObject({
      shipments: [lost, rest],
      status: 'shipped',
      shipment: { trackingNumber: 'SF-b', shippedAt: '2026-12-03T00:00:00.000Z' },
    });
  });

  it('ship a processing order entirely: it has shipped, with the last parcel as its shipment', () => {
    const first = shipment('a', [['TEA', 10]]);
    const last = at(shipment('b', [['CUP', 2]]), '2026-12-03T00:00:00.000Z');
    expect(withFoundShipments(after(first), [last])).toEqual({
      shipments: [first, last],
      status: 'shipped',
      awaiting: 'delivery',
      reserved: false,
      shipment: { carrier: 'SF', trackingNumber: 'SF-b', shippedAt: '2026-12-03T00:00:00.000Z' },
    });
  });

  it('leave the status of an order being cancelled as it is, even when everything left', () => {
    const all = shipment('a', [
      ['TEA', 10],
      ['CUP', 2],
    ]);
    expect(withFoundShipments({ ...readyToShip, status: 'cancelled' }, [all])).toEqual({ shipments: [all] });
  });
});
