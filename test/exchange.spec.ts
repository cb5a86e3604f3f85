/**
 * Exchanges (issue 25): a return resolved by exchange places, once its units are received, a replacement
 * order of them at no charge, which reserves, waits for stock, ships with its tracking number and tells the
 * customer as any order does. Against the real API, worker, Temporal, PostgreSQL and an SMTP receiver.
 */
import { Worker } from '@temporalio/worker';
import { orderWorkflowId } from '../workflows/order.definitions';
import { returnWorkflowId } from '../workflows/return.definitions';
import { eventually, seedCatalogue } from './support/fixtures';
import { recordHistory } from './support/histories';
import type { ApiClient } from './support/http';
import { placeOrder, stockOf, type OrderBody } from './support/orders';
import { startSmtpReceiver, type SmtpReceiver } from './support/receivers';
import { ownTaskQueue, startStack, type TestStack } from './support/stack';

type Return = {
  id: string;
  number: string;
  status: string;
  resolution: string;
  replacement: { orderId: string; number: string } | null;
  actions: string[];
};
type Order = OrderBody & {
  source: string;
  notes: string | null;
  lines: { sku: string; quantity: number; unitPrice: number }[];
  shipments: { trackingNumber: string; lines: { sku: string; quantity: number }[] }[];
};
type History = { items: { kind: string; details: Record<string, unknown> }[] };

