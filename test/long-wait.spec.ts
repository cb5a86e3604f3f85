/**
 * An order that waits a long time for stock keeps a bounded history: past a set number of events it
 * continues as new under the same workflow id with its state, keeps its place in the queue for stock, and
 * its audit trail and replay verification span all its runs. The order here shipped part of itself first
 * (issue 24: "8 now and 2 after a restock, weeks apart"): weeks of waiting are what make a run continue as
 * new (the wait looks at the stock again every minute), and its shipments and what it holds carry over.
 * The test server's clock cannot be moved on this machine (see docs/shipments.md); the signals below make
 * the history as long as weeks would.
 */
import { orderWorkflowId, stockChangedSignal } from '../workflows/order.definitions';
import { CONTINUE_AFTER_EVENTS } from '../workflows/order/lifecycle';
import { eventually, seedCatalogue } from './support/fixtures';
import type { ApiClient } from './support/http';
import { placeOrder, stockOf, type OrderBody } from './support/orders';
import { startStack, type TestStack } from './support/stack';

let stack: TestStack;
let staff: ApiClient;
let auditor: ApiClient;

beforeAll(async () => {
  stack = await startStack();
  staff = await stack.client(['staff'], 'long-wait-clerk');
  auditor = await stack.client(['auditor'], 'long-wait-auditor');
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

it('continues a long wait for stock as new, first in line all along, and ships the rest when it comes', async () => {
  const { customerId, skus } = await seedCatalogue(staff, [{ unitPrice: 900, stockOnHand: 2 }]);
  const sku = skus[0]!;
  // 2 of 3 in stock: they leave now, the third waits.
  const placed = await staff.post<OrderBody>('/api/orders', {
    customerId,
    lines: [{ sku, quantity: 3 }],
    allowPartial: true,
  });
  expect(placed.status).toBe(201);
  const first = placed.body;
  await staff.post(`/api/orders/${first.id}/approve`, {});
  await eventually(
    async () => (await staff.get<OrderBody>(`/api/orders/${first.id}`)).body.awaiting,
    (awaiting) => awaiting === 'shipment',
  );
  const part = await staff.post<OrderBody>(`/api/orders/${first.id}/ship`, {
    carrier: 'SF',
    trackingNumber: 'SF-LONG-1',
  });
  expect({ status: part.status, body: part.body }).toMatchObject({
    status: 200,
    body: { status: 'processing', awaiting: 'stock', lines: [{ shippedQuantity: 2 }] },
  });
  const second = await placeOrder(staff, customerId, [{ sku, quantity: 1 }]);
  await staff.post(`/api/orders/${second.id}/approve`, {});

  // Every stock signal makes the first order look again (and wait again): its history grows.
  const handle = stack.temporal.workflow.getHandle(orderWorkflowId(first.id));
  const firstRun = (await handle.describe()).runId;
  let runId = firstRun;
  // The signals go in batches of 25, each taken in by the workflow before the next is sent: weeks of
  // waiting never bring 100 signals within one workflow task, and a test that did would meet a Temporal
  // limit instead (docs/testing.md, "A flood of signals"). Near the limit the run is looked at after every
  // signal, so that the next run receives hardly any: each one it receives adds events of its own.
  let nearLimit = false;
  for (let sent = 0; runId === firstRun && sent < CONTINUE_AFTER_EVENTS; sent++) {
    await handle.signal(stockChangedSignal);
    if (nearLimit || sent % 25 === 24) {
      const described = await eventually(
        () => handle.describe(),
        (description) => !description.raw.pendingWorkflowTask,
        60_000,
      );
      runId = described.runId;
      nearLimit = described.historyLength > CONTINUE_AFTER_EVENTS - 200;
    }
  }
  runId = await eventually(
    async () => (await handle.describe()).runId,
    (id) => id !== firstRun,
    60_000,
  );
  expect(runId).not.toBe(firstRun);
  const waiting = (await staff.get<OrderBody>(`/api/orders/${first.id}`)).body;
  expect([waiting.status, waiting.awaiting, waiting.createdAt]).toEqual([
    'processing',
    'stock',
    first.createdAt,
  ]);
  const history = (await handle.fetchHistory()).events ?? [];
  expect(history.length).toBeLessThan(100);

  // One unit arrives: the first order in line takes it, in its new run; the second keeps waiting.
  await staff.post(`/api/products/${(await stockOf(staff, sku)).id}/stock`, { delta: 1, reason: 'delivery' });
  await eventually(
    () => staff.get<OrderBody>(`/api/orders/${first.id}`),
    (response) => response.body.awaiting === 'shipment',
    30_000,
  );
  expect((await staff.get<OrderBody>(`/api/orders/${second.id}`)).body.awaiting).toBe('stock');
  // The rest leaves as the order's second shipment; the first, made in the earlier run, is still there.
  const rest = await staff.post<OrderBody & { shipments: { trackingNumber: string }[] }>(
    `/api/orders/${first.id}/ship`,
    {
      carrier: 'SF',
      trackingNumber: 'SF-LONG-2',
    },
  );
  expect(rest.body).toMatchObject({ status: 'shipped', lines: [{ shippedQuantity: 3 }] });
  expect(rest.body.shipments.map((shipment) => shipment.trackingNumber)).toEqual(['SF-LONG-1', 'SF-LONG-2']);

  const steps = await auditor.get<{ items: { kind: string }[] }>(`/api/orders/${first.id}/history`);
  const kinds = steps.body.items.map((step) => step.kind);
  expect(kinds[0]).toBe('order.created');
  expect(kinds).toContain('order.continued');
  expect(kinds.filter((kind) => kind === 'stock.unavailable').length).toBeGreaterThan(10);
  expect(kinds).toContain('stock.reserved');
  const verified = await auditor.post<{ ok: boolean; detail: string }>(
    `/api/orders/${first.id}/history/verify`,
    {},
  );
  expect([verified.status, verified.body.ok]).toEqual([200, true]);
  expect(verified.body.detail).toMatch(/in 2 runs/);

  await staff.post(`/api/orders/${second.id}/cancel`, { reason: 'done' });
}, 300_000);
