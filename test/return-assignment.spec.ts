import { seedCatalogue } from './support/fixtures';
import type { ApiClient } from './support/http';
import { placeOrder } from './support/orders';
import { useStack } from './support/stack';

/**
 * Who works on a return (issue 26 for returns): claimed, unclaimed and assigned by the rules orders follow,
 * audited, and listed among the tasks while it waits for a person.
 */
type Assignee = { id: string; username: string; displayName: string } | null;
type Return = {
  id: string;
  number: string;
  orderId: string;
  status: string;
  actions: string[];
  assignee: Assignee;
};
type Me = { id: string; username: string };
type Task = {
  kind: string;
  orderId: string;
  returnId: string | null;
  number: string;
  awaiting: string;
  action: string;
  waitingSince: string;
  waitedSeconds: number;
  total: number;
  currency: string;
  assignee: Assignee;
};

describe('assignment of returns', () => {
  const t = useStack({
    anna: [['staff'], 'rassign-anna'],
    bert: [['staff'], 'rassign-bert'],
    boss: [['manager'], 'rassign-boss'],
  });
  let anna: Me;
  let bert: Me;
  let customerId: string;
  let sku: string;

  beforeAll(async () => {
    ({
      customerId,
      skus: [sku = ''],
    } = await seedCatalogue(t.boss, [{ unitPrice: 1000, stockOnHand: 10_000 }]));
    anna = (await t.anna.get<Me>('/api/auth/me')).body;
    bert = (await t.bert.get<Me>('/api/auth/me')).body;
  });

  /** A return of 1 of 2 shipped units, requested by Anna and waiting for approval. */
  async function requestedReturn(api: ApiClient = t.anna): Promise<Return> {
    const order = await placeOrder(api, customerId, [{ sku, quantity: 2 }]);
    expect((await api.post(`/api/orders/${order.id}/approve`, {})).status).toBe(200);
    const shipped = await api.post(`/api/orders/${order.id}/shipments`, {
      lines: [{ sku, quantity: 2 }],
      carrier: 'SF Express',
      trackingNumber: `SF-${order.number}`,
    });
    expect(shipped.status).toBe(201);
    const created = await api.post<Return>(`/api/orders/${order.id}/returns`, {
      lines: [{ sku, quantity: 1 }],
      reason: 'Too big',
      resolution: 'refund',
    });
    expect(created.status).toBe(201);
    return created.body;
  }

  const tasks = (api: ApiClient, scope: string) =>
    api.get<{ scope: string; items: Task[] }>(`/api/tasks?scope=${scope}&limit=200`);

  it('shows a new return as nobody’s, and the claimer as its assignee on the return and in the list', async () => {
    const ret = await requestedReturn();
    expect(ret.assignee).toBeNull();
    const claimed = await t.anna.post<Return>(`/api/returns/${ret.id}/claim`);
    expect(claimed.status).toBe(200);
    expect(claimed.body).toMatchObject({
      status: 'requested',
      assignee: { id: anna.id, username: 'rassign-anna', displayName: expect.any(String) },
      // As on orders, claiming is not among the state's actions.
      actions: ['approve', 'reject'],
    });
    expect((await t.bert.get<Return>(`/api/returns/${ret.id}`)).body.assignee?.id).toBe(anna.id);
    const listed = await t.bert.get<{ items: Return[] }>(`/api/returns?orderId=${ret.orderId}`);
    expect(listed.body.items.find((item) => item.id === ret.id)?.assignee?.id).toBe(anna.id);
    // The return's workflow moves it on under its assignee.
    const approved = await t.bert.post<Return>(`/api/returns/${ret.id}/approve`, {});
    expect(approved.body).toMatchObject({ status: 'approved', assignee: { id: anna.id } });
  });

  it('lets exactly one of two simultaneous claims win; the other is told who holds the return (409)', async () => {
    const ret = await requestedReturn();
    const [first, second] = await Promise.all([
      t.anna.post<Return>(`/api/returns/${ret.id}/claim`),
      t.bert.post<Return>(`/api/returns/${ret.id}/claim`),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    const winner = first.status === 200 ? first.body : second.body;
    const loser = (first.status === 409 ? first.body : second.body) as unknown as {
      assignee: Assignee;
      status: string;
    };
    expect(loser).toMatchObject({ assignee: { id: winner.assignee?.id }, status: 'requested' });
    expect((await t.boss.get<Return>(`/api/returns/${ret.id}`)).body.assignee?.id).toBe(winner.assignee?.id);
  });

  it('lets the holder claim again and unclaim, but not someone else on staff (403)', async () => {
    const ret = await requestedReturn();
    expect((await t.anna.post(`/api/returns/${ret.id}/claim`)).status).toBe(200);
    expect((await t.anna.post(`/api/returns/${ret.id}/claim`)).status).toBe(200);
    expect((await t.bert.post(`/api/returns/${ret.id}/unclaim`)).status).toBe(403);
    const freed = await t.anna.post<Return>(`/api/returns/${ret.id}/unclaim`);
    expect(freed.status).toBe(200);
    expect(freed.body.assignee).toBeNull();
    expect((await t.bert.post<Return>(`/api/returns/${ret.id}/claim`)).body.assignee?.id).toBe(bert.id);
  });

  it('lets a manager assign anyone, also taking the return from its holder; staff may name only themselves', async () => {
    const ret = await requestedReturn();
    await t.anna.post(`/api/returns/${ret.id}/claim`);
    expect((await t.anna.post(`/api/returns/${ret.id}/assign`, { userId: bert.id })).status).toBe(403);
    const taken = await t.bert.post(`/api/returns/${ret.id}/assign`, { userId: bert.id });
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ status: 'requested', assignee: { id: anna.id } });
    const moved = await t.boss.post<Return>(`/api/returns/${ret.id}/assign`, { userId: bert.id });
    expect(moved.status).toBe(200);
    expect(moved.body.assignee?.id).toBe(bert.id);
    expect((await t.boss.post('/api/returns/00000000-0000-4000-8000-000000000000/claim')).status).toBe(404);
    expect((await t.boss.post('/api/returns/not-a-uuid/assign', { userId: bert.id })).status).toBe(404);
  });

  it('refuses bad input with 400 naming the field, and changes nothing', async () => {
    const ret = await requestedReturn();
    await t.anna.post(`/api/returns/${ret.id}/claim`);
    for (const body of [{ userId: '00000000-0000-4000-8000-000000000000' }, { userId: 7 }, {}]) {
      const refused = await t.boss.post<{ message: string; field?: string }>(
        `/api/returns/${ret.id}/assign`,
        body,
      );
      expect(refused.status).toBe(400);
      expect(refused.body.message).toContain('userId');
    }
    expect((await t.boss.get<Return>(`/api/returns/${ret.id}`)).body.assignee?.id).toBe(anna.id);
    const trail = await t.boss.get<{ items: unknown[] }>(`/api/audit?entity=return&entityId=${ret.id}`);
    expect(trail.body.items).toHaveLength(1);
  });

  it('records in the return’s audit trail who assigned whom', async () => {
    const ret = await requestedReturn();
    await t.anna.post(`/api/returns/${ret.id}/claim`);
    await t.boss.post(`/api/returns/${ret.id}/assign`, { userId: bert.id });
    await t.bert.post(`/api/returns/${ret.id}/unclaim`);
    const trail = await t.boss.get<{
      items: {
        action: string;
        entity: string;
        at: string;
        actor: Me;
        before: { assignee: Assignee };
        after: { assignee: Assignee };
      }[];
    }>(`/api/audit?entity=return&entityId=${ret.id}`);
    expect(trail.status).toBe(200);
    expect(
      trail.body.items
        .map(({ action, actor, before, after }) => [
          action,
          actor.username,
          before.assignee?.username ?? null,
          after.assignee?.username ?? null,
        ])
        .reverse(),
    ).toEqual([
      ['return.claimed', 'rassign-anna', null, 'rassign-anna'],
      ['return.assigned', 'rassign-boss', 'rassign-anna', 'rassign-bert'],
      ['return.unclaimed', 'rassign-bert', 'rassign-bert', null],
    ]);
  });

  it('refuses to assign a rejected return (409 naming its status)', async () => {
    const ret = await requestedReturn();
    expect((await t.anna.post(`/api/returns/${ret.id}/reject`, { reason: 'worn' })).status).toBe(200);
    const claim = await t.anna.post(`/api/returns/${ret.id}/claim`);
    expect(claim.status).toBe(409);
    expect(claim.body).toMatchObject({ status: 'rejected' });
  });

  it('lists returns waiting for a person among the tasks, with the action they wait for, oldest wait first', async () => {
    const held = await requestedReturn();
    const free = await requestedReturn();
    await t.bert.post(`/api/returns/${held.id}/claim`);

    const mine = await tasks(t.bert, 'mine');
    expect(mine.status).toBe(200);
    const task = mine.body.items.find((item) => item.returnId === held.id);
    expect(task).toMatchObject({
      kind: 'return',
      orderId: held.orderId,
      number: held.number,
      awaiting: 'approval',
      action: 'approve',
      total: 1000,
      currency: 'CNY',
      assignee: { id: bert.id },
    });
    expect(task!.waitedSeconds).toBeGreaterThanOrEqual(0);
    expect(mine.body.items.every((item) => item.assignee?.id === bert.id)).toBe(true);

    const unassigned = await tasks(t.anna, 'unassigned');
    const freeTask = unassigned.body.items.find((item) => item.returnId === free.id);
    const fullOfOlder =
      unassigned.body.items.length === 200 &&
      unassigned.body.items.every((item) => Date.parse(item.waitingSince) <= Date.now());
    expect([freeTask !== undefined, fullOfOlder]).toContain(true);
    expect(unassigned.body.items.some((item) => item.returnId === held.id)).toBe(false);
    // Orders are still tasks, told apart by their kind.
    expect(unassigned.body.items.every((item) => ['order', 'return'].includes(item.kind))).toBe(true);

    const team = await tasks(t.boss, 'team');
    expect(team.body.items.find((item) => item.returnId === held.id)?.assignee?.id).toBe(bert.id);
    for (const list of [mine, unassigned, team]) {
      const since = list.body.items.map((item) => Date.parse(item.waitingSince));
      expect(since).toEqual([...since].sort((a, b) => a - b));
    }

    // Each step moves the return to its next wait and its next action; a rejected return is nobody's task.
    await t.bert.post(`/api/returns/${held.id}/approve`, {});
    expect((await tasks(t.bert, 'mine')).body.items.find((item) => item.returnId === held.id)).toMatchObject({
      awaiting: 'receipt',
      action: 'receive',
    });
    await t.bert.post(`/api/returns/${held.id}/reject`, { reason: 'never sent' });
    expect((await tasks(t.bert, 'mine')).body.items.some((item) => item.returnId === held.id)).toBe(false);
  });
});
