import { orderWorkflowId, orderQuery } from '../workflows/order.definitions';
import { seedCatalogue } from './support/fixtures';
import type { ApiClient } from './support/http';
import { ownTaskQueue, startStack, type TestStack } from './support/stack';

type Order = { id: string; status: string; awaiting: string | null; [key: string]: unknown };

describe('an order over HTTP', () => {
  let stack: TestStack;
  let api: ApiClient;

  beforeAll(async () => {
    stack = await startStack();
    api = await stack.client();
  });
  afterAll(() => stack.close());

  async function placeOrder(client = api): Promise<Order> {
    const { customerId, skus } = await seedCatalogue(client, [{ unitPrice: 12990 }, { unitPrice: 500 }]);
    const created = await client.post<Order>('/api/orders', {
      customerId,
      lines: [
        { sku: skus[0], quantity: 2 },
        { sku: skus[1], quantity: 3 },
      ],
      notes: 'leave at the door',
    });
    expect(created.status).toBe(201);
    return created.body;
  }

  it('travels created → processing → shipped → completed, in the workflow and in PostgreSQL', async () => {
    const order = await placeOrder();
    expect(order).toMatchObject({
      status: 'created',
      awaiting: 'approval',
      total: 2 * 12990 + 3 * 500,
      currency: 'CNY',
      notes: 'leave at the door',
      shipment: null,
    });
    expect(order.number).toMatch(/^SO-\d{4}-\d{6}$/);
    expect(order.lines).toEqual([
      expect.objectContaining({ quantity: 2, unitPrice: 12990, lineTotal: 25980 }),
      expect.objectContaining({ quantity: 3, unitPrice: 500, lineTotal: 1500 }),
    ]);

    const approved = await api.post<Order>(`/api/orders/${order.id}/approve`, {
      comment: 'customer confirmed',
    });
    expect(approved.status).toBe(200);
    // Approval reserves the stock and takes the payment before the order waits for shipment.
    expect(approved.body).toMatchObject({
      status: 'processing',
      awaiting: 'shipment',
      payment: { status: 'captured', amount: 27480 },
    });
    expect(approved.body.approvals).toEqual([
      expect.objectContaining({
        comment: 'customer confirmed',
        by: expect.objectContaining({ username: 'staff-user' }),
      }),
    ]);

    const shipped = await api.post<Order>(`/api/orders/${order.id}/ship`, {
      carrier: 'SF Express',
      trackingNumber: 'SF1',
    });
    expect(shipped.status).toBe(200);
    expect(shipped.body).toMatchObject({
      status: 'shipped',
      awaiting: 'delivery',
      shipment: expect.objectContaining({ carrier: 'SF Express', trackingNumber: 'SF1' }),
    });

    const completed = await api.post<Order>(`/api/orders/${order.id}/complete`, {});
    expect(completed.status).toBe(200);
    expect(completed.body).toMatchObject({ status: 'completed', awaiting: null });

    // The workflow itself finished with the same state, and the SQL mirror agrees with a fresh read.
    const handle = stack.temporal.workflow.getHandle(orderWorkflowId(order.id));
    expect(await handle.result()).toMatchObject({
      status: 'completed',
      payment: { status: 'captured', amount: 27480 },
    });
    expect((await handle.describe()).status.name).toBe('COMPLETED');
    expect((await api.get<Order>(`/api/orders/${order.id}`)).body).toEqual(completed.body);
  });

  it('refuses an action out of order with 409 naming the current status, and changes nothing', async () => {
    const order = await placeOrder();

    const early = await api.post(`/api/orders/${order.id}/ship`, { carrier: 'SF', trackingNumber: 'X' });
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({
      statusCode: 409,
      error: 'Conflict',
      status: 'created',
      awaiting: 'approval',
    });
    expect(early.body.message).toContain('created');

    const notShipped = await api.post(`/api/orders/${order.id}/complete`, {});
    expect(notShipped.status).toBe(409);

    await api.post(`/api/orders/${order.id}/approve`, {});
    const twice = await api.post(`/api/orders/${order.id}/approve`, {});
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({ status: 'processing', awaiting: 'shipment' });

    const handle = stack.temporal.workflow.getHandle(orderWorkflowId(order.id));
    const state = await handle.query(orderQuery);
    expect(state).toMatchObject({
      status: 'processing',
      awaiting: 'shipment',
      approvals: [expect.anything()],
    });
    // Refused updates never reach the history: only the accepted ones are recorded.
    const history = await handle.fetchHistory();
    const accepted = (history.events ?? []).filter(
      (event) => event.workflowExecutionUpdateAcceptedEventAttributes,
    );
    expect(
      accepted.map(
        (event) => event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name,
      ),
    ).toEqual(['recorded', 'approve']);

    const completed = await api.post(`/api/orders/${order.id}/complete`, {});
    expect(completed.status).toBe(409);
    expect((await api.get<Order>(`/api/orders/${order.id}`)).body.status).toBe('processing');
  });

  it('finishes an order when the worker is replaced in the middle', async () => {
    // The replacement must take the order over: a task queue of its own keeps other workers (the suite's
    // second worker with OMS_TEST_WORKERS=2) from taking its tasks.
    const own = await startStack({ env: ownTaskQueue('worker-replaced') });
    try {
      const client = await own.client();
      const order = await placeOrder(client);
      await client.post(`/api/orders/${order.id}/approve`, {});

      await own.stopWorker();
      const replacement = await own.startWorker('replacement-worker');

      const shipped = await client.post<Order>(`/api/orders/${order.id}/ship`, {
        carrier: 'EMS',
        trackingNumber: 'E1',
      });
      expect(shipped.body.status).toBe('shipped');
      const completed = await client.post<Order>(`/api/orders/${order.id}/complete`, {});
      expect(completed.body.status).toBe('completed');

      // Both workers took part: the history shows workflow tasks completed by each.
      const history = await own.temporal.workflow.getHandle(orderWorkflowId(order.id)).fetchHistory();
      const identities = new Set(
        (history.events ?? [])
          .map((event) => event.workflowTaskCompletedEventAttributes?.identity)
          .filter(Boolean),
      );
      expect(identities).toContain(replacement);
      expect(identities.size).toBeGreaterThanOrEqual(2);
    } finally {
      await own.close();
    }
  });

  it('answers 404 for an unknown order id, whatever its format', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', '42']) {
      const response = await api.get(`/api/orders/${id}`);
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
      expect((await api.post(`/api/orders/${id}/approve`, {})).status).toBe(404);
    }
  });
});
