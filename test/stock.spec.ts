import { eventually, seedCatalogue } from './support/fixtures';
import type { ApiClient } from './support/http';
import { cancelLeftWaiting, placeOrder, stockOf, type OrderBody } from './support/orders';
import { startStack, type TestStack } from './support/stack';

describe('stock', () => {
  let stack: TestStack;
  let api: ApiClient;

  beforeAll(async () => {
    stack = await startStack();
    api = await stack.client();
  });
  afterAll(() => stack.close());

  const fetchOrder = async (id: string) => (await api.get<OrderBody>(`/api/orders/${id}`)).body;

  // Fifty orders through the whole pipeline: a minute's work on a busy 2-core machine.
  it('never oversells: 50 orders racing for 10 units, then a restock serves the queue first come first served', async () => {
    const { customerId, skus } = await seedCatalogue(api, [{ unitPrice: 100, stockOnHand: 10 }]);
    const sku = skus[0]!;
    const orders = await Promise.all(
      Array.from({ length: 50 }, () => placeOrder(api, customerId, [{ sku, quantity: 1 }])),
    );
    const approved = await Promise.all(
      orders.map((order) => api.post<OrderBody>(`/api/orders/${order.id}/approve`, {})),
    );
    expect(approved.map((response) => response.status)).toEqual(orders.map(() => 200));

    const served = approved.filter((response) => response.body.awaiting === 'shipment');
    const waiting = approved.filter((response) => response.body.awaiting === 'stock');
    expect(served).toHaveLength(10);
    expect(waiting).toHaveLength(40);
    expect(await stockOf(api, sku)).toMatchObject({ stockOnHand: 10, reserved: 10, available: 0 });
    expect(waiting[0]!.body.stockShortages).toEqual([{ sku, requested: 1, available: 0 }]);

    // Five more units: exactly the five oldest waiting orders get them, by themselves.
    const restock = await api.post(`/api/products/${(await stockOf(api, sku)).id}/stock`, {
      delta: 5,
      reason: 'delivery 4711',
    });
    expect(restock).toMatchObject({ status: 200, body: { stockOnHand: 15, reserved: 10, available: 5 } });
    const queue = waiting
      .map((response) => response.body)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    const firstFive = new Set(queue.slice(0, 5).map((order) => order.id));
    // Each of the five reserves, is charged and moves on: on a loaded machine (workflow tasks of 5–8 s were
    // seen in CI while 50 orders had just been placed) that took longer than the default 15 s.
    const states = await eventually(
      () => Promise.all(queue.map((order) => fetchOrder(order.id))),
      (all) => all.filter((order) => order.awaiting === 'shipment').length >= 5,
      90_000,
    );
    const nowServed = states.filter((order) => order.awaiting === 'shipment').map((order) => order.id);
    expect(new Set(nowServed)).toEqual(firstFive);
    expect(await stockOf(api, sku)).toMatchObject({ stockOnHand: 15, reserved: 15, available: 0 });
    await cancelLeftWaiting(
      api,
      queue.slice(5).map((order) => order.id),
    );
  }, 240_000);

  it('ships reserved goods out of stock on hand', async () => {
    const { customerId, skus } = await seedCatalogue(api, [{ unitPrice: 100, stockOnHand: 7 }]);
    const order = await placeOrder(api, customerId, [{ sku: skus[0]!, quantity: 3 }]);
    await api.post(`/api/orders/${order.id}/approve`, {});
    expect(await stockOf(api, skus[0]!)).toMatchObject({ stockOnHand: 7, reserved: 3, available: 4 });
    await api.post(`/api/orders/${order.id}/ship`, { carrier: 'SF', trackingNumber: 'T1' });
    expect(await stockOf(api, skus[0]!)).toMatchObject({ stockOnHand: 4, reserved: 0, available: 4 });
  });

  it('records who adjusted stock and why, and refuses to go below what is reserved', async () => {
    const { customerId, skus } = await seedCatalogue(api, [{ unitPrice: 100, stockOnHand: 5 }]);
    const product = await stockOf(api, skus[0]!);
    const order = await placeOrder(api, customerId, [{ sku: skus[0]!, quantity: 4 }]);
    await api.post(`/api/orders/${order.id}/approve`, {});

    const clerk = await stack.client(['staff'], 'wh-clerk');
    const tooMuch = await clerk.post(`/api/products/${product.id}/stock`, { delta: -2, reason: 'breakage' });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.message).toMatch(/cannot go below the 4 units reserved/);
    const fine = await clerk.post(`/api/products/${product.id}/stock`, { delta: -1, reason: 'breakage' });
    expect(fine.body).toEqual({ stockOnHand: 4, reserved: 4, available: 0 });

    const movements = await stack.orm.em
      .fork()
      .getConnection()
      .execute<
        { kind: string; delta_on_hand: number; reason: string | null; actor: { username: string } | null }[]
      >(`select kind, delta_on_hand, reason, actor from stock_movements where product_id = ? order by id`, [
        product.id,
      ]);
    expect(movements).toEqual([
      expect.objectContaining({ kind: 'reservation', delta_on_hand: 0 }),
      expect.objectContaining({
        kind: 'adjustment',
        delta_on_hand: -1,
        reason: 'breakage',
        actor: expect.objectContaining({ username: 'wh-clerk' }),
      }),
    ]);
    for (const bad of [
      { delta: 0, reason: 'x' },
      { delta: 1.5, reason: 'x' },
      { delta: 1 },
      { delta: '3', reason: 'x' },
    ]) {
      expect((await clerk.post(`/api/products/${product.id}/stock`, bad)).status).toBe(400);
    }
    expect((await clerk.post(`/api/products/nope/stock`, { delta: 1, reason: 'x' })).status).toBe(404);
  });

  it('lets staff cancel an order waiting for stock, which leaves the queue', async () => {
    const { customerId, skus } = await seedCatalogue(api, [{ unitPrice: 100, stockOnHand: 0 }]);
    const order = await placeOrder(api, customerId, [{ sku: skus[0]!, quantity: 2 }]);
    const approved = await api.post<OrderBody>(`/api/orders/${order.id}/approve`, {});
    expect(approved.body.awaiting).toBe('stock');
    const cancelled = await api.post<OrderBody>(`/api/orders/${order.id}/cancel`, {
      reason: 'customer gave up',
    });
    expect(cancelled.body).toMatchObject({ status: 'cancelled', awaiting: null });
    const waits = await stack.orm.em
      .fork()
      .getConnection()
      .execute(`select 1 from stock_waits where order_id = ?`, [order.id]);
    expect(waits).toHaveLength(0);
  });
});
