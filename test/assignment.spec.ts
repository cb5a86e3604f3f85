import { eventually, seedCatalogue } from './support/fixtures';
import { placeOrder, type OrderBody } from './support/orders';
import { useStack } from './support/stack';

type Assignee = { id: string; username: string; displayName: string } | null;
type Assigned = OrderBody & { assignee: Assignee };
type Me = { id: string; username: string };

describe('assignment of orders', () => {
  const t = useStack({
    anna: [['staff'], 'assign-anna'],
    bert: [['staff'], 'assign-bert'],
    boss: [['manager'], 'assign-boss'],
  });
  let customerId: string;
  let sku: string;
  let anna: Me;
  let bert: Me;

  beforeAll(async () => {
    ({
      customerId,
      skus: [sku = ''],
    } = await seedCatalogue(t.boss, [{ unitPrice: 50_000, stockOnHand: 10_000 }]));
    anna = (await t.anna.get<Me>('/api/auth/me')).body;
    bert = (await t.bert.get<Me>('/api/auth/me')).body;
  });

  /** An order that waits for a person's approval (above any automatic approval). */
  const waitingOrder = () => placeOrder(t.anna, customerId, [{ sku, quantity: 1 }]);

  it('shows a new order as nobody’s, and the claimer as its assignee on the order and in the list', async () => {
    const order = await waitingOrder();
    expect(order.assignee).toBeNull();
    const claimed = await t.anna.post<Assigned>(`/api/orders/${order.id}/claim`);
    expect(claimed.status).toBe(200);
    expect(claimed.body.assignee).toEqual({
      id: anna.id,
      username: 'assign-anna',
      displayName: expect.any(String),
    });
    expect((await t.bert.get<Assigned>(`/api/orders/${order.id}`)).body.assignee?.id).toBe(anna.id);
    const page = await t.bert.get<{ items: Assigned[] }>(`/api/orders?q=${order.number}`);
    expect(page.body.items.find((item) => item.id === order.id)?.assignee?.id).toBe(anna.id);
  });

  it('lets exactly one of two simultaneous claims win; the other is told who holds the order (409)', async () => {
    const order = await waitingOrder();
    const [first, second] = await Promise.all([
      t.anna.post<Assigned>(`/api/orders/${order.id}/claim`),
      t.bert.post<Assigned>(`/api/orders/${order.id}/claim`),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    const winner = first.status === 200 ? first.body : second.body;
    const loser = (first.status === 409 ? first.body : second.body) as unknown as { assignee: Assignee };
    expect(loser.assignee?.id).toBe(winner.assignee?.id);
    expect((await t.boss.get<Assigned>(`/api/orders/${order.id}`)).body.assignee?.id).toBe(
      winner.assignee?.id,
    );
  });

  it('lets the holder claim again and unclaim, but not someone else on staff (403)', async () => {
    const order = await waitingOrder();
    expect((await t.anna.post(`/api/orders/${order.id}/claim`)).status).toBe(200);
    expect((await t.anna.post(`/api/orders/${order.id}/claim`)).status).toBe(200);
    expect((await t.bert.post(`/api/orders/${order.id}/unclaim`)).status).toBe(403);
    const freed = await t.anna.post<Assigned>(`/api/orders/${order.id}/unclaim`);
    expect(freed.status).toBe(200);
    expect(freed.body.assignee).toBeNull();
    expect((await t.bert.post<Assigned>(`/api/orders/${order.id}/claim`)).body.assignee?.id).toBe(bert.id);
  });

  it('lets a manager assign anyone, also taking the order from its holder; staff may name only themselves', async () => {
    const order = await waitingOrder();
    await t.anna.post(`/api/orders/${order.id}/claim`);
    expect((await t.anna.post(`/api/orders/${order.id}/assign`, { userId: bert.id })).status).toBe(403);
    expect((await t.bert.post(`/api/orders/${order.id}/assign`, { userId: bert.id })).status).toBe(409);
    const moved = await t.boss.post<Assigned>(`/api/orders/${order.id}/assign`, { userId: bert.id });
    expect(moved.status).toBe(200);
    expect(moved.body.assignee?.id).toBe(bert.id);
    const unknown = await t.boss.post(`/api/orders/${order.id}/assign`, {
      userId: '00000000-0000-4000-8000-000000000000',
    });
    expect(unknown.status).toBe(400);
    expect((await t.boss.post('/api/orders/00000000-0000-4000-8000-000000000000/claim')).status).toBe(404);
  });

  it('records in the order’s audit trail who assigned whom, and when', async () => {
    const order = await waitingOrder();
    await t.anna.post(`/api/orders/${order.id}/claim`);
    await t.boss.post(`/api/orders/${order.id}/assign`, { userId: bert.id });
    await t.bert.post(`/api/orders/${order.id}/unclaim`);
    const trail = await t.boss.get<{
      items: {
        action: string;
        at: string;
        actor: Me;
        before: { assignee: Assignee };
        after: { assignee: Assignee };
      }[];
    }>(`/api/audit?entity=order&entityId=${order.id}`);
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
      ['order.claimed', 'assign-anna', null, 'assign-anna'],
      ['order.assigned', 'assign-boss', 'assign-anna', 'assign-bert'],
      ['order.unclaimed', 'assign-bert', 'assign-bert', null],
    ]);
    for (const entry of trail.body.items) expect(Date.parse(entry.at)).not.toBeNaN();
  });

  it('refuses to assign a closed order (409)', async () => {
    const order = await waitingOrder();
    expect((await t.anna.post(`/api/orders/${order.id}/cancel`, { reason: 'duplicate' })).status).toBe(200);
    await eventually(
      () => t.anna.get<Assigned>(`/api/orders/${order.id}`),
      (response) => response.body.status === 'cancelled',
    );
    const claim = await t.anna.post(`/api/orders/${order.id}/claim`);
    expect(claim.status).toBe(409);
    expect(claim.body).toMatchObject({ status: 'cancelled' });
  });

  it('keeps the assignment across a worker restart, and the order moves on under its assignee', async () => {
    const order = await waitingOrder();
    await t.anna.post(`/api/orders/${order.id}/claim`);
    await t.stack.stopWorker();
    await t.stack.startWorker();
    const approved = await t.boss.post<Assigned>(`/api/orders/${order.id}/approve`, {});
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'processing', assignee: { id: anna.id } });
  });

  it('tells the assignee of an order’s news instead of the rest of staff; nobody’s order reaches all of staff', async () => {
    type Inbox = { items: { kind: string; orderId: string }[] };
    const news = async (api: typeof t.anna, orderId: string) =>
      (await api.get<Inbox>('/api/notifications?limit=500')).body.items
        .filter((item) => item.orderId === orderId)
        .map((item) => item.kind);
    const held = await waitingOrder();
    // Placed before anyone held it: every member of staff heard of it.
    await eventually(
      () => news(t.bert, held.id),
      (kinds) => kinds.includes('order.created'),
    );
    await t.anna.post(`/api/orders/${held.id}/claim`);
    expect((await t.boss.post(`/api/orders/${held.id}/approve`, {})).status).toBe(200);
    await eventually(
      () => news(t.anna, held.id),
      (kinds) => kinds.includes('order.processing'),
    );
    // One activity writes every inbox of an occurrence at once: had Bert been told, it would be there now.
    expect(await news(t.bert, held.id)).not.toContain('order.processing');
  });

  type Task = {
    orderId: string;
    awaiting: string;
    action: string;
    waitingSince: string;
    waitedSeconds: number;
    assignee: Assignee;
  };
  const tasks = (api: typeof t.anna, scope: string) =>
    api.get<{ scope: string; items: Task[] }>(`/api/tasks?scope=${scope}&limit=200`);

  it('lists what waits for whom: mine, unassigned and team, oldest wait first, with the action and time waited', async () => {
    const held = await waitingOrder();
    const free = await waitingOrder();
    await t.bert.post(`/api/orders/${held.id}/claim`);

    const mine = await tasks(t.bert, 'mine');
    expect(mine.status).toBe(200);
    const mineTask = mine.body.items.find((task) => task.orderId === held.id);
    expect(mineTask).toMatchObject({ awaiting: 'approval', action: 'approve', assignee: { id: bert.id } });
    expect(mineTask!.waitedSeconds).toBeGreaterThanOrEqual(0);
    expect(mine.body.items.every((task) => task.assignee?.id === bert.id)).toBe(true);
    expect(mine.body.items.some((task) => task.orderId === free.id)).toBe(false);

    const unassigned = await tasks(t.anna, 'unassigned');
    // Oldest wait first, 200 at most: the new order is listed unless 200 that waited longer fill the page
    // (the suite's other files leave orders waiting in the same database).
    const listed = unassigned.body.items.some((task) => task.orderId === free.id);
    const fullOfOlder =
      unassigned.body.items.length === 200 &&
      unassigned.body.items.every((task) => task.waitingSince <= String(free.awaitingSince));
    expect([listed, fullOfOlder]).toContain(true);
    expect(unassigned.body.items.some((task) => task.orderId === held.id)).toBe(false);
    expect(unassigned.body.items.every((task) => task.assignee === null)).toBe(true);

    const team = await tasks(t.boss, 'team');
    expect(team.body.items.find((task) => task.orderId === held.id)?.assignee?.id).toBe(bert.id);
    for (const list of [mine, unassigned, team]) {
      const since = list.body.items.map((task) => Date.parse(task.waitingSince));
      expect(since).toEqual([...since].sort((a, b) => a - b));
    }
  });

  it('drops an order from the tasks once nothing waits for a person, and refuses an unknown scope (400)', async () => {
    const order = await waitingOrder();
    await t.anna.post(`/api/orders/${order.id}/claim`);
    await t.boss.post(`/api/orders/${order.id}/cancel`, { reason: 'not needed' });
    // Cancelling releases stock and payment first; the order's row follows when the workflow closes it.
    const mine = await eventually(
      () => tasks(t.anna, 'mine'),
      (response) => !response.body.items.some((task) => task.orderId === order.id),
    );
    expect(mine.body.items.some((task) => task.orderId === order.id)).toBe(false);
    expect((await tasks(t.anna, 'everyone')).status).toBe(400);
  });
});
