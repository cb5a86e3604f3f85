/**
 * A release rolled out while orders wait: orders started by workers of release N (the workflow code of the
 * commit before the newest change to workflows/ or domain/, bundled from git by scripts/release-bundle.ts)
 * are finished by workers of release N+1 (this checkout's code) after N's workers stopped. Before the switch
 * the replay gate replays what release N recorded against N+1's code; after it, every order completes and no
 * workflow task failed (a nondeterminism error fails the task and would show in the history).
 */
import { Worker } from '@temporalio/worker';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  bundleWorkflowsAt,
  previousWorkflowRelease,
  sameWorkflowCode,
  type Release,
} from '../scripts/release-bundle';
import { orderWorkflowId } from '../workflows/order.definitions';
import type { ApiClient } from './support/http';
import { ownTaskQueue, startStack, type TestStack } from './support/stack';
import { finishWaitingOrders, placeOrdersAtEveryWait } from './support/waiting-orders';

let stack: TestStack;
let staff: ApiClient;
let release: Release;
let releaseBundle: string;
const nextBundle = process.env.OMS_TEST_WORKFLOW_BUNDLE!;

beforeAll(async () => {
  release = previousWorkflowRelease();
  releaseBundle = path.join(process.env.OMS_TEST_DATA_DIR!, `release-${release.commit.slice(0, 8)}.js`);
  await bundleWorkflowsAt(release.commit, releaseBundle);
  // Release N's orders must be run by N's code only until the switch: a task queue of its own keeps the
  // suite's other worker (today's code, with OMS_TEST_WORKERS=2) from taking them.
  stack = await startStack({ worker: false, env: ownTaskQueue('release-upgrade') });
  staff = await stack.client(['staff'], 'release-clerk');
}, 180_000);

afterAll(async () => {
  await stack?.close();
});

it('finishes every order release N left waiting on release N+1, after the replay gate passed on their histories', async () => {
  // N really is other workflow code than N+1's.
  expect(sameWorkflowCode(release.commit)).toBe(false);
  expect(readFileSync(releaseBundle, 'utf8')).not.toEqual(readFileSync(nextBundle, 'utf8'));

  await stack.startWorker('release-N', undefined, releaseBundle);
  const orders = await placeOrdersAtEveryWait(staff, 'N');
  const handles = orders.all.map(({ id }) => stack.temporal.workflow.getHandle(orderWorkflowId(id)));

  // The gate: the histories release N recorded replay against N+1's code.
  const histories = await Promise.all(
    handles.map(async (handle) => ({ workflowId: handle.workflowId, history: await handle.fetchHistory() })),
  );
  const replays: { workflowId: string; error: string | null }[] = [];
  for await (const result of Worker.runReplayHistories(
    { workflowBundle: { codePath: nextBundle } },
    histories,
  ))
    replays.push({ workflowId: result.workflowId, error: result.error ? String(result.error) : null });
  expect(replays).toEqual(histories.map(({ workflowId }) => ({ workflowId, error: null })));

  // The switch: N's worker stops with the orders waiting; N+1's starts with an empty cache, so each order's
  // next task replays its whole history on N+1's code.
  await stack.stopWorker();
  const next = await stack.startWorker('release-N+1');
  await finishWaitingOrders(staff, orders, 'N1');

  for (const handle of handles) {
    await handle.result();
    const events = (await handle.fetchHistory()).events ?? [];
    const failedTasks = events.filter((event) => event.workflowTaskFailedEventAttributes);
    expect({ workflowId: handle.workflowId, failedTasks }).toEqual({
      workflowId: handle.workflowId,
      failedTasks: [],
    });
    // Both releases ran this order: N before the switch, N+1 after it.
    const identities = new Set(
      events.map((event) => event.workflowTaskCompletedEventAttributes?.identity).filter(Boolean),
    );
    expect(identities).toEqual(new Set(['release-N', next]));
  }
}, 180_000);
