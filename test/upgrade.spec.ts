/**
 * Orders in flight survive the lean rewrite of the order workflow: orders started by a worker running the
 * code as deployed before it (the frozen `orderWorkflowV1` under the workflow's name) are finished by a worker
 * running today's code, which replays their histories on the old path (no `lean-workflow` marker), while a new
 * order takes the new path.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { Worker, bundleWorkflowCode } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { WORKFLOW_INTERCEPTOR_MODULES } from '../worker/observability';
import { openV1Orders, runsOnV1 } from '../ops/legacy-orders';
import { approveUpdate, cancelUpdate, orderWorkflowId } from '../workflows/order.definitions';
import { seedCatalogue } from './support/fixtures';
import type { ApiClient } from './support/http';
import { placeOrder } from './support/orders';
import { ownTaskQueue, startStack, type TestStack } from './support/stack';
import { finishWaitingOrders, placeOrdersAtEveryWait } from './support/waiting-orders';

let stack: TestStack;
let staff: ApiClient;
let auditor: ApiClient;
let manager: ApiClient;
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
  manager = await stack.client(['manager'], 'upgrade-manager');
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

/** Whether the order's workflow was started by today's workflow, not the frozen v1. */
async function isLean(orderId: string): Promise<boolean> {
  return !(await runsOnV1(stack.temporal, orderWorkflowId(orderId)));
}

it('finishes orders started before the upgrade on the old path, and starts new ones on the new path', async () => {
  await stack.startWorker('before-upgrade', undefined, legacyBundle);
  // One order at each wait the old code can leave behind.
  const orders = await placeOrdersAtEveryWait(staff, 'U');
  const before = orders.all;
  for (const { id } of before) expect(await isLean(id)).toBe(false);
  // What `npm run legacy:open` answers: these orders keep the frozen v1 code alive.
  const v1 = before.map(({ id }) => orderWorkflowId(id));
  expect((await openV1Orders(stack.temporal)).filter((id) => v1.includes(id)).sort()).toEqual(v1.sort());

  // The deploy: the old worker stops, today's starts (with an empty cache: every order replays).
  await stack.stopWorker();
  await stack.startWorker('after-upgrade');

  await finishWaitingOrders(staff, orders, 'U');
  for (const { id } of before) {
    await stack.temporal.workflow.getHandle(orderWorkflowId(id)).result();
    expect(await isLean(id)).toBe(false);
    const verified = await auditor.post<{ ok: boolean }>(`/api/orders/${id}/history/verify`, {});
    expect([verified.status, verified.body.ok]).toEqual([200, true]);
  }

  const { customerId, skus } = await seedCatalogue(staff, [{ unitPrice: 1000, stockOnHand: 10 }]);
  const after = await placeOrder(staff, customerId, [{ sku: skus[0]!, quantity: 1 }]);
  expect(await isLean(after.id)).toBe(true);
  expect((await openV1Orders(stack.temporal)).filter((id) => v1.includes(id))).toEqual([]);
}, 180_000);

it('refuses a forged staff action sent straight to Temporal for an order still running the old workflow', async () => {
  await stack.stopWorker();
  await stack.startWorker('before-signatures', undefined, legacyBundle);
  const { customerId, skus } = await seedCatalogue(staff, [{ unitPrice: 9_000_000, stockOnHand: 100 }]);
  // One order waits for a manager; another was approved by the old code (an action recorded unchecked).
  const waiting = await placeOrder(staff, customerId, [{ sku: skus[0]!, quantity: 10 }]);
  expect(waiting.awaiting).toBe('manager_approval');
  const approved = await placeOrder(staff, customerId, [{ sku: skus[0]!, quantity: 10 }]);
  expect((await manager.post(`/api/orders/${approved.id}/approve`, {})).status).toBe(200);

  await stack.stopWorker();
  await stack.startWorker('after-signatures');
  for (const { id } of [waiting, approved]) expect(await isLean(id)).toBe(false);

  // Someone who reaches Temporal's port, claiming to be a manager, unsigned or with a made-up signature.
  const mallory = { actor: { id: randomUUID(), username: 'mallory', roles: ['manager'] } };
  const handle = (orderId: string) => stack.temporal.workflow.getHandle(orderWorkflowId(orderId));
  await expect(handle(waiting.id).executeUpdate(approveUpdate, { args: [mallory] })).rejects.toBeInstanceOf(
    WorkflowUpdateFailedError,
  );
  const madeUp = { issuedAt: new Date().toISOString(), keyId: 'k', mac: 'AAAAAAAAAAAAAAAAAAAAAA' };
  await expect(
    handle(approved.id).executeUpdate(cancelUpdate, {
      args: [{ ...mallory, reason: 'x', signature: madeUp }],
    }),
  ).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
  const stateOf = async (id: string) => {
    const { body } = await staff.get<{ status: string; awaiting: string | null }>(`/api/orders/${id}`);
    return [body.status, body.awaiting];
  };
  expect(await stateOf(waiting.id)).toEqual(['created', 'manager_approval']);
  expect(await stateOf(approved.id)).toEqual(['processing', 'shipment']);

  // What the API sends still works on them, and their histories (unchecked actions, then checked ones) replay.
  expect((await manager.post(`/api/orders/${waiting.id}/approve`, {})).status).toBe(200);
  expect((await staff.post(`/api/orders/${approved.id}/cancel`, { reason: 'customer' })).status).toBe(200);
  expect(await stateOf(waiting.id)).toEqual(['processing', 'shipment']);
  for (const { id } of [waiting, approved]) {
    await Worker.runReplayHistory(
      { workflowBundle: { codePath: process.env.OMS_TEST_WORKFLOW_BUNDLE! } },
      await handle(id).fetchHistory(),
    );
  }
}, 180_000);
