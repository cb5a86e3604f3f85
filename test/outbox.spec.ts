import { DeliveryRepository } from '../db/repositories';
import {
  DELIVERY_WORKFLOW,
  deliveryWorkflowId,
  type DeliveryInput,
} from '../workflows/notification.definitions';
import { eventually, seedCatalogue } from './support/fixtures';
import type { ApiClient } from './support/http';
import { placeOrder } from './support/orders';
import {
  startSmtpReceiver,
  startWebhookReceiver,
  type SmtpReceiver,
  type WebhookReceiver,
} from './support/receivers';
import { ownTaskQueue, startStack, type TestStack } from './support/stack';

type Delivery = {
  id: string;
  orderId: string | null;
  channel: 'email' | 'webhook';
  recipient: string;
  status: string;
  attempts: number;
  destination: string | null;
  createdAt: string;
  lastError: string | null;
};
type Destination = {
  id: string;
  name: string;
  state: 'closed' | 'half_open' | 'open';
  paused: boolean;
  waiting: number;
  oldestWaitingSeconds: number | null;
  lastError: string | null;
};
type Health = {
  status: string;
  checks: {
    database: string;
    temporal: string;
    deliveries: { status: string; down: string[]; paused: string[] };
  };
};

const STAFF = 5;
const CONCURRENCY = 4;

