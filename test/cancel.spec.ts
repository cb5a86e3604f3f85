import { eventually, seedCatalogue } from './support/fixtures';
import type { ApiClient } from './support/http';
import { placeOrder, stockOf, type OrderBody } from './support/orders';
import { startStack, type TestStack } from './support/stack';

describe('cancel', () => {
  let stack: TestStack;
  let api: ApiClient;

  beforeAll(async () => {
    stack = await startStack({ worker: false });
    api = await stack.client();
  });
  afterAll(() => stack.close());

  async function ledger(orderId: string) {
    return stack.orm.em
      .fork()
      .getConnection()
      .execute<{ kind: string; amount: string }[]>(
        `select kind, amount from payments where order_id = ? and status = 'succeeded' order by id`,
        [orderId],
      );
  }

  async function paidOrder(): Promise<{ order: OrderBody; sku: string }> {
    const { customerId, skus } = await seedCatalogue(api, [{ unitPrice: 2500, stockOnHand: 10 }]);
    const order = await placeOrder(api, customerId, [{ sku: skus[0]!, quantity: 4 }]);
    const approved = await api.post<OrderBody>(`/api/orders/${order.id}/approve`, {});
    expect(approved.body).toMatchObject({
      awaiting: 'shipment',
      payment: { status: 'captured', amount: 10000 },
    });
    expect(await stockOf(api, skus[0]!)).toMatchObject({ reserved: 4, available: 6 });
    return { order, sku: skus[0]! };
  }

  it('releases reserved stock and refunds a captured payment', async () => {
    await stack.startWorker();
    const { order, sku } = await paidOrder();
    const cancelled = await api.post<OrderBody>(`/api/orders/${order.id}/cancel`, {
      reason: 'customer asked',
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({
      status: 'cancelled',
      awaiting: null,
      payment: { status: 'refunded', amount: 0 },
      cancellation: { reason: 'customer asked', by: { username: 'staff-user' } },
    });
    expect(await stockOf(api, sku)).toMatchObject({ stockOnHand: 10, reserved: 0, available: 10 });
    expect(await ledger(order.id)).toEqual([
      { kind: 'authorization', amount: '10000' },
      { kind: 'capture', amount: '10000' },
      { kind: 'refund', amount: '10000' },
    ]);
    await stack.stopWorker();
  });

  it('finishes the saga when the worker dies between releasing the stock and refunding', async () => {
    await stack.startWorker();
    const { order, sku } = await paidOrder();
    await stack.stopWorker();

    // A worker that goes down right after its stock release commits, before the refund can run.
    let died!: Promise<void>;
    await stack.startWorker('doomed-worker', {
      notifyStockChanged: () => {
        died = stack.stopWorker();
        return Promise.resolve();
      },
    });
    const cancel = api.post<OrderBody>(`/api/orders/${order.id}/cancel`, { reason: 'changed mind' });
    await eventually(async () => died, Boolean);
    await died;
    expect(await stockOf(api, sku)).toMatchObject({ reserved: 0, available: 10 });
    expect((await ledger(order.id)).map((entry) => entry.kind)).toEqual(['authorization', 'capture']);

    await stack.startWorker('replacement-worker');
    const cancelled = await cancel;
    expect(cancelled.body).toMatchObject({ status: 'cancelled', payment: { status: 'refunded', amount: 0 } });
    expect((await ledger(order.id)).map((entry) => entry.kind)).toEqual([
      'authorization',
      'capture',
      'refund',
    ]);
    expect(await stockOf(api, sku)).toMatchObject({ stockOnHand: 10, reserved: 0 });
    await stack.stopWorker();
  });

  it('refuses to cancel a shipped order, naming its status', async () => {
    await stack.startWorker();
    const { order } = await paidOrder();
    await api.post(`/api/orders/${order.id}/ship`, { carrier: 'SF', trackingNumber: 'X' });
    const refused = await api.post(`/api/orders/${order.id}/cancel`, { reason: 'too late' });
    expect(refused).toMatchObject({ status: 409, body: { status: 'shipped', awaiting: 'delivery' } });
    expect((await api.post(`/api/orders/${order.id}/cancel`, {})).status).toBe(400);
    await stack.stopWorker();
  });
});
