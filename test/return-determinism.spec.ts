import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import type { EscalationPlan } from '../domain/escalation';
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

describe('a return replays as it ran', () => {
  const taskQueue = `return-determinism-${process.pid}`;
  let connection: NativeConnection;
  let clientConnection: Connection;
  let client: Client;
  let worker: Worker;
  let running: Promise<void>;
  let planLoads = 0;

  beforeAll(async () => {
    const address = process.env.OMS_TEST_TEMPORAL_PLAIN_ADDRESS!;
    connection = await NativeConnection.connect({ address });
    clientConnection = await Connection.connect({ address });
    client = new Client({ connection: clientConnection });
    worker = await Worker.create({
      connection,
      taskQueue,
      workflowBundle: { codePath: process.env.OMS_TEST_WORKFLOW_BUNDLE! },
      activities: {
        verifyCommand: () => Promise.resolve({ refusal: null }),
        recordReturn: () => Promise.resolve(),
        notifyReturn: () => Promise.resolve(),
        notifyReturnEscalated: () => Promise.resolve({ notified: [], inbox: 0 }),
        startReturnArchive: () => Promise.resolve(),
        // Every load after the first (the new wait an action starts) ends after the action's own work.
        escalationPlan: async () => {
          if (planLoads++ > 0) await new Promise((resolve) => setTimeout(resolve, 400));
          return plan;
        },
      },
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
    expect(await handle.executeUpdate(approveReturnUpdate, { args: [{ actor }] })).toMatchObject({
      status: 'approved',
    });
    // The watch has loaded the policy for the new wait (the receipt) and set its timer.
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(
      await handle.executeUpdate(rejectReturnUpdate, { args: [{ actor, reason: 'never sent' }] }),
    ).toMatchObject({ status: 'rejected' });
    expect(await handle.result()).toMatchObject({ status: 'rejected', version: 3 });
    expect(planLoads).toBe(2);

    await Worker.runReplayHistory(
      { workflowBundle: { codePath: process.env.OMS_TEST_WORKFLOW_BUNDLE! } },
      await handle.fetchHistory(),
    );
  });
});
