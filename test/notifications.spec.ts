import { createNotificationActivities } from '../activities/notification.activities';
import { orderWorkflowId, orderQuery } from '../workflows/order.definitions';
import { eventually, seedCatalogue } from './support/fixtures';
import type { ApiClient } from './support/http';
import { placeOrder } from './support/orders';
import { startStack, type TestStack } from './support/stack';

type Inbox = {
  items: { id: string; kind: string; orderId: string; title: string; body: string; readAt: string | null }[];
};

describe('in-app notifications', () => {
  let stack: TestStack;
  let clerk: ApiClient;
  let englishClerk: ApiClient;
  let manager: ApiClient;

  beforeAll(async () => {
    stack = await startStack();
    clerk = await stack.client(['staff'], 'inbox-clerk');
    manager = await stack.client(['manager'], 'inbox-manager');
    englishClerk = await stack.client(['staff'], 'inbox-clerk-en');
    const admin = await stack.client(['admin'], 'admin');
    const users = await admin.get<{ items: { id: string; username: string }[] }>('/api/users');
    const en = users.body.items.find((user) => user.username === 'inbox-clerk-en')!;
    expect((await admin.patch(`/api/users/${en.id}`, { language: 'en' })).body).toMatchObject({
      language: 'en',
    });
  });
  afterAll(() => stack.close());

  const inboxFor = async (client: ApiClient, orderId: string, query = '') =>
    (await client.get<Inbox>(`/api/notifications${query}`)).body.items.filter((n) => n.orderId === orderId);

  it('tells each responsible person once per step, in their language', async () => {
    const { customerId, skus } = await seedCatalogue(clerk, [{ unitPrice: 12990 }]);
    const order = await placeOrder(clerk, customerId, [{ sku: skus[0]!, quantity: 2 }]);
    await clerk.post(`/api/orders/${order.id}/approve`, {});
    await clerk.post(`/api/orders/${order.id}/ship`, { carrier: 'SF Express', trackingNumber: 'SF777' });
    await clerk.post(`/api/orders/${order.id}/complete`, {});
    await stack.temporal.workflow.getHandle(orderWorkflowId(order.id)).result();

    const zh = await inboxFor(clerk, order.id);
    expect(zh.map((n) => n.kind).sort()).toEqual([
      'order.completed',
      'order.created',
      'order.processing',
      'order.shipped',
    ]);
    const shipped = zh.find((n) => n.kind === 'order.shipped')!;
    expect(shipped.title).toBe(`订单 ${order.number} 已发货`);
    expect(shipped.body).toBe(`订单 ${order.number} 已由 SF Express 发出，运单号 SF777。`);
    const en = await inboxFor(englishClerk, order.id);
    expect(en.find((n) => n.kind === 'order.created')!.body).toBe(
      `Order ${order.number} was placed for CN¥259.80 and is awaiting approval.`,
    );
    expect((await inboxFor(manager, order.id)).map((n) => n.kind).sort()).toEqual([
      'order.completed',
      'order.created',
    ]);
  });

  it('marks a notification read for its owner only', async () => {
    const { customerId, skus } = await seedCatalogue(clerk);
    const order = await placeOrder(clerk, customerId, [{ sku: skus[0]!, quantity: 1 }]);
    const [created] = await eventually(
      () => inboxFor(clerk, order.id, '?unread=true'),
      (items) => items.length > 0,
    );
    expect((await manager.post(`/api/notifications/${created!.id}/read`, {})).status).toBe(404);
    const read = await clerk.post<{ readAt: string | null }>(`/api/notifications/${created!.id}/read`, {});
    expect(read.status).toBe(200);
    expect(read.body.readAt).not.toBeNull();
    expect((await inboxFor(clerk, order.id, '?unread=true')).map((n) => n.id)).not.toContain(created!.id);
    expect((await clerk.get('/api/notifications?unread=maybe')).status).toBe(400);
  });

  it('delivers nothing twice when the activity runs again (a retry)', async () => {
    const { customerId, skus } = await seedCatalogue(clerk);
    const order = await placeOrder(clerk, customerId, [{ sku: skus[0]!, quantity: 1 }]);
    const snapshot = await stack.temporal.workflow.getHandle(orderWorkflowId(order.id)).query(orderQuery);
    const before = await eventually(
      () => inboxFor(clerk, order.id),
      (items) => items.length > 0,
    );
    const activities = createNotificationActivities({
      em: () => stack.orm.em.fork(),
      email: false,
      trackingLink: null,
      deliveryPolicy: { attempts: 8, retryIntervalMs: 5000 },
    });
    const notifyOrder = (input: Parameters<typeof activities.notifyOrder>[0]) =>
      activities.notifyOrder(input);
    const created = { ...snapshot, version: 1, status: 'created' as const };
    expect((await notifyOrder({ kind: 'order.created', order: created })).inbox).toBe(0);
    expect((await notifyOrder({ kind: 'order.created', order: created })).inbox).toBe(0);
    expect(await inboxFor(clerk, order.id)).toHaveLength(before.length);
  });

  it('lets a manager change who hears of a kind, from the next notice on, with the change audited', async () => {
    const put = (kind: string, body: unknown) => manager.put(`/api/settings/notifications/${kind}`, body);
    const changed = await put('order.processing', { roles: ['manager'] });
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ kind: 'order.processing', roles: ['manager'], customer: false });
    try {
      const { customerId, skus } = await seedCatalogue(clerk);
      const order = await placeOrder(clerk, customerId, [{ sku: skus[0]!, quantity: 1 }]);
      await clerk.post(`/api/orders/${order.id}/approve`, {});
      const managerKinds = await eventually(
        async () => (await inboxFor(manager, order.id)).map((n) => n.kind),
        (kinds) => kinds.includes('order.processing'),
      );
      expect(managerKinds).toContain('order.processing');
      expect((await inboxFor(clerk, order.id)).map((n) => n.kind)).toEqual(['order.created']);
    } finally {
      expect((await put('order.processing', { roles: ['staff'] })).status).toBe(200);
    }
    const admin = await stack.client(['admin'], 'admin');
    const audit = await admin.get<{ items: { action: string; entityId: string; after: unknown }[] }>(
      '/api/audit?limit=500',
    );
    expect(audit.body.items).toContainEqual(
      expect.objectContaining({
        action: 'settings.notification_recipients_changed',
        entityId: 'notifications:order.processing',
        after: { kind: 'order.processing', roles: ['manager'], customer: false },
      }),
    );
  });

  it.each([
    ['order.rejected', { roles: ['staff'], customer: true }, 400, /customer must be false/],
    ['order.escalated', { roles: ['staff'] }, 400, /escalation policies/],
    ['order.created', { roles: ['boss'] }, 400, /roles/],
    ['order.lost', { roles: ['staff'] }, 404, /notification kind "order.lost" does not exist/],
  ])('refuses recipients for %s given %p', async (kind, body, status, message) => {
    const response = await manager.put<{ message: string }>(`/api/settings/notifications/${kind}`, body);
    expect(response.status).toBe(status);
    expect(response.body.message).toMatch(message);
  });
});
