import { eventually, seedCatalogue } from './support/fixtures';
import { placeOrder, stockOf, type OrderBody } from './support/orders';
import { ownTaskQueue, startStack, useStack } from './support/stack';

describe('cancel', () => {
  const t = useStack({ api: [['staff']] }, { worker: false });

  async function ledger(orderId: string) {
    return t.stack.orm.em
      .fork()
      .getConnection()
      .execute<{ kind: string; amount: string }[]>(
        `select kind, amount from payments where order_id = ? and status = 'succeeded' order by id`,
        [orderId],
      );
  }

  async function paidOrder(client = t.api): Promise<{ order: OrderBody; sku: string }> {
    const { customerId, skus } = await seedCatalogue(client, [{ unitPrice: 2500, stockOnHand: 10 }]);
    const order = await placeOrder(client, customerId, [{ sku: skus[0]!, quantity: 4 }]);
    const approved = await client.post<OrderBody>(`/api/orders/${order.id}/approve`, {});
    expect(approved.body).toMatchObject({
      awaiting: 'shipment',
      payment: { status: 'captured', amount: 10000 },
    });
    expect(await stockOf(client, skus[0]!)).toMatchObject({ reserved: 4, available: 6 });
    return { order, sku: skus[0]! };
  }

  it('releases reserved stock and refunds a captured payment', async () => {
    await t.stack.startWorker();
    const { order, sku } = await paidOrder();
    const cancelled = await t.api.post<OrderBody>(`/api/orders/${order.id}/cancel`, {
      reason: 'customer asked',
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({
      status: 'cancelled',
      awaiting: null,
      payment: { status: 'refunded', amount: 0 },
      cancellation: { reason: 'customer asked', by: { username: 'staff-user' } },
    });
    expect(await stockOf(t.api, sku)).toMatchObject({ stockOnHand: 10, reserved: 0, available: 10 });
    expect(await ledger(order.id)).toEqual([
      { kind: 'authorization', amount: '10000' },
      { kind: 'capture', amount: '10000' },
      { kind: 'refund', amount: '10000' },
    ]);
    await t.stack.stopWorker();
  });

  it('finishes the saga when the worker dies between releasing the stock and refunding', async () => {
    // The doomed worker must be the one that releases the stock, and the replacement the one that refunds:
    // a task queue of its own keeps other workers (OMS_TEST_WORKERS=2) from taking either step.
    const own = await startStack({ worker: false, env: ownTaskQueue('saga-worker-dies') });
    try {
      const client = await own.client();
      await own.startWorker();
      const { order, sku } = await paidOrder(client);
      await own.stopWorker();

      // A worker that goes down right after its stock release commits, before the refund can run.
      let died!: Promise<void>;
      await own.startWorker('doomed-worker', {
        notifyStockChanged: () => {
          died = own.stopWorker();
          return Promise.resolve();
        },
      });
      const cancel = client.post<OrderBody>(`/api/orders/${order.id}/cancel`, { reason: 'changed mind' });
      await eventually(async () => died, Boolean);
      await died;
      expect(await stockOf(client, sku)).toMatchObject({ reserved: 0, available: 10 });
      expect((await ledger(order.id)).map((entry) => entry.kind)).toEqual(['authorization', 'capture']);

      await own.startWorker('replacement-worker');
      const cancelled = await cancel;
      expect(cancelled.body).toMatchObject({
        status: 'cancelled',
        payment: { status: 'refunded', amount: 0 },
      });
      expect((await ledger(order.id)).map((entry) => entry.kind)).toEqual([
        'authorization',
        'capture',
        'refund',
      ]);
      expect(await stockOf(client, sku)).toMatchObject({ stockOnHand: 10, reserved: 0 });
    } finally {
      await own.close();
    }
  });

  it('refuses to cancel a shipped order, naming its status', async () => {
    await t.stack.startWorker();
    const { order } = await paidOrder();
    await t.api.post(`/api/orders/${order.id}/ship`, { carrier: 'SF', trackingNumber: 'X' });
    const refused = await t.api.post(`/api/orders/${order.id}/cancel`, { reason: 'too late' });
    expect(refused).toMatchObject({ status: 409, body: { status: 'shipped', awaiting: 'delivery' } });
    expect((await t.api.post(`/api/orders/${order.id}/cancel`, {})).status).toBe(400);
    await t.stack.stopWorker();
  });
});
