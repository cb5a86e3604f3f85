import { ensureDigestSchedule } from '../worker/digest-schedule';
import {
  DIGEST_SCHEDULE_ID,
  DIGEST_WORKFLOW,
  deliveryTaskQueue,
} from '../workflows/notification.definitions';
import { orderWorkflowId } from '../workflows/order.definitions';
import { eventually, seedCatalogue } from './support/fixtures';
import type { ApiClient } from './support/http';
import { placeOrder } from './support/orders';
import { startSmtpReceiver, type SmtpReceiver } from './support/receivers';
import { ownTaskQueue, startStack, type TestStack } from './support/stack';

type Me = { username: string; email: string | null; emailNotifications: string; language: string };
type Inbox = { items: { kind: string; orderId: string }[] };

const PREFERENCES = ['all', 'assigned', 'digest', 'none'] as const;

describe('who is e-mailed: the in-app inbox for everyone, e-mail for those who chose it', () => {
  let stack: TestStack;
  let smtp: SmtpReceiver;
  let admin: ApiClient;
  const people = {} as Record<(typeof PREFERENCES)[number], ApiClient>;
  const address = (preference: string) => `pref-${preference}@example.test`;

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    stack = await startStack({ env: { ...ownTaskQueue('email-preferences'), OMS_SMTP_URL: smtp.url } });
    admin = await stack.client(['admin'], 'admin');
    for (const preference of PREFERENCES)
      people[preference] = await stack.client(['staff'], `pref-${preference}`);
    const users = (await admin.get<{ items: { id: string; username: string }[] }>('/api/users')).body.items;
    for (const preference of PREFERENCES) {
      const id = users.find((u) => u.username === `pref-${preference}`)!.id;
      await admin.patch(`/api/users/${id}`, { email: address(preference), language: 'en' });
    }
  }, 120_000);

  afterAll(async () => {
    // Other test files share the database: leave no e-mail address or digest reader behind.
    const users = (await admin.get<{ items: { id: string; username: string }[] }>('/api/users')).body.items;
    for (const user of users.filter((u) => u.username.startsWith('pref-')))
      await admin.patch(`/api/users/${user.id}`, { email: null });
    await stack.close();
    await smtp.close();
  });

  const mailsTo = (preference: string, number: string) =>
    smtp.messages.filter((m) => m.to === address(preference) && m.subject.includes(number));

  it('starts everyone at `assigned` and lets each person choose, audited, refusing anything else', async () => {
    const me = await people.all.get<Me>('/api/auth/me');
    expect(me.body).toMatchObject({ emailNotifications: 'assigned', email: address('all') });
    for (const preference of PREFERENCES) {
      const changed = await people[preference].patch<Me>('/api/auth/me', { emailNotifications: preference });
      expect(changed.status).toBe(200);
      expect(changed.body.emailNotifications).toBe(preference);
      expect((await people[preference].get<Me>('/api/auth/me')).body.emailNotifications).toBe(preference);
    }
    const refused = await people.all.patch<{ message: string }>('/api/auth/me', {
      emailNotifications: 'often',
    });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/emailNotifications/);
    // The language is changed on its own, the preference stays.
    const language = await people.all.patch<Me>('/api/auth/me', { language: 'zh-CN' });
    expect(language.body).toMatchObject({ language: 'zh-CN', emailNotifications: 'all' });
    await people.all.patch('/api/auth/me', { language: 'en' });
    const audit = await admin.get<{ items: { action: string; after: { emailNotifications?: string } }[] }>(
      '/api/audit?limit=200',
    );
    expect(audit.body.items).toContainEqual(
      expect.objectContaining({
        action: 'user.updated',
        after: expect.objectContaining({ emailNotifications: 'none' }),
      }),
    );
  });

  it('e-mails `all` everything, `assigned` what they acted on, and neither `digest` nor `none`; the inbox has it all', async () => {
    const { customerId, skus } = await seedCatalogue(admin);
    const order = await placeOrder(admin, customerId, [{ sku: skus[0]!, quantity: 1 }]);
    // The member of staff on `assigned` approves it: the order is now theirs to hear of.
    expect((await people.assigned.post(`/api/orders/${order.id}/approve`, {})).status).toBe(200);
    await admin.post(`/api/orders/${order.id}/ship`, { carrier: 'SF', trackingNumber: 'SF1' });
    await admin.post(`/api/orders/${order.id}/complete`, {});
    await stack.temporal.workflow.getHandle(orderWorkflowId(order.id)).result();

    // The outbox sends each recipient's e-mail on its own: wait for as many as each should get (those who
    // get none are read once the others have all arrived).
    const expected: Record<string, number> = { all: 4, assigned: 3 };
    const subjects = (preference: string) =>
      eventually(
        () => Promise.resolve(mailsTo(preference, order.number).map((m) => m.subject)),
        (list) => list.length >= (expected[preference] ?? 0),
      );
    expect((await subjects('all')).sort()).toEqual([
      `New order ${order.number}`,
      `Order ${order.number} approved and in processing`,
      `Order ${order.number} completed`,
      `Order ${order.number} shipped`,
    ]);
    // Created before they acted on it: not theirs yet; every step after their approval is.
    expect((await subjects('assigned')).sort()).toEqual([
      `Order ${order.number} approved and in processing`,
      `Order ${order.number} completed`,
      `Order ${order.number} shipped`,
    ]);
    expect(await subjects('digest')).toEqual([]);
    expect(await subjects('none')).toEqual([]);
    for (const preference of PREFERENCES) {
      const inbox = await people[preference].get<Inbox>('/api/notifications');
      expect(
        inbox.body.items
          .filter((n) => n.orderId === order.id)
          .map((n) => n.kind)
          .sort(),
      ).toEqual(['order.completed', 'order.created', 'order.processing', 'order.shipped']);
    }
  });

  it('e-mails `assigned` the reminders that name them', async () => {
    const manager = await stack.client(['manager'], 'pref-manager');
    const policies = await manager.get<{ items: { stage: string; levels: unknown }[] }>(
      '/api/escalation-policies',
    );
    const before = policies.body.items.find((p) => p.stage === 'approval')!.levels;
    await manager.put('/api/escalation-policies/approval', {
      levels: [{ after: 'PT1S', notify: ['pref-assigned', 'pref-none'] }],
    });
    try {
      const { customerId, skus } = await seedCatalogue(admin);
      const order = await placeOrder(admin, customerId, [{ sku: skus[0]!, quantity: 1 }]);
      const reminders = await eventually(
        () =>
          Promise.resolve(
            mailsTo('assigned', order.number).filter((m) => m.subject.includes('waiting too long')),
          ),
        (list) => list.length > 0,
        30_000,
      );
      expect(reminders).toHaveLength(1);
      expect(mailsTo('none', order.number)).toEqual([]);
      const inbox = await people.none.get<Inbox>('/api/notifications');
      expect(inbox.body.items.some((n) => n.orderId === order.id && n.kind === 'order.escalated')).toBe(true);
      await admin.post(`/api/orders/${order.id}/cancel`, { reason: 'reminder seen' });
    } finally {
      await manager.put('/api/escalation-policies/approval', { levels: before });
    }
  });

  it('sends `digest` one e-mail a period listing their notifications, and nothing twice', async () => {
    const { customerId, skus } = await seedCatalogue(admin);
    const order = await placeOrder(admin, customerId, [{ sku: skus[0]!, quantity: 1 }]);
    await eventually(
      async () => (await people.digest.get<Inbox>('/api/notifications')).body.items,
      (items) => items.some((n) => n.orderId === order.id),
    );
    const run = (id: string) =>
      stack.temporal.workflow.execute(DIGEST_WORKFLOW, {
        workflowId: id,
        taskQueue: deliveryTaskQueue(stack.config.temporal.taskQueue),
        args: [],
      });
    const first = await run(`digest-test-${crypto.randomUUID()}`);
    expect(first).toMatchObject({ planned: expect.any(Number) });
    const digests = await eventually(
      () =>
        Promise.resolve(
          smtp.messages.filter(
            (m) => m.to === address('digest') && m.subject.startsWith('Your daily summary'),
          ),
        ),
      (list) => list.length > 0,
    );
    expect(digests).toHaveLength(1);
    expect(digests[0]!.text).toContain(`New order ${order.number}`);
    // Only those who chose it get one.
    for (const preference of ['all', 'assigned', 'none'])
      expect(
        smtp.messages.some((m) => m.to === address(preference) && m.subject.startsWith('Your daily')),
      ).toBe(false);
    // Run again at once: the period since the last digest holds nothing new, so no second e-mail.
    await run(`digest-test-${crypto.randomUUID()}`);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(
      smtp.messages.filter((m) => m.to === address('digest') && m.subject.startsWith('Your daily')),
    ).toHaveLength(1);
  });

  it('keeps the daily digest a Temporal Schedule on the deliveries task queue, or none when it is off', async () => {
    const taskQueue = stack.config.temporal.taskQueue;
    await ensureDigestSchedule(stack.temporal, { cron: '15 7 * * *', timeZone: 'Asia/Shanghai' }, taskQueue);
    try {
      const described = await stack.temporal.schedule.getHandle(DIGEST_SCHEDULE_ID).describe();
      expect(described.spec.timezone).toBe('Asia/Shanghai');
      expect(described.action).toMatchObject({
        workflowType: DIGEST_WORKFLOW,
        taskQueue: deliveryTaskQueue(taskQueue),
      });
    } finally {
      await ensureDigestSchedule(stack.temporal, { cron: null, timeZone: 'UTC' }, taskQueue);
    }
    await expect(stack.temporal.schedule.getHandle(DIGEST_SCHEDULE_ID).describe()).rejects.toThrow();
  });
});
