import { eventually, seedCatalogue } from './support/fixtures';
import type { ApiClient } from './support/http';
import { stockOf, type OrderBody } from './support/orders';
import { startStack, type TestStack } from './support/stack';

/**
 * Partial orders (issue 24, `allowPartial`): an order that reserves what is available now, line by line,
 * ships it, and waits for the rest; the rest is reserved when stock comes, first come first served. Against
 * the real API, workflow and PostgreSQL.
 */
type Line = { sku: string; quantity: number; shippedQuantity: number; reservedQuantity: number };
type Order = OrderBody & {
  allowPartial: boolean;
  lines: Line[];
  shipments: { id: string; lines: { sku: string; quantity: number }[] }[];
  stockShortages: { sku: string; requested: number; available: number }[];
  actions: string[];
};
type Refusal = { statusCode: number; message: string; field?: string; status?: string; awaiting?: string };

describe('orders that allow partial fulfilment', () => {
  let stack: TestStack;
  let api: ApiClient;

  beforeAll(async () => {
    stack = await startStack();
    api = await stack.client(['staff'], 'packer');
  });
  afterAll(() => stack.close());

  const sql = <T>(query: string, params: unknown[] = []) =>
    stack.orm.em.fork().getConnection().execute<T & object>(query, params) as Promise<T>;

  /** Units per line as [sku, quantity, shipped, reserved]. */
  const units = (order: Order) =>
    order.lines.map((line) => [line.sku, line.quantity, line.shippedQuantity, line.reservedQuantity]);

  const get = async (id: string) => (await api.get<Order>(`/api/orders/${id}`)).body;

  /** Places the order and approves it when it needs approval; answers the order after that. */
  async function placeApproved(
    customerId: string,
    lines: { sku: string; quantity: number }[],
    allowPartial?: boolean,
  ): Promise<Order> {
    const placed = await api.post<Order>('/api/orders', {
      customerId,
      lines,
      ...(allowPartial === undefined ? {} : { allowPartial }),
    });
    expect(placed.status).toBe(201);
    expect(placed.body.allowPartial).toBe(allowPartial ?? false);
    if (!['approval', 'manager_approval'].includes(placed.body.awaiting ?? '')) return placed.body;
    const approved = await api.post<Order>(`/api/orders/${placed.body.id}/approve`, {});
    expect(approved.status).toBe(200);
    return approved.body;
  }

  async function restock(sku: string, delta: number): Promise<void> {
    const product = await stockOf(api, sku);
    const moved = await api.post(`/api/products/${product.id}/stock`, { delta, reason: 'delivery' });
    expect(moved.status).toBe(200);
  }

  const awaiting = (id: string, wanted: string) =>
    eventually(
      () => get(id),
      (order) => order.awaiting === wanted,
    );

  it('refuses an allowPartial that is not a boolean (400 naming it)', async () => {
    const { customerId, skus } = await seedCatalogue(api, [{ unitPrice: 1000, stockOnHand: 5 }]);
    for (const allowPartial of ['yes', 1, 'true']) {
      const refused = await api.post<Refusal>('/api/orders', {
        customerId,
        lines: [{ sku: skus[0]!, quantity: 1 }],
        allowPartial,
      });
      expect(refused.status).toBe(400);
      expect(refused.body.message).toContain('allowPartial');
    }
  });

  it('ships the 8 in stock of 10, waits for the rest, reserves it on a restock and ships it', async () => {
    const { customerId, skus } = await seedCatalogue(api, [{ unitPrice: 1000, stockOnHand: 8 }]);
    const tea = skus[0]!;
    const order = await placeApproved(customerId, [{ sku: tea, quantity: 10 }], true);

    // 8 reserved, 2 waiting; the whole order is paid, as for any order.
    expect(order).toMatchObject({
      status: 'processing',
      awaiting: 'shipment',
      allowPartial: true,
      payment: { status: 'captured', amount: 10000 },
      stockShortages: [{ sku: tea, requested: 2, available: 0 }],
    });
    expect(units(order)).toEqual([[tea, 10, 0, 8]]);
    expect(await stockOf(api, tea)).toMatchObject({ stockOnHand: 8, reserved: 8, available: 0 });

    // Units not reserved do not ship.
    const over = await api.post<Refusal>(`/api/orders/${order.id}/shipments`, {
      lines: [{ sku: tea, quantity: 9 }],
      carrier: 'SF',
      trackingNumber: 'SF-OVER',
    });
    expect(over.status).toBe(409);
    expect(over.body.status).toBe('processing');
    expect(over.body.message).toMatch(
      /lines\.0\.quantity 9 of .* is more than is reserved and ready to ship \(8\)/,
    );

    // `ship` ships everything reserved: the first shipment. Nothing ready is left: the order awaits stock.
    const first = await api.post<Order>(`/api/orders/${order.id}/ship`, {
      carrier: 'SF',
      trackingNumber: 'SF-P1',
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: 'processing', awaiting: 'stock', shipment: null });
    expect(first.body.shipments.map((s) => s.lines)).toEqual([[{ sku: tea, quantity: 8 }]]);
    expect(units(first.body)).toEqual([[tea, 10, 8, 0]]);
    expect(first.body.actions).not.toContain('ship');
    expect(await stockOf(api, tea)).toMatchObject({ stockOnHand: 0, reserved: 0, available: 0 });
    const again = await api.post<Refusal>(`/api/orders/${order.id}/ship`, {
      carrier: 'SF',
      trackingNumber: 'SF-NONE',
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ status: 'processing', awaiting: 'stock' });

    // The restock of 2 reaches the waiting order; it reserves them and awaits shipment again.
    await restock(tea, 2);
    const ready = await awaiting(order.id, 'shipment');
    expect(ready).toMatchObject({ status: 'processing', awaiting: 'shipment', stockShortages: [] });
    expect(units(ready)).toEqual([[tea, 10, 8, 2]]);
    expect(await stockOf(api, tea)).toMatchObject({ stockOnHand: 2, reserved: 2, available: 0 });

    // The last 2 leave: shipped, and then it completes; paid once, in full.
    const last = await api.post<Order>(`/api/orders/${order.id}/shipments`, {
      lines: [{ sku: tea, quantity: 2 }],
      carrier: 'EMS',
      trackingNumber: 'E-P2',
    });
    expect(last.status).toBe(201);
    const shipped = await get(order.id);
    expect(shipped).toMatchObject({
      status: 'shipped',
      awaiting: 'delivery',
      shipment: { carrier: 'EMS', trackingNumber: 'E-P2' },
      payment: { status: 'captured', amount: 10000 },
    });
    expect(units(shipped)).toEqual([[tea, 10, 10, 0]]);
    const completed = await api.post<Order>(`/api/orders/${order.id}/complete`, {});
    expect(completed.status).toBe(200);
    expect(completed.body.status).toBe('completed');
    const charges = await sql<{ amount: string }[]>(
      `select amount from payments where order_id = ? and kind = 'capture' and status = 'succeeded'`,
      [order.id],
    );
    expect(charges).toEqual([{ amount: '10000' }]);
    expect(await stockOf(api, tea)).toMatchObject({ stockOnHand: 0, reserved: 0 });
  });

  it('awaits stock while nothing is reserved, then ships what comes in', async () => {
    const { customerId, skus } = await seedCatalogue(api, [{ unitPrice: 1000, stockOnHand: 0 }]);
    const tea = skus[0]!;
    const order = await placeApproved(customerId, [{ sku: tea, quantity: 3 }], true);
    // Nothing to ship yet: no payment taken, awaiting stock.
    expect(order).toMatchObject({ status: 'processing', awaiting: 'stock', payment: null });
    expect(units(order)).toEqual([[tea, 3, 0, 0]]);
    await restock(tea, 1);
    const ready = await awaiting(order.id, 'shipment');
    expect(units(ready)).toEqual([[tea, 3, 0, 1]]);
    expect(ready.payment).toMatchObject({ status: 'captured', amount: 3000 });
  });

  it('reserves line by line, and a cancel after the first of two shipments releases and refunds only the rest', async () => {
    // 10 tea at 10.00 (8 in stock) and 2 cups at 5.00: 110.00 paid.
    const { customerId, skus } = await seedCatalogue(api, [
      { unitPrice: 1000, stockOnHand: 8 },
      { unitPrice: 500, stockOnHand: 100 },
    ]);
    const [tea, cup] = [skus[0]!, skus[1]!];
    const order = await placeApproved(
      customerId,
      [
        { sku: tea, quantity: 10 },
        { sku: cup, quantity: 2 },
      ],
      true,
    );
    expect(order).toMatchObject({ awaiting: 'shipment', payment: { status: 'captured', amount: 11000 } });
    expect(units(order)).toEqual([
      [tea, 10, 0, 8],
      [cup, 2, 0, 2],
    ]);

    const first = await api.post(`/api/orders/${order.id}/shipments`, {
      lines: [{ sku: tea, quantity: 8 }],
      carrier: 'SF',
      trackingNumber: 'SF-C1',
    });
    expect(first.status).toBe(201);
    // The cups are still ready to ship.
    expect(await get(order.id)).toMatchObject({ status: 'processing', awaiting: 'shipment' });

    const cancelled = await api.post<Order>(`/api/orders/${order.id}/cancel`, { reason: 'rest not wanted' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({
      status: 'cancelled',
      awaiting: null,
      payment: { status: 'refunded', amount: 8000 },
    });
    expect(units(cancelled.body)).toEqual([
      [tea, 10, 8, 0],
      [cup, 2, 0, 0],
    ]);
    const refunds = await sql<{ amount: string }[]>(
      `select amount from payments where order_id = ? and kind = 'refund' order by id`,
      [order.id],
    );
    expect(refunds).toEqual([{ amount: '3000' }]);
    expect(await stockOf(api, cup)).toMatchObject({ stockOnHand: 100, reserved: 0, available: 100 });
    expect(await stockOf(api, tea)).toMatchObject({ stockOnHand: 0, reserved: 0 });
    // It left the queue for the 2 tea it waited for.
    expect(await sql(`select 1 from stock_waits where order_id = ?`, [order.id])).toEqual([]);
  });

  it('serves the queue first come first served, and never reserves more than there is', async () => {
    const { customerId, skus } = await seedCatalogue(api, [{ unitPrice: 100, stockOnHand: 6 }]);
    const tea = skus[0]!;
    const first = await placeApproved(customerId, [{ sku: tea, quantity: 5 }], true);
    const second = await placeApproved(customerId, [{ sku: tea, quantity: 5 }], true);
    const whole = await placeApproved(customerId, [{ sku: tea, quantity: 1 }]);
    expect(units(first)).toEqual([[tea, 5, 0, 5]]);
    expect(units(second)).toEqual([[tea, 5, 0, 1]]);
    expect(whole).toMatchObject({ awaiting: 'stock' });
    // 4 come in: the second order, first in line, takes them all; the later one still waits.
    await restock(tea, 4);
    const served = await eventually(
      () => get(second.id),
      (order) => order.lines[0]!.reservedQuantity === 5,
    );
    expect(units(served)).toEqual([[tea, 5, 0, 5]]);
    expect((await get(whole.id)).awaiting).toBe('stock');
    expect(await stockOf(api, tea)).toMatchObject({ stockOnHand: 10, reserved: 10, available: 0 });

    // Many partial orders at once on 10 units: together they reserve exactly 10.
    const race = (await seedCatalogue(api, [{ unitPrice: 100, stockOnHand: 10 }])).skus[0]!;
    const orders = await Promise.all(
      Array.from({ length: 6 }, () => placeApproved(customerId, [{ sku: race, quantity: 3 }], true)),
    );
    const settled = await Promise.all(orders.map((order) => get(order.id)));
    const reserved = settled.reduce((sum, order) => sum + order.lines[0]!.reservedQuantity, 0);
    expect(reserved).toBe(10);
    expect(await stockOf(api, race)).toMatchObject({ stockOnHand: 10, reserved: 10, available: 0 });
  });

  it('keeps what it holds through an edit, and gives back only what the new lines do not need', async () => {
    const { customerId, skus } = await seedCatalogue(api, [{ unitPrice: 1000, stockOnHand: 8 }]);
    const tea = skus[0]!;
    const first = await placeApproved(customerId, [{ sku: tea, quantity: 10 }], true);
    const second = await placeApproved(customerId, [{ sku: tea, quantity: 2 }], true);
    expect(units(first)).toEqual([[tea, 10, 0, 8]]);
    // Earlier in line for the same product, the first order is served first: the second gets nothing yet.
    expect(second).toMatchObject({ awaiting: 'stock', payment: null });

    const edited = await api.patch<Order>(`/api/orders/${first.id}`, { lines: [{ sku: tea, quantity: 5 }] });
    expect(edited.status).toBe(200);
    if (edited.body.awaiting === 'approval') {
      expect((await api.post(`/api/orders/${first.id}/approve`, {})).status).toBe(200);
    }
    const held = await awaiting(first.id, 'shipment');
    expect(units(held)).toEqual([[tea, 5, 0, 5]]);
    expect(held).toMatchObject({ stockShortages: [], payment: { status: 'captured', amount: 5000 } });
    // The 3 given back wake the second order, which takes 2 of them.
    const served = await awaiting(second.id, 'shipment');
    expect(units(served)).toEqual([[tea, 2, 0, 2]]);
    expect(await stockOf(api, tea)).toMatchObject({ stockOnHand: 8, reserved: 7, available: 1 });
  });

  it('leaves an order without allowPartial as it was: it reserves all of it or waits', async () => {
    const { customerId, skus } = await seedCatalogue(api, [{ unitPrice: 1000, stockOnHand: 8 }]);
    const tea = skus[0]!;
    const order = await placeApproved(customerId, [{ sku: tea, quantity: 10 }]);
    expect(order).toMatchObject({
      status: 'processing',
      awaiting: 'stock',
      allowPartial: false,
      payment: null,
      stockShortages: [{ sku: tea, requested: 10, available: 8 }],
    });
    expect(units(order)).toEqual([[tea, 10, 0, 0]]);
    expect(await stockOf(api, tea)).toMatchObject({ reserved: 0, available: 8 });
    await restock(tea, 2);
    const ready = await awaiting(order.id, 'shipment');
    expect(units(ready)).toEqual([[tea, 10, 0, 10]]);
    const shipped = await api.post<Order>(`/api/orders/${ready.id}/ship`, {
      carrier: 'SF',
      trackingNumber: 'W1',
    });
    expect(shipped.body).toMatchObject({ status: 'shipped' });
    expect(units(shipped.body)).toEqual([[tea, 10, 10, 0]]);
  });
});
