import { randomUUID } from 'node:crypto';
import { eventually, seedCatalogue } from './support/fixtures';
import type { ApiClient } from './support/http';
import { placeOrder, type OrderBody } from './support/orders';
import { startStack, type TestStack } from './support/stack';

/** A small deterministic PRNG, so a failing random mix can be replayed from its seed. */
function prng(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('payment', () => {
  let stack: TestStack;
  let api: ApiClient;
  let manager: ApiClient;

  beforeAll(async () => {
    stack = await startStack();
    api = await stack.client();
    manager = await stack.client(['manager'], 'boss');
  });
  afterAll(() => stack.close());

  const sql = <T>(query: string, params: unknown[] = []) =>
    stack.orm.em.fork().getConnection().execute<T & object>(query, params) as Promise<T>;

  it('waits for payment with the reason when the credit limit is exceeded, and goes on after a retry', async () => {
    const { customerId, skus } = await seedCatalogue(api, [{ unitPrice: 3000, stockOnHand: 100 }]);
    await api.patch(`/api/customers/${customerId}`, { creditLimit: 5000 });
    const first = await placeOrder(api, customerId, [{ sku: skus[0]!, quantity: 1 }]);
    expect((await api.post<OrderBody>(`/api/orders/${first.id}/approve`, {})).body.awaiting).toBe('shipment');

    const second = await placeOrder(api, customerId, [{ sku: skus[0]!, quantity: 1 }]);
    const declined = await api.post<OrderBody>(`/api/orders/${second.id}/approve`, {});
    expect(declined.body).toMatchObject({
      status: 'processing',
      awaiting: 'payment',
      payment: { status: 'failed', amount: 0 },
    });
    expect(declined.body.payment!.lastError).toMatch(
      /credit limit exceeded: 3000 already held, 3000 requested, limit 5000/,
    );
    expect(
      (await api.post(`/api/orders/${second.id}/ship`, { carrier: 'SF', trackingNumber: '1' })).status,
    ).toBe(409);

    // Retrying without a change fails again with a new charge attempt; after raising the limit it succeeds.
    const again = await api.post<OrderBody>(`/api/orders/${second.id}/retry-payment`, {});
    expect(again.body).toMatchObject({ awaiting: 'payment', payment: { status: 'failed' } });
    await api.patch(`/api/customers/${customerId}`, { creditLimit: 10000 });
    const paid = await api.post<OrderBody>(`/api/orders/${second.id}/retry-payment`, {});
    expect(paid.body).toMatchObject({ awaiting: 'shipment', payment: { status: 'captured', amount: 3000 } });
    const attempts = await sql<{ status: string }[]>(
      `select status from payments where order_id = ? and kind = 'authorization' order by id`,
      [second.id],
    );
    expect(attempts.map((a) => a.status)).toEqual(['failed', 'failed', 'succeeded']);
    expect((await api.post(`/api/orders/${second.id}/retry-payment`, {})).status).toBe(409);
  });

  it('balances the ledger after a random mix of actions: captured − refunded equals what completed orders owe', async () => {
    const seed = Number(process.env.OMS_TEST_SEED ?? 20261126);
    const random = prng(seed);
    const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!;
    const { customerId, skus } = await seedCatalogue(
      api,
      [1500, 2500, 9900].map((unitPrice) => ({ unitPrice, stockOnHand: 40 })),
    );
    const orders: string[] = [];
    for (let i = 0; i < 12; i++) {
      const lines = skus
        .filter(() => random() < 0.6)
        .map((sku) => ({ sku, quantity: 1 + Math.floor(random() * 3) }));
      orders.push(
        (await placeOrder(api, customerId, lines.length ? lines : [{ sku: skus[0]!, quantity: 1 }])).id,
      );
    }
    // Mostly actions the order's state allows, with some out of turn (which must change nothing).
    for (let step = 0; step < 60; step++) {
      const id = pick(orders);
      const current = (await api.get<OrderBody>(`/api/orders/${id}`)).body;
      const fitting: Record<string, string> = {
        approval: 'approve',
        manager_approval: 'approve',
        shipment: 'ship',
      };
      const natural = current.status === 'shipped' ? 'complete' : (fitting[current.awaiting ?? ''] ?? 'edit');
      const action =
        random() < 0.7 ? natural : pick(['approve', 'edit', 'ship', 'complete', 'cancel', 'reject']);
      const actor = random() < 0.5 ? api : manager;
      const body =
        action === 'edit'
          ? { lines: [{ sku: pick(skus), quantity: 1 + Math.floor(random() * 4) }] }
          : action === 'ship'
            ? { carrier: 'SF', trackingNumber: randomUUID() }
            : action === 'cancel' || action === 'reject'
              ? { reason: `random step ${step}` }
              : {};
      const response =
        action === 'edit'
          ? await actor.patch(`/api/orders/${id}`, body)
          : await actor.post(`/api/orders/${id}/${action}`, body);
      expect([200, 403, 409]).toContain(response.status);
    }
    // Whatever the seed did, the ledger also sees one order paid and refunded and one paid and delivered.
    const refunded = await placeOrder(api, customerId, [{ sku: skus[1]!, quantity: 2 }]);
    await manager.post(`/api/orders/${refunded.id}/approve`, {});
    await api.post(`/api/orders/${refunded.id}/cancel`, { reason: 'control: refunded' });
    const delivered = await placeOrder(api, customerId, [{ sku: skus[2]!, quantity: 1 }]);
    await manager.post(`/api/orders/${delivered.id}/approve`, {});
    await api.post(`/api/orders/${delivered.id}/ship`, { carrier: 'SF', trackingNumber: 'control' });
    await api.post(`/api/orders/${delivered.id}/complete`, {});
    orders.push(refunded.id, delivered.id);

    // Bring every order to a final status: open ones are approved (so paid), then alternately delivered or
    // cancelled (so refunded).
    for (const [index, id] of orders.entries()) {
      let order = (await api.get<OrderBody>(`/api/orders/${id}`)).body;
      if (order.awaiting === 'approval' || order.awaiting === 'manager_approval') {
        order = (await manager.post<OrderBody>(`/api/orders/${id}/approve`, {})).body;
      }
      if (['created', 'processing'].includes(order.status) && index % 2 === 0) {
        if (order.awaiting === 'shipment') {
          order = (
            await api.post<OrderBody>(`/api/orders/${id}/ship`, {
              carrier: 'EMS',
              trackingNumber: randomUUID(),
            })
          ).body;
        }
      }
      if (order.status === 'shipped')
        order = (await api.post<OrderBody>(`/api/orders/${id}/complete`, {})).body;
      if (order.status === 'created' || order.status === 'processing') {
        order = (await manager.post<OrderBody>(`/api/orders/${id}/cancel`, { reason: 'end of test' })).body;
      }
      expect(['completed', 'cancelled', 'rejected']).toContain(order.status);
    }
    const finals = await eventually(
      () => Promise.all(orders.map(async (id) => (await api.get<OrderBody>(`/api/orders/${id}`)).body)),
      (all) => all.every((order) => ['completed', 'cancelled', 'rejected'].includes(order.status)),
    );
    const owed = finals
      .filter((order) => order.status === 'completed')
      .reduce((sum, order) => sum + order.total, 0);
    // The mix must have exercised both ends of the saga for the balance to mean anything.
    expect(finals.some((order) => order.status === 'completed')).toBe(true);
    expect(finals.some((order) => order.status === 'cancelled' && order.payment?.status === 'refunded')).toBe(
      true,
    );
    const [balance] = await sql<{ held: string }[]>(
      `select coalesce(sum(case kind when 'capture' then amount when 'refund' then -amount else 0 end), 0) as held
         from payments where status = 'succeeded' and order_id = any(?::uuid[])`,
      [`{${orders.join(',')}}`],
    );
    expect({ seed, held: Number(balance!.held) }).toEqual({ seed, held: owed });
    for (const order of finals) {
      const [own] = await sql<{ held: string }[]>(
        `select coalesce(sum(case kind when 'capture' then amount when 'refund' then -amount else 0 end), 0) as held
           from payments where status = 'succeeded' and order_id = ?`,
        [order.id],
      );
      expect([order.number, order.status, Number(own!.held)]).toEqual([
        order.number,
        order.status,
        order.status === 'completed' ? order.total : 0,
      ]);
    }
    // About 150 requests, each a Temporal update: on a loaded machine (two workers, shared cores) that alone
    // has taken most of a minute.
  }, 180_000);
});
