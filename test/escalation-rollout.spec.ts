/**
 * A changed escalation policy goes to every order already waiting, on the task queue new orders are created
 * on. Signalled all at once, hundreds of waiting orders put as many workflow tasks ahead of each new order's
 * first: beside a CPU hog, order creation in another test file waited past its 20 s deadline and answered
 * 503 (fresh-clone .ci/run, 2026-12-06, with 322 orders waiting in the shared database). The rollout now
 * keeps at most eight signalled orders that have not taken the plan in yet. Shown here with the orders'
 * worker stopped, where nothing takes a plan in: the rollout waits instead of signalling them all.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { createEscalationActivities } from '../activities/escalation.activities';
import { orderWorkflowId } from '../workflows/order.definitions';
import { eventually, seedCatalogue } from './support/fixtures';
import type { ApiClient } from './support/http';
import { placeOrder, visibleAsWaiting } from './support/orders';
import { ownTaskQueue, startStack, type TestStack } from './support/stack';

const ORDERS = 12;
const SIGNALS_IN_FLIGHT = 8;

let stack: TestStack;
let clerk: ApiClient;

beforeAll(async () => {
  stack = await startStack({ env: ownTaskQueue('escalation-rollout') });
  clerk = await stack.client(['staff'], 'rollout-clerk');
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

it('keeps at most eight signalled orders waiting for the worker, and reaches the rest once they take it in', async () => {
  const { customerId, skus } = await seedCatalogue(clerk, [{ unitPrice: 12990 }]);
  const orders = [];
  for (let i = 0; i < ORDERS; i++) {
    const order = await placeOrder(clerk, customerId, [{ sku: skus[0]!, quantity: 1 }]);
    expect(order.awaiting).toBe('approval');
    orders.push(order);
  }
  const handles = orders.map((order) => stack.temporal.workflow.getHandle(orderWorkflowId(order.id)));
  // The rollout finds the orders through visibility, which is eventually consistent.
  expect(
    await visibleAsWaiting(
      stack.temporal,
      orders.map((order) => order.id),
    ),
  ).toBe(ORDERS);
  const pending = async () => {
    const described = await Promise.all(handles.map((handle) => handle.describe()));
    return described.filter((description) => description.raw.pendingWorkflowTask).length;
  };
  const signalled = async () => {
    let count = 0;
    for (const handle of handles) {
      const { events } = await handle.fetchHistory();
      const signals = (events ?? []).filter(
        (event) => event.workflowExecutionSignaledEventAttributes?.signalName === 'escalationPolicyChanged',
      );
      if (signals.length > 0) count++;
    }
    return count;
  };
  await stack.stopWorker();
  let workerStopped = true;
  expect(await pending()).toBe(0);

  const activities = createEscalationActivities({ em: () => stack.orm.em.fork(), client: stack.temporal });
  const environment = new MockActivityEnvironment();
  const stage = 'approval' as const;
  const rollout = environment
    .run(() => activities.sendEscalationPlan({ stage }))
    .catch((error: unknown) => error);
  try {
    // The newest waiting orders come first: these. Nothing takes a plan in, so eight wait and four are not
    // signalled yet (all twelve were, before).
    const reached = await eventually(pending, (count) => count >= SIGNALS_IN_FLIGHT, 60_000);
    expect(reached).toBe(SIGNALS_IN_FLIGHT);
    for (let sample = 0; sample < 6; sample++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await pending()).toBe(SIGNALS_IN_FLIGHT);
    }
    expect(await signalled()).toBe(SIGNALS_IN_FLIGHT);

    // The worker is back: the eight take the plan in, and the rollout goes on to the other four.
    await stack.startWorker();
    workerStopped = false;
    await eventually(signalled, (count) => count === ORDERS, 60_000);
    expect(await eventually(pending, (count) => count === 0, 60_000)).toBe(0);
  } finally {
    // The rest of the shared database's waiting orders are not this test's subject.
    environment.cancel();
    await rollout;
    if (workerStopped) await stack.startWorker();
    for (const order of orders) await clerk.post(`/api/orders/${order.id}/reject`, { reason: 'test over' });
  }
}, 240_000);
