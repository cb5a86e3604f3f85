import { eventually, seedCatalogue } from './support/fixtures';
import { placeOrder } from './support/orders';
import { useStack } from './support/stack';

/**
 * Delegation while away (`PUT /api/auth/me/delegate`, issue 26): the person's tasks and notifications go to
 * the delegate until the moment set, on the server's clock, and back afterwards.
 */
type Me = { id: string; username: string };
type Delegation = {
  delegate: { id: string; username: string } | null;
  until: string | null;
  inForce: boolean;
};
type Inbox = { items: { kind: string; orderId: string }[] };
type Tasks = { items: { orderId: string }[] };
type Refusal = { statusCode: number; message: string; field?: string };

describe('delegation while away', () => {
  const t = useStack({
    away: [['staff'], 'deleg-away'],
    cover: [['staff'], 'deleg-cover'],
    boss: [['manager'], 'deleg-boss'],
    audit: [['auditor'], 'deleg-auditor'],
  });
  let away: Me;
  let cover: Me;
  let customerId: string;
  let sku: string;

  beforeAll(async () => {
    ({
      customerId,
      skus: [sku = ''],
    } = await seedCatalogue(t.boss, [{ unitPrice: 50_000, stockOnHand: 1_000 }]));
    away = (await t.away.get<Me>('/api/auth/me')).body;
    cover = (await t.cover.get<Me>('/api/auth/me')).body;
  });

  const delegate = (body: Record<string, unknown>) =>
    t.away.call<Delegation>('PUT', '/api/auth/me/delegate', body);
  const heldOrder = async () => {
    const order = await placeOrder(t.away, customerId, [{ sku, quantity: 1 }]);
    expect((await t.away.post(`/api/orders/${order.id}/claim`)).status).toBe(200);
    return order;
  };
  const news = async (api: typeof t.away, orderId: string) =>
    (await api.get<Inbox>('/api/notifications?limit=500')).body.items
      .filter((item) => item.orderId === orderId)
      .map((item) => item.kind);
  /** Approves the order and waits until `told` has heard of it; answers what `other` heard of it then. */
  const approveAndHear = async (orderId: string, told: typeof t.away, other: typeof t.away) => {
    expect((await t.boss.post(`/api/orders/${orderId}/approve`, {})).status).toBe(200);
    await eventually(
      () => news(told, orderId),
      (kinds) => kinds.includes('order.processing'),
    );
    // One activity writes every inbox of an occurrence at once: had the other been told, it would be there.
    return news(other, orderId);
  };

  it('reads the current delegation, and lists whom one may name (enabled staff, managers, admins)', async () => {
    const none = await delegate({ userId: null });
    expect(none.status).toBe(200);
    expect((await t.away.get<Delegation>('/api/auth/me/delegate')).body).toEqual({
      delegate: null,
      until: null,
      inForce: false,
    });
    const until = new Date(Date.now() + 7_200_000).toISOString();
    expect((await delegate({ userId: cover.id, until })).status).toBe(200);
    const read = await t.away.get<Delegation>('/api/auth/me/delegate');
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ delegate: { id: cover.id, username: 'deleg-cover' }, inForce: true });
    expect(new Date(read.body.until ?? '').toISOString()).toBe(until);
    // The delegate's own delegation is theirs: the cover delegates nothing.
    expect((await t.cover.get<Delegation>('/api/auth/me/delegate')).body.delegate).toBeNull();
    await delegate({ userId: null });

    const people = await t.away.get<{ items: { id: string; username: string; roles: string[] }[] }>(
      '/api/tasks/people',
    );
    expect(people.status).toBe(200);
    const names = people.body.items.map((person) => person.username);
    expect(names).toEqual(expect.arrayContaining(['deleg-away', 'deleg-cover', 'deleg-boss']));
    expect(names).not.toContain('deleg-auditor');
  });

  it('gives the delegate the person’s tasks and notifications while it is in force', async () => {
    const set = await delegate({ userId: cover.id, until: new Date(Date.now() + 3_600_000).toISOString() });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ delegate: { id: cover.id, username: 'deleg-cover' }, inForce: true });

    const waiting = await heldOrder();
    const coverTasks = (await t.cover.get<Tasks>('/api/tasks?scope=mine&limit=200')).body.items;
    expect(coverTasks.map((task) => task.orderId)).toContain(waiting.id);
    expect(await approveAndHear(waiting.id, t.cover, t.away)).not.toContain('order.processing');

    const ended = await delegate({ userId: null });
    expect(ended.body).toEqual({ delegate: null, until: null, inForce: false });
    const mineAgain = await heldOrder();
    expect(
      (await t.cover.get<Tasks>('/api/tasks?scope=mine&limit=200')).body.items.map((task) => task.orderId),
    ).not.toContain(mineAgain.id);
    expect(await approveAndHear(mineAgain.id, t.away, t.cover)).not.toContain('order.processing');
  });

  it('ends by itself at the moment set, on the server’s clock', async () => {
    const until = new Date(Date.now() + 2_000);
    expect((await delegate({ userId: cover.id, until: until.toISOString() })).body.inForce).toBe(true);
    const order = await heldOrder();
    await new Promise((resolve) => setTimeout(resolve, until.getTime() - Date.now() + 500));
    expect(await approveAndHear(order.id, t.away, t.cover)).not.toContain('order.processing');
    expect(
      (await t.cover.get<Tasks>('/api/tasks?scope=mine&limit=200')).body.items.map((task) => task.orderId),
    ).not.toContain(order.id);
    await delegate({ userId: null });
  });

  it('refuses oneself, someone unknown, a moment past or too far (400 naming the field), changing nothing', async () => {
    const now = Date.now();
    const hour = new Date(now + 3_600_000).toISOString();
    for (const [body, field] of [
      [{ userId: away.id, until: hour }, 'userId'],
      [{ userId: '00000000-0000-4000-8000-000000000000', until: hour }, 'userId'],
      [{ userId: cover.id, until: new Date(now - 1_000).toISOString() }, 'until'],
      [{ userId: cover.id, until: new Date(now + 400 * 86_400_000).toISOString() }, 'until'],
      [{ userId: cover.id }, 'until'],
      [{ userId: cover.id, until: 'tomorrow' }, 'until'],
      [{}, 'userId'],
    ] as const) {
      const refused = await t.away.call<Refusal>('PUT', '/api/auth/me/delegate', body);
      expect([refused.status, refused.body.message]).toEqual([400, expect.stringContaining(field)]);
    }
    const audit = (await t.audit.call<Refusal>('PUT', '/api/auth/me/delegate', { userId: null })).status;
    expect(audit).toBe(403);
    const order = await heldOrder();
    expect(
      (await t.cover.get<Tasks>('/api/tasks?scope=mine&limit=200')).body.items.map((task) => task.orderId),
    ).not.toContain(order.id);
  });
});
