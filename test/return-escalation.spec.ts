import { Worker } from '@temporalio/worker';
import { returnWorkflowId } from '../workflows/return.definitions';
import { eventually, seedCatalogue } from './support/fixtures';
import type { ApiClient } from './support/http';
import { placeOrder } from './support/orders';
import { useStack } from './support/stack';

/**
 * Escalation stage `return` (issue 25): a return waiting for approval or for its units past the policy's
 * intervals reminds the people the policy names, its assignee instead of the other members of their roles.
 */
type Return = { id: string; number: string; orderId: string; status: string };
type Policy = { stage: string; levels: { after: string; notify: string[] }[]; version: number };
type Inbox = { items: { kind: string; orderId: string; title: string; body: string }[] };

describe('escalation of returns', () => {
  // Declared before the stack's own afterAll, so it runs while the API still answers: returns are not
  // reminded of in the other files.
  afterAll(async () => {
    await t.boss.put('/api/escalation-policies/return', { levels: [] });
  });
  const t = useStack({
    anna: [['staff'], 'resc-anna'],
    bert: [['staff'], 'resc-bert'],
    boss: [['manager'], 'resc-boss'],
  });
  let customerId: string;
  let sku: string;

  beforeAll(async () => {
    ({
      customerId,
      skus: [sku = ''],
    } = await seedCatalogue(t.boss, [{ unitPrice: 1000, stockOnHand: 10_000 }]));
  });

  async function requestedReturn(): Promise<Return> {
    const order = await placeOrder(t.anna, customerId, [{ sku, quantity: 2 }]);
    expect((await t.anna.post(`/api/orders/${order.id}/approve`, {})).status).toBe(200);
    const shipped = await t.anna.post(`/api/orders/${order.id}/shipments`, {
      lines: [{ sku, quantity: 2 }],
      carrier: 'SF Express',
      trackingNumber: `SF-${order.number}`,
    });
    expect(shipped.status).toBe(201);
    const created = await t.anna.post<Return>(`/api/orders/${order.id}/returns`, {
      lines: [{ sku, quantity: 1 }],
      reason: 'Too big',
      resolution: 'refund',
    });
    expect(created.status).toBe(201);
    return created.body;
  }

  const reminders = async (api: ApiClient, number: string) =>
    (await api.get<Inbox>('/api/notifications?limit=500')).body.items.filter(
      (item) => item.kind === 'return.escalated' && item.title.includes(number),
    );

  it('lists the stage `return`, off at first, and refuses a bad policy naming the field, changing nothing', async () => {
    const policies = (await t.boss.get<{ items: Policy[] }>('/api/escalation-policies')).body.items;
    expect(policies.map((policy) => policy.stage)).toEqual(['approval', 'shipment', 'delivery', 'return']);
    const before = policies.find((policy) => policy.stage === 'return');
    const refused = await t.boss.put<{ message: string }>('/api/escalation-policies/return', {
      levels: [{ after: 'two hours', notify: ['manager'] }],
    });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain('levels[0].after');
    const after = (await t.boss.get<{ items: Policy[] }>('/api/escalation-policies')).body.items;
    expect(after.find((policy) => policy.stage === 'return')).toEqual(before);
    expect((await t.anna.put('/api/escalation-policies/return', { levels: [] })).status).toBe(403);
  });

  it('reminds the people responsible of a return waiting for approval, then for its units', async () => {
    const set = await t.boss.put<Policy>('/api/escalation-policies/return', {
      levels: [{ after: 'PT6S', notify: ['staff', 'resc-boss'] }],
    });
    expect(set.status).toBe(200);
    // Claimed at once, well before its first reminder falls due (on a loaded machine a shorter interval
    // let the reminder come before the claim).
    const held = await requestedReturn();
    expect((await t.anna.post(`/api/returns/${held.id}/claim`)).status).toBe(200);
    const free = await requestedReturn();

    // The named manager hears of both; of the staff, the holder alone hears of the held return.
    const boss = await eventually(
      async () => [...(await reminders(t.boss, held.number)), ...(await reminders(t.boss, free.number))],
      (items) => items.length >= 2,
      30_000,
    );
    expect(boss).toHaveLength(2);
    expect(boss[0]).toMatchObject({ orderId: expect.any(String) });
    expect(await reminders(t.anna, held.number)).toHaveLength(1);
    expect(
      await eventually(
        () => reminders(t.bert, free.number),
        (items) => items.length === 1,
      ),
    ).toHaveLength(1);
    expect(await reminders(t.bert, held.number)).toHaveLength(0);
    const [reminder] = await reminders(t.anna, held.number);
    expect(reminder).toMatchObject({ orderId: held.orderId });
    expect(reminder!.body).toContain(held.number);

    // Approved: a new wait, for the units, reminded of again once its interval has passed.
    expect((await t.anna.post(`/api/returns/${held.id}/approve`, {})).status).toBe(200);
    expect(
      await eventually(
        () => reminders(t.anna, held.number),
        (items) => items.length === 2,
        30_000,
      ),
    ).toHaveLength(2);

    // Rejected: no more waits, the workflow ends, and its history replays against today's code.
    expect((await t.anna.post(`/api/returns/${held.id}/reject`, { reason: 'never sent' })).status).toBe(200);
    const handle = t.stack.temporal.workflow.getHandle(returnWorkflowId(held.id));
    expect(await handle.result()).toMatchObject({ status: 'rejected' });
    await Worker.runReplayHistory(
      { workflowBundle: { codePath: process.env.OMS_TEST_WORKFLOW_BUNDLE! } },
      await handle.fetchHistory(),
    );
    expect(await reminders(t.anna, held.number)).toHaveLength(2);
    await t.anna.post(`/api/returns/${free.id}/reject`, { reason: 'done' });
  });

  it('reminds of a received return until it is refunded, and its history replays', async () => {
    const set = await t.boss.put<Policy>('/api/escalation-policies/return', {
      levels: [{ after: 'PT4S', notify: ['resc-boss'] }],
    });
    expect(set.status).toBe(200);
    const received = await requestedReturn();
    expect((await t.anna.post(`/api/returns/${received.id}/approve`, {})).status).toBe(200);
    const receipt = await t.anna.post(`/api/returns/${received.id}/receive`, {
      lines: [{ sku, quantity: 1, condition: 'resellable' }],
    });
    expect(receipt.status).toBe(200);
    const refundWait = (items: Inbox['items']) =>
      items.filter((item) => item.body.includes('the refund') || item.body.includes('退款'));
    expect(
      refundWait(
        await eventually(
          () => reminders(t.boss, received.number),
          (items) => refundWait(items).length >= 1,
          30_000,
        ),
      ),
    ).toHaveLength(1);

    const refunded = await t.anna.post<Return>(`/api/returns/${received.id}/refund`, {});
    expect(refunded.body).toMatchObject({ status: 'refunded' });
    // Refunded: no longer waiting for a person, so nobody is reminded again.
    const after = (await reminders(t.boss, received.number)).length;
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    expect(await reminders(t.boss, received.number)).toHaveLength(after);
    expect((await t.anna.post(`/api/returns/${received.id}/close`, {})).status).toBe(200);
    const handle = t.stack.temporal.workflow.getHandle(returnWorkflowId(received.id));
    expect(await handle.result()).toMatchObject({ status: 'closed' });
    await Worker.runReplayHistory(
      { workflowBundle: { codePath: process.env.OMS_TEST_WORKFLOW_BUNDLE! } },
      await handle.fetchHistory(),
    );
  });

  it('brings a changed policy to returns already waiting', async () => {
    await t.boss.put('/api/escalation-policies/return', { levels: [] });
    const waiting = await requestedReturn();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await reminders(t.boss, waiting.number)).toHaveLength(0);
    const set = await t.boss.put<{ appliedTo: number }>('/api/escalation-policies/return', {
      levels: [{ after: 'PT3S', notify: ['resc-boss'] }],
    });
    expect(set.status).toBe(200);
    expect(
      await eventually(
        () => reminders(t.boss, waiting.number),
        (items) => items.length === 1,
        30_000,
      ),
    ).toHaveLength(1);
    await t.anna.post(`/api/returns/${waiting.id}/reject`, { reason: 'done' });
  });
});
