/**
 * Orders in flight survive the lean rewrite of the order workflow: orders started by a worker running the
 * code as deployed before it (the frozen `orderWorkflowV1` under the workflow's name) are finished by a worker
 * running today's code, which replays their histories on the old path (no `lean-workflow` marker), while a new
 * order takes the new path.
 */
import { bundleWorkflowCode } from '@temporalio/worker';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { WORKFLOW_INTERCEPTOR_MODULES } from '../worker/observability';
import { openV1Orders, runsOnV1 } from '../ops/legacy-orders';
import { orderWorkflowId } from '../workflows/order.definitions';
import { eventually, seedCatalogue } from './support/fixtures';
import type { ApiClient } from './support/http';
import { placeOrder, stockOf, type OrderBody } from './support/orders';
import { ownTaskQueue, startStack, type TestStack } from './support/stack';

let stack: TestStack;
let staff: ApiClient;
let auditor: ApiClient;
let legacyBundle: string;

beforeAll(async () => {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('./support/legacy/workflows'),
    workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} },
  });
  legacyBundle = path.join(process.env.OMS_TEST_DATA_DIR!, 'legacy-workflow-bundle.js');
  writeFileSync(legacyBundle, code);
  // The orders before the upgrade must be run by the old code only: a task queue of its own keeps a worker
  // of today's code (the suite's second one with OMS_TEST_WORKERS=2) from taking them.
  stack = await startStack({ worker: false, env: ownTaskQueue('upgrade') });
  staff = await stack.client(['staff'], 'upgrade-clerk');
  auditor = await stack.client(['auditor'], 'upgrade-auditor');
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

/** Whether the order's workflow was started by today's workflow, not the frozen v1. */
async function isLean(orderId: string): Promise<boolean> {
  return !(await runsOnV1(stack.temporal, orderWorkflowId(orderId)));
}

async function order(id: string): Promise<OrderBody> {
  return (await staff.get<OrderBody>(`/api/orders/${id}`)).body;
}

it('finishes orders started before the upgrade on the old path, and starts new ones on the new path', async () => {
  await stack.startWorker('before-upgrade', undefined, legacyBundle);
  const { customerId, skus } = await seedCatalogue(staff, [
    { unitPrice: 1000, stockOnHand: 100 },
    { unitPrice: 700, stockOnHand: 0 },
  ]);
  const [plenty, none] = [skus[0]!, skus[1]!];
  // One order at each wait the old code can leave behind.
  const waitingForApproval = await placeOrder(staff, customerId, [{ sku: plenty, quantity: 1 }]);
  const waitingForShipment = await placeOrder(staff, customerId, [{ sku: plenty, quantity: 2 }]);
  expect(
    (await staff.post<OrderBody>(`/api/orders/${waitingForShipment.id}/approve`, {})).body.awaiting,
  ).toBe('shipment');
  const shipped = await placeOrder(staff, customerId, [{ sku: plenty, quantity: 3 }]);
  await staff.post(`/api/orders/${shipped.id}/approve`, {});
  expect(
    (
      await staff.post<OrderBody>(`/api/orders/${shipped.id}/ship`, {
        carrier: 'SF',
        trackingNumber: 'SF-U1',
      })
    ).body.status,
  ).toBe('shipped');
  const waitingForStock = await placeOrder(staff, customerId, [{ sku: none, quantity: 1 }]);
  expect((await staff.post<OrderBody>(`/api/orders/${waitingForStock.id}/approve`, {})).body.awaiting).toBe(
    'stock',
  );
  const before = [waitingForApproval, waitingForShipment, shipped, waitingForStock];
  for (const { id } of before) expect(await isLean(id)).toBe(false);
  // What `npm run legacy:open` answers: these orders keep the frozen v1 code alive.
  const v1 = before.map(({ id }) => orderWorkflowId(id));
  expect((await openV1Orders(stack.temporal)).filter((id) => v1.includes(id)).sort()).toEqual(v1.sort());

  // The deploy: the old worker stops, today's starts (with an empty cache: every order replays).
  await stack.stopWorker();
  await stack.startWorker('after-upgrade');

  expect((await staff.post<OrderBody>(`/api/orders/${waitingForApproval.id}/approve`, {})).status).toBe(200);
  await staff.post(`/api/products/${(await stockOf(staff, none)).id}/stock`, {
    delta: 1,
    reason: 'delivery',
  });
  await eventually(
    () => order(waitingForStock.id),
    (o) => o.awaiting === 'shipment',
    30_000,
  );
  for (const id of [waitingForApproval.id, waitingForShipment.id, waitingForStock.id]) {
    const response = await staff.post<OrderBody>(`/api/orders/${id}/ship`, {
      carrier: 'EMS',
      trackingNumber: 'E-U',
    });
    expect(response.body.status).toBe('shipped');
  }
  for (const { id } of before) {
    expect((await staff.post<OrderBody>(`/api/orders/${id}/complete`, {})).body.status).toBe('completed');
    await stack.temporal.workflow.getHandle(orderWorkflowId(id)).result();
    expect(await isLean(id)).toBe(false);
    const verified = await auditor.post<{ ok: boolean }>(`/api/orders/${id}/history/verify`, {});
    expect([verified.status, verified.body.ok]).toEqual([200, true]);
  }

  const after = await placeOrder(staff, customerId, [{ sku: plenty, quantity: 1 }]);
  expect(await isLean(after.id)).toBe(true);
  expect((await openV1Orders(stack.temporal)).filter((id) => v1.includes(id))).toEqual([]);
}, 180_000);