describe('the outbox: deliveries apart from the orders, one circuit breaker per destination', () => {
  let stack: TestStack;
  let smtp: SmtpReceiver;
  let hooks: WebhookReceiver;
  let admin: ApiClient;
  let clerk: ApiClient;
  let manager: ApiClient;
  let webhook: { id: string };
  const smtpDestination = 'smtp';
  const hookDestination = () => `webhook:${new URL(hooks.baseUrl).host}`;

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    hooks = await startWebhookReceiver();
    stack = await startStack({
      worker: false,
      env: {
        ...ownTaskQueue('outbox'),
        OMS_SMTP_URL: smtp.url,
        // A slow receiver is cut off after a second; an open breaker probes after half a second, then 1, 2.
        OMS_DELIVERY_TIMEOUT_MS: '1000',
        OMS_BREAKER_BACKOFF_MS: '500',
        OMS_BREAKER_MAX_BACKOFF_MS: '2000',
        OMS_DELIVERY_CONCURRENCY: String(CONCURRENCY),
      },
    });
    await stack.startWorker();
    admin = await stack.client(['admin'], 'admin');
    clerk = await stack.client(['staff'], 'outbox-clerk');
    manager = await stack.client(['manager'], 'outbox-manager');
    // Staff who chose every e-mail: each order's creation mails each of them.
    const people: ApiClient[] = [];
    for (let i = 0; i < STAFF; i++) people.push(await stack.client(['staff'], `outbox-staff-${i}`));
    const users = (await admin.get<{ items: { id: string; username: string }[] }>('/api/users')).body.items;
    for (const [i, person] of people.entries()) {
      const id = users.find((u) => u.username === `outbox-staff-${i}`)!.id;
      await admin.patch(`/api/users/${id}`, { email: `staff-${i}@example.test` });
      expect((await person.patch('/api/auth/me', { emailNotifications: 'all' })).status).toBe(200);
    }
    webhook = (await admin.post<{ id: string }>('/api/webhooks', { url: `${hooks.baseUrl}/oms` })).body;
  }, 180_000);

  afterAll(async () => {
    // Other test files share the database: leave no webhook or e-mail address behind.
    await admin.call('DELETE', `/api/webhooks/${webhook.id}`);
    const users = (await admin.get<{ items: { id: string; username: string }[] }>('/api/users')).body.items;
    for (const user of users.filter((u) => u.username.startsWith('outbox-staff-')))
      await admin.patch(`/api/users/${user.id}`, { email: null });
    await stack.close();
    await smtp.close();
    await hooks.close();
  });

  const deliveriesOf = async (orderIds: string[]) => {
    const all: Delivery[] = [];
    for (const orderId of orderIds)
      all.push(
        ...(await clerk.get<{ items: Delivery[] }>(`/api/deliveries?orderId=${orderId}&limit=500`)).body
          .items,
      );
    return all;
  };
  /** What a failing assertion shows of a delivery that was not sent. */
  const unsent = ({ status, attempts, lastError }: Delivery) => ({ status, attempts, lastError });
  const destination = async (name: string) =>
    (await clerk.get<{ items: Destination[] }>('/api/deliveries/destinations')).body.items.find(
      (d) => d.name === name,
    );
  const health = async () => {
    const response = await fetch(`${stack.baseUrl}/health`);
    return { status: response.status, body: (await response.json()) as Health };
  };

  /** Orders placed and approved one after another; each answers in time whatever the receivers do. */
  async function moveOrders(count: number): Promise<string[]> {
    const { customerId, skus } = await seedCatalogue(clerk);
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const began = Date.now();
      const order = await placeOrder(clerk, customerId, [{ sku: skus[0]!, quantity: 1 }]);
      const approved = await clerk.post<{ awaiting: string }>(`/api/orders/${order.id}/approve`, {});
      expect(approved.status).toBe(200);
      expect(approved.body.awaiting).toBe('shipment');
      // Generous for a loaded machine; a delivery waiting on its receiver would take its full timeout.
      expect(Date.now() - began).toBeLessThan(10_000);
      ids.push(order.id);
    }
    return ids;
  }

  it('keeps orders moving while the mail server is down, says so, and sends every e-mail once when it is back', async () => {
    await smtp.become('down');
    let ids: string[] = [];
    try {
      ids = await moveOrders(4);
      const open = await eventually(
        () => destination(smtpDestination),
        (d) => d?.state === 'open' || d?.state === 'half_open',
      );
      expect(open?.lastError).toBe('the SMTP server could not be reached');

      // The pipeline is healthy and says which destination is down; readiness does not care.
      const { status, body } = await health();
      expect(status).toBe(200);
      expect(body.status).toBe('ok');
      expect(body.checks.deliveries.down).toContain(smtpDestination);
      expect(body.checks.deliveries.status).toBe('degraded');
      const ready = await fetch(`${stack.baseUrl}/health/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).not.toHaveProperty('checks.deliveries');
      const metrics = await (await fetch(`${stack.baseUrl}/metrics`)).text();
      expect(metrics).toMatch(/^oms_delivery_breaker_state\{destination="smtp"\} [12]$/m);
      expect(
        Number(/^oms_delivery_outbox_depth\{destination="smtp"\} (\d+)$/m.exec(metrics)?.[1]),
      ).toBeGreaterThan(0);
      expect(metrics).toMatch(/^oms_delivery_outbox_oldest_age_seconds\{destination="smtp"\} \d+$/m);

      // Nothing more is sent to it but one probe at a time: a few attempts for all those e-mails.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const waiting = (await deliveriesOf(ids)).filter((d) => d.channel === 'email');
      expect(waiting.length).toBeGreaterThanOrEqual(4 * (STAFF + 2));
      expect(waiting.every((d) => ['pending', 'retrying', 'sending'].includes(d.status))).toBe(true);
      const attempts = waiting.reduce((sum, d) => sum + d.attempts, 0);
      // The batch that opened the breaker, then one probe each after 0.5, 1, 2, 2, ... seconds.
      expect(attempts).toBeLessThanOrEqual(CONCURRENCY + 6);
      // Webhooks have a breaker of their own and went out at once.
      expect((await deliveriesOf(ids)).filter((d) => d.channel === 'webhook' && d.status !== 'sent')).toEqual(
        [],
      );
    } finally {
      await smtp.become('up');
    }
    const emails = await eventually(
      async () => (await deliveriesOf(ids)).filter((d) => d.channel === 'email'),
      (items) => items.every((d) => d.status === 'sent'),
      30_000,
    );
    expect(emails.filter((d) => d.status !== 'sent').map(unsent)).toEqual([]);
    // Each one once, and the backlog oldest first, as far as the sends in flight at once let it be seen:
    // the first one back is the probe (any waiting one), then each was planned no later than those
    // `CONCURRENCY` places behind it (one notice plans several at the same instant).
    const received = smtp.messages.filter((m) => emails.some((d) => m.messageId === `<${d.id}@oms.local>`));
    expect(received).toHaveLength(emails.length);
    const plannedAt = new Map(emails.map((d) => [`<${d.id}@oms.local>`, d.createdAt]));
    const earlier = (at: string) => emails.filter((d) => d.createdAt < at).length;
    received
      .slice(1)
      .forEach((message, position) =>
        expect(earlier(plannedAt.get(message.messageId)!)).toBeLessThanOrEqual(position + 1 + CONCURRENCY),
      );
    expect((await destination(smtpDestination))?.state).toBe('closed');
    expect((await health()).body.checks.deliveries.down).not.toContain(smtpDestination);
  }, 120_000);

  it('treats a mail server that accepts connections and never answers as down, without losing a message', async () => {
    await smtp.become('blackhole');
    let ids: string[] = [];
    try {
      ids = await moveOrders(2);
      const open = await eventually(
        () => destination(smtpDestination),
        (d) => d?.state !== 'closed',
      );
      expect(open?.lastError).toBe('the SMTP server did not answer in time');
    } finally {
      await smtp.become('up');
    }
    const emails = await eventually(
      async () => (await deliveriesOf(ids)).filter((d) => d.channel === 'email'),
      (items) => items.every((d) => d.status === 'sent'),
      30_000,
    );
    expect(emails.filter((d) => d.status !== 'sent').map(unsent)).toEqual([]);
    const ids_ = new Set(emails.map((d) => `<${d.id}@oms.local>`));
    expect(smtp.messages.filter((m) => ids_.has(m.messageId))).toHaveLength(emails.length);
  }, 90_000);

  it.each([
    ['answers 500', 'fail' as const, 'the receiver answered HTTP 500'],
    ['answers after ten seconds', 'slow' as const, 'the receiver did not answer in time'],
  ])(
    'cuts off a webhook receiver that %s, keeps its calls waiting, and sends each once by its id when it is back',
    async (_, mode, error) => {
      hooks.mode = mode;
      let ids: string[] = [];
      try {
        ids = await moveOrders(3);
        const open = await eventually(
          () => destination(hookDestination()),
          (d) => d?.state !== 'closed',
        );
        expect(open?.lastError).toBe(error);
        expect((await health()).body.checks.deliveries.down).toContain(hookDestination());
        // E-mail has its own breaker, which stays closed.
        const emails = await eventually(
          async () => (await deliveriesOf(ids)).filter((d) => d.channel === 'email'),
          (items) => items.every((d) => d.status === 'sent'),
        );
        expect(emails.every((d) => d.status === 'sent')).toBe(true);
      } finally {
        hooks.mode = 'ok';
      }
      const calls = await eventually(
        async () => (await deliveriesOf(ids)).filter((d) => d.channel === 'webhook'),
        (items) => items.every((d) => d.status === 'sent'),
        30_000,
      );
      expect(calls).toHaveLength(3 * 2);
      expect(calls.every((d) => d.status === 'sent')).toBe(true);
      // A call cut off may have reached the receiver: it came again with the same id, which it deduplicates.
      const seen = hooks.deliveryIds();
      for (const call of calls) expect(seen.has(call.id)).toBe(true);
      expect((await destination(hookDestination()))?.state).toBe('closed');
    },
    90_000,
  );

  it('lets a manager pause a destination, whose deliveries then wait, and resume it; nobody else', async () => {
    const smtpId = (await destination(smtpDestination))!.id;
    expect((await clerk.post(`/api/deliveries/destinations/${smtpId}/pause`, {})).status).toBe(403);
    const auditor = await stack.client(['auditor'], 'outbox-auditor');
    expect((await auditor.post(`/api/deliveries/destinations/${smtpId}/pause`, {})).status).toBe(403);
    expect((await manager.post(`/api/deliveries/destinations/${crypto.randomUUID()}/pause`, {})).status).toBe(
      404,
    );
    const paused = await manager.post<Destination>(`/api/deliveries/destinations/${smtpId}/pause`, {});
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ name: smtpDestination, paused: true });
    let ids: string[] = [];
    try {
      ids = await moveOrders(1);
      expect((await health()).body.checks.deliveries.paused).toEqual([smtpDestination]);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const emails = (await deliveriesOf(ids)).filter((d) => d.channel === 'email');
      expect(emails.length).toBeGreaterThan(0);
      expect(emails.every((d) => d.status === 'pending' && d.attempts === 0)).toBe(true);
    } finally {
      const resumed = await manager.post<Destination>(`/api/deliveries/destinations/${smtpId}/resume`, {});
      expect(resumed.body).toMatchObject({ paused: false });
    }
    const emails = await eventually(
      async () => (await deliveriesOf(ids)).filter((d) => d.channel === 'email'),
      (items) => items.every((d) => d.status === 'sent'),
    );
    expect(emails.every((d) => d.status === 'sent')).toBe(true);
    const audit = await admin.get<{
      items: { action: string; entityId: string; actor: { username: string } }[];
    }>('/api/audit?limit=100');
    expect(audit.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'delivery_destination.paused',
          entityId: smtpDestination,
          actor: expect.objectContaining({ username: 'outbox-manager' }),
        }),
        expect.objectContaining({ action: 'delivery_destination.resumed', entityId: smtpDestination }),
      ]),
    );
  });

  it('hands a delivery whose workflow was started before the outbox to the outbox, which sends it once', async () => {
    const [orderId] = await moveOrders(1);
    const dedupKey = `${orderId}:legacy:${crypto.randomUUID()}`;
    // As a delivery planned before the upgrade: no destination yet, and a workflow of its own.
    await stack.orm.em.fork().transactional(async (em) => {
      await new DeliveryRepository(em).plan(
        [
          {
            dedupKey,
            orderId: orderId!,
            kind: 'order.created',
            channel: 'webhook',
            recipient: `webhook:${webhook.id}`,
            address: `${hooks.baseUrl}/oms`,
            payload: { legacy: true },
            webhookId: webhook.id,
          },
        ],
        { attempts: 8, retryIntervalMs: 5000 },
      );
      await em.getConnection().execute(
        `update deliveries set destination = null, max_attempts = null, retry_interval_ms = null
            where dedup_key = ?`,
        [dedupKey],
        'run',
        em.getTransactionContext(),
      );
    });
    const [row] = await stack.orm.em
      .fork()
      .getConnection()
      .execute<{ id: string }[]>(`select id from deliveries where dedup_key = ?`, [dedupKey]);
    const id = row!.id;
    const input: DeliveryInput = { deliveryId: id, maxAttempts: 3, initialIntervalMs: 1000 };
    const status = await stack.temporal.workflow.execute(DELIVERY_WORKFLOW, {
      workflowId: deliveryWorkflowId(id),
      taskQueue: stack.config.temporal.taskQueue,
      args: [input],
    });
    expect(['pending', 'retrying', 'sending', 'sent']).toContain(status);
    const sent = await eventually(
      async () => (await deliveriesOf([orderId!])).find((d) => d.id === id)!,
      (d) => d.status === 'sent',
    );
    expect(sent).toMatchObject({ status: 'sent', destination: hookDestination() });
    expect(hooks.calls.filter((call) => call.headers['x-oms-delivery'] === id)).toHaveLength(1);
  });

  it('gives a delivery the attempts it was planned with, whichever worker sends it', async () => {
    // Planned by a process set to two attempts; this file's worker would give it eight, five seconds apart.
    const [orderId] = await moveOrders(1);
    const dedupKey = `${orderId}:policy:${crypto.randomUUID()}`;
    await stack.orm.em.fork().transactional(async (em) =>
      new DeliveryRepository(em).plan(
        [
          {
            dedupKey,
            orderId: orderId!,
            kind: 'order.created',
            channel: 'webhook',
            recipient: `webhook:${webhook.id}`,
            address: `${hooks.baseUrl}/refuse`,
            payload: { policy: true },
            webhookId: webhook.id,
          },
        ],
        { attempts: 2, retryIntervalMs: 200 },
      ),
    );
    const failed = await eventually(
      async () =>
        (await deliveriesOf([orderId!])).find(
          (d) => d.recipient === `webhook:${webhook.id}` && d.status === 'failed' && d.lastError !== null,
        ),
      (d) => d !== undefined,
      20_000,
    );
    expect(failed).toMatchObject({
      status: 'failed',
      attempts: 2,
      lastError: 'the receiver answered HTTP 400',
    });
    expect(hooks.calls.filter((call) => call.headers['x-oms-delivery'] === failed!.id)).toHaveLength(2);
  });
});
