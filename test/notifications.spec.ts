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
      client: stack.temporal,
      mailer: null,
      delivery: { attempts: 1, retryIntervalMs: 1000 },
    });
    const notifyOrder = (input: Parameters<typeof activities.notifyOrder>[0]) =>
      activities.notifyOrder(input);
    const created = { ...snapshot, version: 1, status: 'created' as const };
    expect((await notifyOrder({ kind: 'order.created', order: created })).inbox).toBe(0);
    expect((await notifyOrder({ kind: 'order.created', order: created })).inbox).toBe(0);
    expect(await inboxFor(clerk, order.id)).toHaveLength(before.length);
  });
});