describe('exchanges', () => {
  let smtp: SmtpReceiver;
  let stack: TestStack;
  let clerk: ApiClient;

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    stack = await startStack({ env: { ...ownTaskQueue('exchange'), OMS_SMTP_URL: smtp.url } });
    clerk = await stack.client(['staff'], 'exchange-desk');
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
    await smtp?.close();
  });

  const orderOf = async (id: string) => (await clerk.get<Order>(`/api/orders/${id}`)).body;

  /** An English-speaking customer's order of all 5 units there are, at 10.00 each, approved and shipped: none left. */
  async function soldOut() {
    const { customerId, skus } = await seedCatalogue(clerk, [{ unitPrice: 1000, stockOnHand: 5 }]);
    expect((await clerk.patch(`/api/customers/${customerId}`, { language: 'en' })).status).toBe(200);
    const customer = (await clerk.get<{ email: string }>(`/api/customers/${customerId}`)).body;
    const sku = skus[0]!;
    const order = await placeOrder(clerk, customerId, [{ sku, quantity: 5 }]);
    expect((await clerk.post(`/api/orders/${order.id}/approve`, {})).status).toBe(200);
    const shipped = await clerk.post(`/api/orders/${order.id}/ship`, {
      carrier: 'SF',
      trackingNumber: `SF-${order.number}`,
    });
    expect(shipped.status).toBe(200);
    expect(await stockOf(clerk, sku)).toMatchObject({ stockOnHand: 0, reserved: 0 });
    return { order, sku, customerId, email: customer.email };
  }

  it('replaces 2 damaged units of 5 when there is no stock: the replacement waits, then ships', async () => {
    const { order, sku, customerId, email } = await soldOut();
    const requested = await clerk.post<Return>(`/api/orders/${order.id}/returns`, {
      lines: [{ sku, quantity: 2 }],
      reason: 'Arrived broken',
      resolution: 'exchange',
    });
    expect(requested.status).toBe(201);
    expect(requested.body).toMatchObject({ status: 'requested', resolution: 'exchange', replacement: null });
    const { id, number } = requested.body;
    expect((await clerk.post(`/api/returns/${id}/approve`, {})).status).toBe(200);

    // Receiving the units (damaged: none goes back on hand) places the replacement at once.
    const received = await clerk.post<Return>(`/api/returns/${id}/receive`, {
      lines: [{ sku, quantity: 2, condition: 'damaged' }],
    });
    expect(received.status).toBe(200);
    expect(received.body).toMatchObject({
      status: 'exchanged',
      replacement: { orderId: expect.any(String), number: expect.stringMatching(/^SO-\d{4}-\d{6}$/) },
      actions: ['close'],
    });
    const replacement = received.body.replacement!;
    expect((await clerk.get<Return>(`/api/returns/${id}`)).body.replacement).toEqual(replacement);

    // An order of its own, for the same customer, at no charge; nothing in stock, so it waits for stock.
    const waiting = await eventually(
      () => orderOf(replacement.orderId),
      (found) => found?.awaiting === 'stock',
      30_000,
    );
    expect(waiting).toMatchObject({
      number: replacement.number,
      customerId,
      source: 'exchange',
      status: 'processing',
      total: 0,
      lines: [{ sku, quantity: 2, unitPrice: 0 }],
    });
    expect(waiting.notes).toContain(number);
    expect(await stockOf(clerk, sku)).toMatchObject({ stockOnHand: 0, reserved: 0 });
    const early = await clerk.post(`/api/orders/${replacement.orderId}/ship`, {
      carrier: 'SF',
      trackingNumber: 'SF-TOO-EARLY',
    });
    expect(early.status).toBe(409);

    // Stock comes in: the replacement reserves it, ships with its own tracking number and completes.
    const product = await stockOf(clerk, sku);
    expect(
      (await clerk.post(`/api/products/${product.id}/stock`, { delta: 3, reason: 'delivery' })).status,
    ).toBe(200);
    await eventually(
      () => orderOf(replacement.orderId),
      (found) => found.awaiting === 'shipment',
      30_000,
    );
    expect(await stockOf(clerk, sku)).toMatchObject({ stockOnHand: 3, reserved: 2 });
    const shipped = await clerk.post<Order>(`/api/orders/${replacement.orderId}/ship`, {
      carrier: 'EMS',
      trackingNumber: `EMS-${number}`,
    });
    expect(shipped.status).toBe(200);
    expect(shipped.body).toMatchObject({ status: 'shipped' });
    expect(shipped.body.shipments).toEqual([
      expect.objectContaining({ trackingNumber: `EMS-${number}`, lines: [{ sku, quantity: 2 }] }),
    ]);
    expect(await stockOf(clerk, sku)).toMatchObject({ stockOnHand: 1, reserved: 0 });

    // The customer was told of the exchange with the replacement's number, and of its shipment.
    const exchangedSubject = `Your return ${number}: the replacement will ship separately, as order ${replacement.number}`;
    const shippedSubject = `Your order ${replacement.number} has shipped`;
    const subjects = await eventually(
      () => Promise.resolve(smtp.messages.filter((mail) => mail.to === email).map((mail) => mail.subject)),
      (found) => found.includes(exchangedSubject) && found.includes(shippedSubject),
      30_000,
    );
    expect(subjects).toEqual(expect.arrayContaining([exchangedSubject, shippedSubject]));

    // The returned order's history shows the exchange and its replacement; no money moved back.
    const auditor = await stack.client(['auditor'], 'exchange-auditor');
    const history = await auditor.get<History>(`/api/orders/${order.id}/history`);
    const steps = history.body.items.filter((step) => step.kind.startsWith('return.'));
    expect(steps.map((step) => step.kind)).toEqual([
      'return.requested',
      'return.approved',
      'return.received',
      'return.exchanged',
    ]);
    expect(steps[3]!.details).toMatchObject({
      replacementOrderId: replacement.orderId,
      replacementNumber: replacement.number,
    });
    const refunds = await stack.orm.em
      .fork()
      .getConnection()
      .execute(`select 1 from payments where order_id = ? and kind = 'refund'`, [order.id]);
    expect(refunds).toEqual([]);

    // Both histories replay against today's code: the return's (closed now) and the replacement's so far.
    expect((await clerk.post<Return>(`/api/returns/${id}/close`, {})).body.status).toBe('closed');
    const returnHandle = stack.temporal.workflow.getHandle(returnWorkflowId(id));
    await returnHandle.result();
    const bundle = { workflowBundle: { codePath: process.env.OMS_TEST_WORKFLOW_BUNDLE! } };
    await Worker.runReplayHistory(bundle, await returnHandle.fetchHistory());
    recordHistory(stack, returnHandle.workflowId, 'returns', 'exchanged-then-closed');
    const orderHandle = stack.temporal.workflow.getHandle(orderWorkflowId(replacement.orderId));
    await Worker.runReplayHistory(bundle, await orderHandle.fetchHistory(), orderHandle.workflowId);
    recordHistory(stack, orderHandle.workflowId, '', 'replacement-of-an-exchange-shipped');
  }, 180_000);

  it('replaces resellable units from the units that came back, and refuses a refund of an exchange', async () => {
    const { order, sku } = await soldOut();
    const requested = await clerk.post<Return>(`/api/orders/${order.id}/returns`, {
      lines: [{ sku, quantity: 1 }],
      reason: 'Wrong colour',
      resolution: 'exchange',
    });
    const { id } = requested.body;
    await clerk.post(`/api/returns/${id}/approve`, {});
    const received = await clerk.post<Return>(`/api/returns/${id}/receive`, {
      lines: [{ sku, quantity: 1, condition: 'resellable' }],
    });
    expect(received.body.status).toBe('exchanged');
    // The unit that came back is on hand again, and the replacement takes it.
    const ready = await eventually(
      () => orderOf(received.body.replacement!.orderId),
      (found) => found?.awaiting === 'shipment',
      30_000,
    );
    expect(ready).toMatchObject({ status: 'processing', total: 0 });
    expect(await stockOf(clerk, sku)).toMatchObject({ stockOnHand: 1, reserved: 1 });
    const refund = await clerk.post<{ status: string }>(`/api/returns/${id}/refund`, {});
    expect(refund.status).toBe(409);
    expect(refund.body).toMatchObject({ status: 'exchanged' });
  }, 120_000);
});
