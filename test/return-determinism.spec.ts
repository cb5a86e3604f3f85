import { Client, Connection, WithStartWorkflowOperation, type WorkflowHandle } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import type { EscalationPlan } from '../domain/escalation';
import { eventually } from './support/fixtures';
import type { Actor } from '../domain/order';
import type { ReturnSnapshot } from '../domain/return';
import {
  approveReturnUpdate,
  RETURN_WORKFLOW,
  rejectReturnUpdate,
  returnWorkflowId,
} from '../workflows/return.definitions';

/**
 * A return's history replays as it ran, however the timings of its local activities fall. A staff action's
 * local activities and the escalation watch's ran side by side: live, each one's result arrived in an
 * activation of its own, in the order they finished; on replay, the SDK hands back every result the history
 * holds at once, so the watch's new timer came before the action's answer and the history no longer matched
 * (CI, 2026-12-05: "Timer machine does not handle this event: WorkflowExecutionUpdateCompleted"). Since then a
 * return does one thing with the outside world at a time.
 *
 * The workflow is the real one, on the real Temporal server; the activities are stand-ins whose timings the
 * test sets, since the timings are what it is about: the watch's second policy load finishes well after the
 * action's last notice, the order in which that CI run saw them.
 */
const actor: Actor = { id: randomUUID(), username: 'determinism', roles: ['staff'] };
const plan: EscalationPlan = {
  stage: 'return',
  version: 1,
  levels: [{ afterMs: 3_600_000, repeatMs: null, notify: ['manager'] }],
  calendar: null,
};

function requested(): ReturnSnapshot {
  const at = new Date().toISOString();
  return {
    returnId: randomUUID(),
    number: 'R-DETERMINISM',
    orderId: randomUUID(),
    currency: 'CNY',
    status: 'requested',
    resolution: 'refund',
    reason: 'Too big',
    lines: [{ sku: 'SKU-1', quantity: 1, unitPrice: 1000 }] as ReturnSnapshot['lines'],
    received: [],
    refundedAmount: null,
    rejection: null,
    createdBy: { id: actor.id, username: actor.username },
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
}

const workflowBundle = () => ({ codePath: process.env.OMS_TEST_WORKFLOW_BUNDLE! });

type StandIn = (input: never) => Promise<unknown>;

/** The return's activities as stand-ins, but for those a test times or watches. */
function standIns(watched: Record<string, StandIn>): Record<string, StandIn> {
  return {
    verifyCommand: () => Promise.resolve({ refusal: null }),
    recordReturn: () => Promise.resolve(),
    notifyReturn: () => Promise.resolve(),
    notifyReturnEscalated: () => Promise.resolve({ notified: [], inbox: 0 }),
    startReturnArchive: () => Promise.resolve(),
    escalationPlan: () => Promise.resolve(plan),
    ...watched,
  };
}

/** The return's history replays on the workflow code it ran on. */
async function replays(handle: WorkflowHandle): Promise<void> {
  await Worker.runReplayHistory({ workflowBundle: workflowBundle() }, await handle.fetchHistory());
}

describe('a return replays as it ran', () => {
  const taskQueue = `return-determinism-${process.pid}`;
  let connection: NativeConnection;
  let clientConnection: Connection;
  let client: Client;
  let worker: Worker;
  let running: Promise<void>;
  let planLoads = 0;
  let planLoadsDone = 0;

  beforeAll(async () => {
    const address = process.env.OMS_TEST_TEMPORAL_PLAIN_ADDRESS!;
    connection = await NativeConnection.connect({ address });
    clientConnection = await Connection.connect({ address });
    client = new Client({ connection: clientConnection });
    worker = await Worker.create({
      connection,
      taskQueue,
      workflowBundle: workflowBundle(),
      activities: standIns({
        // Every load after the first (the new wait an action starts) ends after the action's own work.
        escalationPlan: async () => {
          if (planLoads++ > 0) await new Promise((resolve) => setTimeout(resolve, 400));
          planLoadsDone++;
          return plan;
        },
      }),
    });
    running = worker.run();
  });

  afterAll(async () => {
    worker.shutdown();
    await running;
    await connection.close();
    await clientConnection.close();
  });

  it('approved and then rejected while its waits are watched', async () => {
    const snapshot = requested();
    const handle = await client.workflow.start(RETURN_WORKFLOW, {
      taskQueue,
      workflowId: returnWorkflowId(snapshot.returnId),
      args: [snapshot, {}],
    });
    // The return has had its first task (it loads the policy for the wait for approval) before the approval.
    expect(
      await eventually(
        () => Promise.resolve(planLoadsDone),
        (done) => done >= 1,
        30_000,
      ),
    ).toBe(1);
    expect(await handle.executeUpdate(approveReturnUpdate, { args: [{ actor }] })).toMatchObject({
      status: 'approved',
    });
    // The watch has loaded the policy for the new wait (the receipt) and set its timer.
    expect(
      await eventually(
        () => Promise.resolve(planLoadsDone),
        (done) => done >= 2,
        30_000,
      ),
    ).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(
      await handle.executeUpdate(rejectReturnUpdate, { args: [{ actor, reason: 'never sent' }] }),
    ).toMatchObject({ status: 'rejected' });
    expect(await handle.result()).toMatchObject({ status: 'rejected', version: 3 });
    expect(planLoads).toBe(2);

    await replays(handle);
  });

  /*
   * A staff action that reaches a return before its first task (its worker busy or down when staff act at
   * once) runs as soon as the workflow sets its handler. The customer's notice of the request was queued
   * after the handlers, so it ran after the approval and told of the approval a second time (deduplicated):
   * the customer never heard of the request (CI on the Temporal server on PostgreSQL, 2026-12-05, where the
   * test above met this schedule by chance). Update-with-start puts the approval in the return's first task.
   */
  it('tells of the request before a staff action that came with its first task', async () => {
    const told: string[] = [];
    const firstTask = await Worker.create({
      connection,
      taskQueue: `${taskQueue}-first-task`,
      workflowBundle: workflowBundle(),
      activities: standIns({
        notifyReturn: ({ snapshot }: { snapshot: ReturnSnapshot }) => {
          told.push(`${snapshot.status} v${snapshot.version}`);
          return Promise.resolve();
        },
      }),
    });
    const snapshot = requested();
    const start = new WithStartWorkflowOperation(RETURN_WORKFLOW, {
      taskQueue: `${taskQueue}-first-task`,
      workflowId: returnWorkflowId(snapshot.returnId),
      workflowIdConflictPolicy: 'FAIL',
      args: [snapshot, {}],
    });
    await firstTask.runUntil(async () => {
      const approved = await client.workflow.executeUpdateWithStart(approveReturnUpdate, {
        args: [{ actor }],
        startWorkflowOperation: start,
      });
      expect(approved).toMatchObject({ status: 'approved', version: 2 });
      const handle = await start.workflowHandle();
      await handle.executeUpdate(rejectReturnUpdate, { args: [{ actor, reason: 'changed my mind' }] });
      expect(await handle.result()).toMatchObject({ status: 'rejected', version: 3 });
      expect(told).toEqual(['requested v1', 'approved v2', 'rejected v3']);
      await replays(handle);
    });
  });
});
