import { randomUUID } from 'node:crypto';
import { Worker } from '@temporalio/worker';
import { ReturnRepository } from '../db/repositories';
import { SYSTEM_ACTOR } from '../domain/order';
import { creditLimitGateway } from '../activities/payment.gateway';
import { returnWorkflowId } from '../workflows/return.definitions';
import { eventually, seedCatalogue } from './support/fixtures';
import { recordHistory } from './support/histories';
import type { ApiClient } from './support/http';
import { placeOrder, stockOf, type OrderBody } from './support/orders';
import { ownTaskQueue, startStack, type TestStack } from './support/stack';

/**
 * Returns (issue 25, first slice): shipped units come back for a refund through each return's own workflow,
 * against the real API, Temporal, payment ledger and PostgreSQL.
 */
type Return = {
  id: string;
  number: string;
  orderId: string;
  status: string;
  lines: { sku: string; quantity: number; unitPrice: number }[];
  resolution: string;
  received: { sku: string; quantity: number; condition: string }[];
  refundedAmount: number | null;
  actions: string[];
  createdAt: string;
};
type Refusal = { statusCode: number; message: string; field?: string; status?: string };
type History = {
  items: { kind: string; actor: { username: string } | null; details: Record<string, unknown> }[];
};

describe('returns', () => {
  let stack: TestStack;
  let api: ApiClient;
  let manager: ApiClient;

  beforeAll(async () => {
    // One test swaps this file's worker for one with a failing gateway: a task queue of its own keeps the
    // suite's other worker (OMS_TEST_WORKERS=2) from refunding in its place.
    stack = await startStack({ env: ownTaskQueue('returns') });
    api = await stack.client(['staff'], 'returns-desk');
    manager = await stack.client(['manager'], 'returns-manager');
  });
  afterAll(() => stack.close());

  const sql = <T>(query: string, params: unknown[] = []) =>
    stack.orm.em.fork().getConnection().execute<T & object>(query, params) as Promise<T>;

  const returnRows = (orderId: string) =>
    sql<{ id: string; status: string }[]>(`select id, status from order_returns where order_id = ?`, [
      orderId,
    ]);

  const refunds = (orderId: string) =>
    sql<{ amount: string; idempotency_key: string }[]>(
      `select amount, idempotency_key from payments where order_id = ? and kind = 'refund' and status = 'succeeded'`,
      [orderId],
    );

  /** The customer's revenue today in the customers report (net captured). */
  async function revenueOf(customerId: string): Promise<number | undefined> {
    const today = new Date().toISOString().slice(0, 10);
    const report = await manager.get<{ items: { id: string; revenue: number }[] }>(
      `/api/reports/customers?from=${today}&to=${today}&timeZone=UTC&limit=500`,
    );
    return report.body.items.find((item) => item.id === customerId)?.revenue;
  }

  /** An order of 5 units at 10.00, paid and shipped (3 of them only, when `shipped` says so). */
  async function shippedOrder(shipped = 5): Promise<{ order: OrderBody; sku: string }> {
    const { customerId, skus } = await seedCatalogue(api, [{ unitPrice: 1000, stockOnHand: 100 }]);
    const sku = skus[0]!;
    const placed = await placeOrder(api, customerId, [{ sku, quantity: 5 }]);
    const approved = await api.post<OrderBody>(`/api/orders/${placed.id}/approve`, {});
    expect(approved.body).toMatchObject({ status: 'processing', awaiting: 'shipment' });
    const shipment = await api.post(`/api/orders/${placed.id}/shipments`, {
      lines: [{ sku, quantity: shipped }],
      carrier: 'SF Express',
      trackingNumber: `SF-${placed.number}`,
    });
    expect(shipment.status).toBe(201);
    return { order: placed, sku };
  }

  it('takes back 2 of 5 shipped units for a refund: stock, ledger, credit note and the order history', async () => {
    const { order, sku } = await shippedOrder();
    expect(await stockOf(api, sku)).toMatchObject({ stockOnHand: 95, reserved: 0 });

    const requested = await api.post<Return>(`/api/orders/${order.id}/returns`, {
      lines: [{ sku, quantity: 2 }],
      reason: 'Too big',
      resolution: 'refund',
    });
    expect(requested.status).toBe(201);
    expect(requested.body).toMatchObject({
      id: expect.any(String),
      number: expect.stringMatching(/^RT-\d{4}-\d{6}$/),
      orderId: order.id,
      status: 'requested',
      lines: [{ sku, quantity: 2, unitPrice: 1000 }],
      resolution: 'refund',
      createdAt: expect.any(String),
      actions: ['approve', 'reject'],
    });
    const id = requested.body.id;

    expect((await api.post<Return>(`/api/returns/${id}/approve`, {})).body).toMatchObject({
      status: 'approved',
      actions: ['reject', 'receive'],
    });
    // No refund before the units are back.
    const early = await api.post<Refusal>(`/api/returns/${id}/refund`, {});
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ status: 'approved' });

    const received = await api.post<Return>(`/api/returns/${id}/receive`, {
      lines: [
        { sku, quantity: 1, condition: 'resellable' },
        { sku, quantity: 1, condition: 'damaged' },
      ],
    });
    expect(received.body).toMatchObject({ status: 'received', actions: ['refund'] });
    // The resellable unit is back on hand; the damaged one is recorded, not stocked.
    expect(await stockOf(api, sku)).toMatchObject({ stockOnHand: 96, reserved: 0 });

    expect(await revenueOf(order.customerId as string)).toBe(5000);
    const refunded = await api.post<Return>(`/api/returns/${id}/refund`, {});
    expect(refunded.status).toBe(200);
    expect(refunded.body).toMatchObject({ status: 'refunded', refundedAmount: 2000, actions: ['close'] });
    expect(await refunds(order.id)).toEqual([{ amount: '2000', idempotency_key: `return:${id}:refund` }]);
    // Reports count the customer's revenue net of the refund, though the order's workflow wrote nothing.
    expect(await revenueOf(order.customerId as string)).toBe(3000);

    // Refunding the same return again is refused and moves no money.
    const again = await api.post<Refusal>(`/api/returns/${id}/refund`, { amount: 1000 });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ status: 'refunded' });
    expect(await refunds(order.id)).toHaveLength(1);

    const note = await api.get<string>(`/api/returns/${id}/credit-note`);
    expect(note.status).toBe(200);
    expect(note.headers.get('content-type')).toContain('text/html');
    expect(note.body).toMatch(/CN-\d{4}-\d{6}/);
    expect(note.body).toContain(requested.body.number);
    expect(note.body).toContain(order.number);
    const pdf = await fetch(`${stack.baseUrl}/api/returns/${id}/credit-note?format=pdf`, {
      headers: api.headers,
    });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toContain('application/pdf');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');

    const listed = await api.get<{ items: Return[] }>(`/api/returns?orderId=${order.id}&status=refunded`);
    expect(listed.body.items.map((item) => item.id)).toEqual([id]);

    // Auditors read the return's changes in the order's own history.
    const auditor = await stack.client(['auditor'], 'returns-auditor');
    const history = await auditor.get<History>(`/api/orders/${order.id}/history`);
    expect(history.status).toBe(200);
    const steps = history.body.items.filter((step) => step.kind.startsWith('return.'));
    expect(steps.map((step) => step.kind)).toEqual([
      'return.requested',
      'return.approved',
      'return.received',
      'return.refunded',
    ]);
    expect(steps.every((step) => step.actor?.username === 'returns-desk')).toBe(true);
    expect(steps[3]!.details).toMatchObject({ returnId: id, amount: 2000 });

    const closed = await api.post<Return>(`/api/returns/${id}/close`, {});
    expect(closed.body).toMatchObject({ status: 'closed', actions: [] });

    // The return's workflow has ended, and its history replays against today's workflow code.
    const handle = stack.temporal.workflow.getHandle(returnWorkflowId(id));
    expect(await handle.result()).toMatchObject({ status: 'closed', refundedAmount: 2000 });
    await Worker.runReplayHistory(
      { workflowBundle: { codePath: process.env.OMS_TEST_WORKFLOW_BUNDLE! } },
      await handle.fetchHistory(),
    );
    recordHistory(stack, handle.workflowId, 'returns', 'refunded-then-closed');
  });

  it("adds a return that ends after its order was archived to the order's archived record", async () => {
    const auditor = await stack.client(['auditor'], 'returns-archive-auditor');
    const { order, sku } = await shippedOrder();
    expect((await api.post(`/api/orders/${order.id}/complete`, {})).status).toBe(200);
    type Archive = { sha256: string; events: number; record: { returns: Record<string, unknown>[] } };
    const archiveOf = () => auditor.get<Archive>(`/api/orders/${order.id}/archive`);
    const before = await eventually(archiveOf, (response) => response.status === 200);
    expect(before.body.record.returns).toEqual([]);

    const { id, number } = (
      await api.post<Return>(`/api/orders/${order.id}/returns`, {
        lines: [{ sku, quantity: 1 }],
        reason: 'Arrived late',
        resolution: 'refund',
      })
    ).body;
    await api.post(`/api/returns/${id}/approve`, {});
    await api.post(`/api/returns/${id}/receive`, { lines: [{ sku, quantity: 1, condition: 'resellable' }] });
    expect((await api.post<Return>(`/api/returns/${id}/refund`, {})).body.status).toBe('refunded');
    expect((await api.post<Return>(`/api/returns/${id}/close`, {})).body.status).toBe('closed');

    // The return's workflow closes, then a fuller record is added; the first stays as it was.
    const after = await eventually(
      archiveOf,
      (response) => response.body.events > before.body.events,
      30_000,
    );
    const [archived] = after.body.record.returns as {
      id: string;
      number: string;
      status: string;
      events: { kind: string }[];
      credit_note: { number: string; amount: number } | null;
      history: { events: { eventType: string }[] };
    }[];
    expect(archived).toMatchObject({ id, number, status: 'closed', credit_note: { amount: 1000 } });
    expect(archived!.events.map((event) => event.kind)).toEqual([
      'return.requested',
      'return.approved',
      'return.received',
      'return.refunded',
      'return.closed',
    ]);
    expect(archived!.history.events.at(-1)?.eventType).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED');
    const orderEvents = (after.body.record as unknown as { history: { events: unknown[] } }).history.events;
    expect(after.body.events).toBe(orderEvents.length + archived!.history.events.length);
    const stored = await sql<{ events: number }[]>(
      `select events from order_archives where order_id = ? order by events`,
      [order.id],
    );
    expect(stored.map((row) => row.events)).toEqual([before.body.events, after.body.events]);
  });

  it('stocks resellable units at the location they came back to, and refuses a location that does not exist', async () => {
    const { order, sku } = await shippedOrder();
    const code = `RET-${order.number.slice(-6)}`;
    expect((await manager.post('/api/locations', { code, name: 'Returns desk' })).status).toBe(201);
    const ask = async (quantity: number) => {
      const created = await api.post<Return>(`/api/orders/${order.id}/returns`, {
        lines: [{ sku, quantity }],
        reason: 'Changed my mind',
        resolution: 'refund',
      });
      expect((await api.post(`/api/returns/${created.body.id}/approve`, {})).status).toBe(200);
      return created.body.id;
    };
    const first = await ask(3);
    const nowhere = await api.post<Refusal>(`/api/returns/${first}/receive`, {
      lines: [{ sku, quantity: 3, condition: 'resellable' }],
      location: 'NOWHERE',
    });
    expect(nowhere.status).toBe(400);
    expect(nowhere.body).toMatchObject({ field: 'location' });
    expect((await api.get<Return>(`/api/returns/${first}`)).body.status).toBe('approved');

    const received = await api.post<Return & { receivedLocation: string | null }>(
      `/api/returns/${first}/receive`,
      {
        lines: [
          { sku, quantity: 2, condition: 'resellable' },
          { sku, quantity: 1, condition: 'damaged' },
        ],
        location: code,
      },
    );
    expect(received.body).toMatchObject({ status: 'received', receivedLocation: code });
    const { id: productId } = await stockOf(api, sku);
    const product = await api.get<{ stockOnHand: number; stock: { location: string; onHand: number }[] }>(
      `/api/products/${productId}`,
    );
    // The 2 resellable units are counted where they came back; MAIN still holds what it held (95).
    expect(product.body.stockOnHand).toBe(97);
    expect(product.body.stock).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ location: 'MAIN', onHand: 95 }),
        expect.objectContaining({ location: code, onHand: 2 }),
      ]),
    );

    // Without a location the units come back to MAIN, as before.
    const second = await ask(1);
    const atMain = await api.post<Return & { receivedLocation: string | null }>(
      `/api/returns/${second}/receive`,
      { lines: [{ sku, quantity: 1, condition: 'resellable' }] },
    );
    expect(atMain.body).toMatchObject({ status: 'received', receivedLocation: 'MAIN' });
    expect((await stockOf(api, sku)).stockOnHand).toBe(98);
  });

  it('requests a return once per Idempotency-Key, even when the request is sent twice at once', async () => {
    const { order, sku } = await shippedOrder();
    const body = { lines: [{ sku, quantity: 2 }], reason: 'Sent twice', resolution: 'refund' };
    const key = { 'Idempotency-Key': `return-${order.id}` };
    const [first, second] = await Promise.all([
      api.post<Return>(`/api/orders/${order.id}/returns`, body, key),
      api.post<Return>(`/api/orders/${order.id}/returns`, body, key),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 201]);
    expect(second.body.id).toBe(first.body.id);
    expect(await returnRows(order.id)).toHaveLength(1);
    const again = await api.post<Return>(`/api/orders/${order.id}/returns`, body, key);
    expect(again).toMatchObject({ status: 200, body: { id: first.body.id, number: first.body.number } });

    const other = await api.post<Refusal>(
      `/api/orders/${order.id}/returns`,
      { ...body, lines: [{ sku, quantity: 1 }] },
      key,
    );
    expect(other.status).toBe(422);
    expect(other.body.message).toContain(first.body.number);
    const malformed = await api.post<Refusal>(`/api/orders/${order.id}/returns`, body, {
      'Idempotency-Key': 'with spaces',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.message).toContain('Idempotency-Key');
    expect(await returnRows(order.id)).toHaveLength(1);
  });

  it('lets one of two returns racing for the same units win, and refuses the other with 409', async () => {
    const { order, sku } = await shippedOrder();
    const body = { lines: [{ sku, quantity: 3 }], reason: 'Duplicate', resolution: 'refund' };
    const answers = await Promise.all([
      api.post<Return | Refusal>(`/api/orders/${order.id}/returns`, body),
      api.post<Return | Refusal>(`/api/orders/${order.id}/returns`, body),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409]);
    const refused = answers.find((answer) => answer.status === 409)!.body as Refusal;
    expect(refused).toMatchObject({ field: 'lines.0.quantity', status: 'shipped' });
    expect(refused.message).toContain('only 2 of the 5 shipped');
    expect(await returnRows(order.id)).toHaveLength(1);

    // A rejected return gives its units back to be returned again.
    const winner = answers.find((answer) => answer.status === 201)!.body as Return;
    expect(
      (await api.post<Return>(`/api/returns/${winner.id}/reject`, { reason: 'Not ours' })).body,
    ).toMatchObject({ status: 'rejected', actions: [] });
    expect((await api.post(`/api/orders/${order.id}/returns`, body)).status).toBe(201);
  });

  it('refuses more units than shipped, unknown lines, unknown orders and resolutions, writing nothing', async () => {
    const { order, sku } = await shippedOrder(3);
    const ask = (lines: unknown, resolution = 'refund') =>
      api.post<Refusal>(`/api/orders/${order.id}/returns`, { lines, reason: 'x', resolution });

    const tooMany = await ask([{ sku, quantity: 4 }]);
    expect(tooMany.status).toBe(409);
    expect(tooMany.body).toMatchObject({ field: 'lines.0.quantity', status: 'processing' });
    expect(tooMany.body.message).toContain('only 3 of the 3 shipped');

    const unknownLine = await ask([{ sku: 'NOT-ORDERED', quantity: 1 }]);
    expect(unknownLine.status).toBe(400);
    expect(unknownLine.body).toMatchObject({ field: 'lines.0.sku' });

    const zero = await ask([{ sku, quantity: 0 }]);
    expect(zero.status).toBe(400);
    expect(zero.body.message).toContain('quantity');

    const swap = await ask([{ sku, quantity: 1 }], 'swap');
    expect(swap.status).toBe(400);
    expect(swap.body.message).toContain('resolution');

    const unknownOrder = await api.post('/api/orders/00000000-0000-4000-8000-000000000000/returns', {
      lines: [{ sku, quantity: 1 }],
      reason: 'x',
      resolution: 'refund',
    });
    expect(unknownOrder.status).toBe(404);
    expect(await returnRows(order.id)).toEqual([]);
  });

  it('never refunds more than the order paid, however its returns ask', async () => {
    const { order, sku } = await shippedOrder();
    const returnOf = async (quantity: number) => {
      const created = await api.post<Return>(`/api/orders/${order.id}/returns`, {
        lines: [{ sku, quantity }],
        reason: 'Faulty',
        resolution: 'refund',
      });
      expect(created.status).toBe(201);
      await api.post(`/api/returns/${created.body.id}/approve`, {});
      await api.post(`/api/returns/${created.body.id}/receive`, {
        lines: [{ sku, quantity, condition: 'damaged' }],
      });
      return created.body.id;
    };
    const first = await returnOf(3);
    const second = await returnOf(2);

    // A goodwill refund of everything the order paid on the first return...
    const all = await api.post<Return>(`/api/returns/${first}/refund`, { amount: 5000 });
    expect(all.body).toMatchObject({ status: 'refunded', refundedAmount: 5000 });
    // ...leaves nothing for the second, whose default (2 × 10.00) is refused.
    const nothingLeft = await api.post<Refusal>(`/api/returns/${second}/refund`, {});
    expect(nothingLeft.status).toBe(409);
    expect(nothingLeft.body).toMatchObject({ status: 'received', field: 'amount' });
    expect(nothingLeft.body.message).toContain('more than the 0 the order still holds');
    expect((await refunds(order.id)).map((row) => Number(row.amount))).toEqual([5000]);
    const credit = await api.get<Refusal>(`/api/returns/${second}/credit-note`);
    expect(credit.status).toBe(409);
  });

  it('refunds exactly once while the gateway fails, even after it moved the money and lost the answer', async () => {
    const { order, sku } = await shippedOrder();
    const created = await api.post<Return>(`/api/orders/${order.id}/returns`, {
      lines: [{ sku, quantity: 1 }],
      reason: 'Broken seal',
      resolution: 'refund',
    });
    await api.post(`/api/returns/${created.body.id}/approve`, {});
    await api.post(`/api/returns/${created.body.id}/receive`, {
      lines: [{ sku, quantity: 1, condition: 'resellable' }],
    });

    // The first call refunds and then loses its answer; the second times out; the third answers.
    const calls: string[] = [];
    await stack.stopWorker();
    await stack.startWorker('returns-flaky-gateway', {
      gateway: () => {
        const real = creditLimitGateway(stack.orm.em.fork());
        return {
          ...real,
          refund: async (request) => {
            calls.push(request.idempotencyKey);
            if (calls.length === 1) {
              await real.refund(request);
              throw new Error('connection reset after the refund');
            }
            if (calls.length === 2) throw new Error('gateway timed out');
            return real.refund(request);
          },
        };
      },
    });
    try {
      const refunded = await api.post<Return>(`/api/returns/${created.body.id}/refund`, {});
      expect(refunded.body).toMatchObject({ status: 'refunded', refundedAmount: 1000 });
    } finally {
      await stack.stopWorker();
      await stack.startWorker();
    }
    expect(calls).toEqual(Array(3).fill(`return:${created.body.id}:refund`));
    expect(await refunds(order.id)).toEqual([
      { amount: '1000', idempotency_key: `return:${created.body.id}:refund` },
    ]);
  });

  it('approves a return worth no more than the orders’ auto-approval threshold at once, as the system', async () => {
    const small = await shippedOrder();
    const large = await shippedOrder();
    const rule = (await manager.get<Record<string, unknown>>('/api/settings/approval')).body;
    const { version: _version, ...limits } = rule;
    const set = await manager.put('/api/settings/approval', { ...limits, autoApproveBelow: 1500 });
    expect(set.status).toBe(200);
    try {
      const ask = (orderId: string, sku: string, quantity: number) =>
        api.post<Return>(`/api/orders/${orderId}/returns`, {
          lines: [{ sku, quantity }],
          reason: 'Not needed',
          resolution: 'refund',
        });
      const within = await ask(small.order.id, small.sku, 1); // 10.00
      const above = await ask(large.order.id, large.sku, 2); // 20.00
      expect([within.status, above.status]).toEqual([201, 201]);
      const approved = await eventually(
        () => api.get<Return>(`/api/returns/${within.body.id}`),
        (response) => response.body.status === 'approved',
      );
      expect(approved.body).toMatchObject({ status: 'approved', actions: ['reject', 'receive'] });
      const history = await manager.get<History>(`/api/orders/${small.order.id}/history`);
      const step = history.body.items.find((item) => item.kind === 'return.approved');
      expect(step?.actor?.username).toBe('system');
      expect(step?.details).toMatchObject({ rule: { autoApproveBelow: 1500 } });
      // Above the threshold a person decides, as before.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect((await api.get<Return>(`/api/returns/${above.body.id}`)).body.status).toBe('requested');
      const handle = stack.temporal.workflow.getHandle(returnWorkflowId(within.body.id));
      await Worker.runReplayHistory(
        { workflowBundle: { codePath: process.env.OMS_TEST_WORKFLOW_BUNDLE! } },
        await handle.fetchHistory(),
      );
    } finally {
      await manager.put('/api/settings/approval', limits);
    }
  });

  it('records a change its workflow makes before the request that created the return has committed', async () => {
    // The workflow starts inside the transaction that creates the return's row, and approves a return within
    // the threshold at once: on a loaded machine (a CI run beside others) it recorded the approval before that
    // transaction committed, the write found no row yet, and the return showed `requested` for good while its
    // workflow had approved it. Here the creating transaction stays open while the approval is recorded.
    const { order, sku } = await shippedOrder();
    const returnId = randomUUID();
    let recording: Promise<void> | undefined;
    const created = await new ReturnRepository(stack.orm.em.fork()).create(
      {
        returnId,
        orderId: order.id,
        lines: [{ sku, quantity: 1 }],
        reason: 'Not needed',
        resolution: 'refund',
        actor: SYSTEM_ACTOR,
        now: new Date(),
      },
      async (snapshot) => {
        const at = new Date().toISOString();
        recording = new ReturnRepository(stack.orm.em.fork()).record(
          { ...snapshot, status: 'approved', version: 2, updatedAt: at },
          {
            returnId,
            orderId: order.id,
            version: 2,
            kind: 'return.approved',
            actor: SYSTEM_ACTOR,
            at,
            details: {},
          },
        );
        await new Promise((resolve) => setTimeout(resolve, 500));
      },
    );
    expect(created.ok).toBe(true);
    await recording;
    const rows = await stack.orm.em
      .fork()
      .getConnection()
      .execute<{ status: string; version: number }[]>(
        'select status, version from order_returns where id = ?',
        [returnId],
      );
    expect(rows).toEqual([{ status: 'approved', version: 2 }]);
  });

  it('lets managers set the window, and refuses returns after it closed', async () => {
    const staffPut = await api.put('/api/settings/returns', { windowDays: 10, customerMayRequest: false });
    expect(staffPut.status).toBe(403);
    const before = (
      await api.get<{ windowDays: number; customerMayRequest: boolean }>('/api/settings/returns')
    ).body;
    const { order, sku } = await shippedOrder();
    const set = await manager.put('/api/settings/returns', { windowDays: 0, customerMayRequest: true });
    expect(set.body).toEqual({ windowDays: 0, customerMayRequest: true });
    try {
      const late = await api.post<Refusal>(`/api/orders/${order.id}/returns`, {
        lines: [{ sku, quantity: 1 }],
        reason: 'Late',
        resolution: 'refund',
      });
      expect(late.status).toBe(409);
      expect(late.body.message).toContain('return window of 0 days');
      const bad = await manager.put<Refusal>('/api/settings/returns', {
        windowDays: -1,
        customerMayRequest: true,
      });
      expect(bad.status).toBe(400);
      expect(bad.body.message).toContain('windowDays');
    } finally {
      await manager.put('/api/settings/returns', before);
    }
  });

  it('reports the return rate per product (returned of shipped) and the reasons, rejected returns left out', async () => {
    const { customerId, skus } = await seedCatalogue(api, [{ unitPrice: 1000, stockOnHand: 100 }]);
    const sku = skus[0]!;
    const orders: OrderBody[] = [];
    for (const index of [1, 2]) {
      const placed = await placeOrder(api, customerId, [{ sku, quantity: 5 }]);
      expect((await api.post(`/api/orders/${placed.id}/approve`, {})).status).toBe(200);
      const shipment = await api.post(`/api/orders/${placed.id}/shipments`, {
        lines: [{ sku, quantity: 5 }],
        carrier: 'SF Express',
        trackingNumber: `SF-R${index}-${placed.number}`,
      });
      expect(shipment.status).toBe(201);
      orders.push(placed);
    }
    const reason = `Too big ${sku}`;
    const ask = (orderId: string, quantity: number, why: string) =>
      api.post<Return>(`/api/orders/${orderId}/returns`, {
        lines: [{ sku, quantity }],
        reason: why,
        resolution: 'refund',
      });
    const first = await ask(orders[0]!.id, 2, reason);
    expect((await api.post(`/api/returns/${first.body.id}/approve`, {})).status).toBe(200);
    const received = await api.post<Return>(`/api/returns/${first.body.id}/receive`, {
      lines: [
        { sku, quantity: 1, condition: 'resellable' },
        { sku, quantity: 1, condition: 'damaged' },
      ],
    });
    expect(received.body.status).toBe('received');
    // The same reason typed otherwise counts as the same; a rejected return does not count at all.
    expect((await ask(orders[1]!.id, 1, `  ${reason.toUpperCase()} `)).status).toBe(201);
    const rejected = await ask(orders[1]!.id, 2, `Changed mind ${sku}`);
    expect(
      (await manager.post(`/api/returns/${rejected.body.id}/reject`, { reason: 'Outside the policy' }))
        .status,
    ).toBe(200);

    const today = new Date().toISOString().slice(0, 10);
    const query = `from=${today}&to=${today}&timeZone=UTC`;
    const report = await manager.get<{
      items: Record<string, unknown>[];
      reasons: { reason: string; returns: number; units: number }[];
    }>(`/api/reports/returns?${query}`);
    expect(report.status).toBe(200);
    expect(report.body.items.find((item) => item.sku === sku)).toEqual({
      productId: expect.any(String),
      sku,
      name: expect.any(String),
      returnedUnits: 3,
      returns: 2,
      damagedUnits: 1,
      shippedUnits: 10,
      returnRate: 0.3,
    });
    expect(report.body.reasons.filter((row) => row.reason.endsWith(sku.toLowerCase()))).toEqual([
      { reason: reason.toLowerCase(), returns: 2, units: 3 },
    ]);

    const csv = await manager.get<string>(`/api/reports/returns?${query}&format=csv`);
    expect(csv.status).toBe(200);
    expect(String(csv.body)).toContain('sku,name,returnedUnits,returns,damagedUnits,shippedUnits,returnRate');
    expect(String(csv.body)).toMatch(new RegExp(`${sku},[^\\n]*,3,2,1,10,0\\.3`));
    expect((await api.get(`/api/reports/returns?${query}`)).status).toBe(403);
  });
});
