import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { webhookSignature } from '../activities/delivery.transports';
import { orderWorkflowId } from '../workflows/order.definitions';
import { eventually, seedCatalogue } from './support/fixtures';
import { freePort } from './support/ports';
import type { ApiClient } from './support/http';
import { deleteFromTemporal, placeOrder, type OrderBody } from './support/orders';
import {
  startSmtpReceiver,
  startWebhookReceiver,
  type SmtpReceiver,
  type WebhookReceiver,
} from './support/receivers';
import { ownTaskQueue, startStack, type TestStack } from './support/stack';
import { temporalTestEnv } from './support/temporal';

type Delivery = {
  id: string;
  kind: string;
  channel: 'email' | 'webhook';
  recipient: string;
  address: string;
  status: string;
  attempts: number;
  lastError: string | null;
};

const SETTLED = ['sent', 'failed', 'unconfirmed'];

describe('notifications by e-mail and webhook', () => {
  let stack: TestStack;
  let smtp: SmtpReceiver;
  let hooks: WebhookReceiver;
  /** A second receiver, on a host (port) of its own: one that refuses some calls. */
  let refusing: WebhookReceiver;
  let admin: ApiClient;
  let clerk: ApiClient;
  let webhook: { id: string; secret: string };
  let refused: { id: string };
  /** A second worker process like the first (OMS_TEST_WORKERS=2), until the test that kills one. */
  let companion: ChildProcess | null = null;
  const deliveryOptions = { attempts: 3, retryIntervalMs: 300 };

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    hooks = await startWebhookReceiver();
    refusing = await startWebhookReceiver();
    // Every worker of this file sends to this SMTP receiver with these retries: a task queue of its own
    // keeps the suite's second worker, which has neither, from taking its tasks.
    stack = await startStack({
      worker: false,
      env: {
        ...ownTaskQueue('delivery'),
        OMS_SMTP_URL: smtp.url,
        OMS_MAIL_FROM: 'OMS <oms@example.test>',
        OMS_DELIVERY_ATTEMPTS: String(deliveryOptions.attempts),
        OMS_DELIVERY_RETRY_MS: String(deliveryOptions.retryIntervalMs),
      },
    });
    await stack.startWorker();
    if (process.env.OMS_TEST_WORKERS === '2') companion = await healthy(await spawnWorker());
    admin = await stack.client(['admin'], 'admin');
    clerk = await stack.client(['staff'], 'mail-clerk');
    const manager = await stack.client(['manager'], 'mail-manager');
    const users = (await admin.get<{ items: { id: string; username: string }[] }>('/api/users')).body.items;
    const idOf = (username: string) => users.find((u) => u.username === username)!.id;
    await admin.patch(`/api/users/${idOf('mail-clerk')}`, { email: 'clerk@example.test', language: 'en' });
    await admin.patch(`/api/users/${idOf('mail-manager')}`, { email: 'manager@example.test' });
    // Both chose to be e-mailed everything they hear of (the default is only what concerns them).
    for (const person of [clerk, manager])
      expect((await person.patch('/api/auth/me', { emailNotifications: 'all' })).status).toBe(200);
    webhook = (
      await admin.post<{ id: string; secret: string }>('/api/webhooks', { url: `${hooks.baseUrl}/oms` })
    ).body;
    refused = (
      await admin.post<{ id: string }>('/api/webhooks', {
        url: `${refusing.baseUrl}/refuse`,
        kinds: ['order.created'],
      })
    ).body;
  }, 180_000);
  afterAll(async () => {
    // Other test files share the database: leave no webhook or e-mail address behind.
    await admin.call('DELETE', `/api/webhooks/${webhook.id}`);
    await admin.call('DELETE', `/api/webhooks/${refused.id}`);
    await stopCompanion();
    await stack.close();
    await smtp.close();
    await hooks.close();
    await refusing.close();
  });

  const deliveriesOf = async (orderId: string) =>
    (await clerk.get<{ items: Delivery[] }>(`/api/deliveries?orderId=${orderId}&limit=500`)).body.items;
  const settled = (orderId: string, count: number) =>
    eventually(
      () => deliveriesOf(orderId),
      (items) => items.length === count && items.every((d) => SETTLED.includes(d.status)),
      60_000,
    );
  const mailsAbout = (order: OrderBody) => smtp.messages.filter((m) => m.subject.includes(order.number));

  async function completedOrder(customerEmail?: string) {
    const { customerId, skus } = await seedCatalogue(clerk, [{ unitPrice: 12990 }]);
    if (customerEmail) await clerk.patch(`/api/customers/${customerId}`, { email: customerEmail });
    const order = await placeOrder(clerk, customerId, [{ sku: skus[0]!, quantity: 2 }]);
    expect((await clerk.post(`/api/orders/${order.id}/approve`, {})).status).toBe(200);
    await clerk.post(`/api/orders/${order.id}/ship`, { carrier: 'SF Express', trackingNumber: 'SF2026' });
    await clerk.post(`/api/orders/${order.id}/complete`, {});
    await stack.temporal.workflow.getHandle(orderWorkflowId(order.id)).result();
    return { order, customerId };
  }

  it('sends exactly one message per recipient per kind, by e-mail and signed webhook, in each language', async () => {
    const { order } = await completedOrder('wang@example.test');
    // created: clerk, manager, customer; processing: clerk; shipped: clerk, customer; completed: all three.
    // Webhooks: four calls to the one for every kind, one (refused) call to the one for order.created.
    const deliveries = await settled(order.id, 9 + 4 + 1);
    const mails = mailsAbout(order);
    const perRecipientAndSubject = new Map<string, number>();
    for (const mail of mails) {
      const key = `${mail.to} ${mail.subject}`;
      perRecipientAndSubject.set(key, (perRecipientAndSubject.get(key) ?? 0) + 1);
    }
    expect([...perRecipientAndSubject.values()]).toEqual(Array(9).fill(1));
    expect(mails.map((m) => m.to).sort()).toEqual(
      [
        ...Array(3).fill('wang@example.test'),
        ...Array(4).fill('clerk@example.test'),
        ...Array(2).fill('manager@example.test'),
      ].sort(),
    );

    const shippedToClerk = mails.find((m) => m.to === 'clerk@example.test' && m.subject.includes('shipped'))!;
    expect(shippedToClerk.text).toBe(`Order ${order.number} left with SF Express, tracking number SF2026.`);
    expect(shippedToClerk.html).toContain('<code>SF2026</code>');
    const completedToManager = mails.find(
      (m) => m.to === 'manager@example.test' && m.subject.includes('完成'),
    )!;
    expect(completedToManager.text).toBe(`订单 ${order.number}（¥259.80）已送达并完成。`);
    const confirmation = mails.find((m) => m.to === 'wang@example.test' && m.subject.startsWith('订单确认'))!;
    // The customer's e-mails carry the link to the order's tracking page, which opens without signing in.
    const trackingPath = /\/track\/[\w.-]+/.exec(confirmation.text)?.[0];
    expect(trackingPath).toBeDefined();
    expect((await fetch(`${stack.baseUrl}${trackingPath}`)).status).toBe(200);
    for (const mail of mails.filter((m) => m.to !== 'wang@example.test'))
      expect(mail.text).not.toContain('/track/');
    expect(confirmation.text).toContain('Product 0 × 2：¥259.80');
    expect(confirmation.html).toMatch(/<td>Product 0<\/td><td>2<\/td><td>¥259.80<\/td>/);
    const shippedToCustomer = mails.find(
      (m) => m.to === 'wang@example.test' && m.subject.includes('已发货'),
    )!;
    expect(shippedToCustomer.text).toContain('运单号 SF2026');

    const calls = hooks.calls.filter((c) => c.path === '/oms' && c.body.includes(order.id));
    expect(calls.map((c) => c.headers['x-oms-event']).sort()).toEqual([
      'order.completed',
      'order.created',
      'order.processing',
      'order.shipped',
    ]);
    for (const call of calls) {
      const timestamp = Number(call.headers['x-oms-timestamp']);
      expect(Math.abs(Date.now() / 1000 - timestamp)).toBeLessThan(120);
      expect(call.headers['x-oms-signature']).toBe(webhookSignature(webhook.secret, timestamp, call.body));
      expect(call.headers['content-type']).toBe('application/cloudevents+json');
    }
    // Each call is a CloudEvent (structured JSON mode) whose data is what happened and the order as it is.
    const events = calls.map((c) => JSON.parse(c.body) as Record<string, unknown>);
    expect(new Set(events.map((e) => e.id)).size).toBe(4);
    const shippedCall = events.find((e) => e.type === 'order.shipped')!;
    expect(shippedCall).toEqual({
      specversion: '1.0',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      source: '/api/orders',
      type: 'order.shipped',
      subject: order.id,
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
      datacontenttype: 'application/json',
      data: expect.objectContaining({
        event: 'order.shipped',
        order: expect.objectContaining({ id: order.id, number: order.number, status: 'shipped' }),
      }),
    });
    expect((shippedCall.data as { order: unknown }).order).toMatchObject({
      shipment: { trackingNumber: 'SF2026' },
    });
    expect(deliveries.filter((d) => d.status === 'sent')).toHaveLength(13);
  });

  it('shows a delivery its receiver keeps refusing, with its attempts and last error, without holding up the order', async () => {
    const { order } = await completedOrder();
    const deliveries = await settled(order.id, 9 + 4 + 1);
    const failed = deliveries.find((d) => d.recipient === `webhook:${refused.id}`)!;
    expect(failed).toMatchObject({ status: 'failed', attempts: 3, kind: 'order.created' });
    expect(failed.lastError).toBe('the receiver answered HTTP 400');
    const attempts = refusing.calls.filter((c) => c.path === '/refuse' && c.body.includes(order.id));
    expect(attempts).toHaveLength(3);
    // Every attempt carries the same event: the receiver deduplicates by its id.
    expect(new Set(attempts.map((c) => (JSON.parse(c.body) as { id: string }).id)).size).toBe(1);
    const listed = await clerk.get<{ items: Delivery[] }>(`/api/deliveries?status=failed&channel=webhook`);
    expect(listed.body.items.map((d) => d.id)).toContain(failed.id);
    expect((await clerk.get(`/api/deliveries?status=lost`)).status).toBe(400);
    // A refusal of one call is no failure of its receiver: its breaker stays closed.
    const destinations = await clerk.get<{ items: { name: string; state: string }[] }>(
      '/api/deliveries/destinations',
    );
    expect(destinations.body.items).toContainEqual(
      expect.objectContaining({ name: `webhook:${new URL(refusing.baseUrl).host}`, state: 'closed' }),
    );
  });

  it('sends no second e-mail when the worker is killed in the middle of sending', async () => {
    // The killed worker must be the one sending: it runs alone.
    await stopCompanion();
    await stack.stopWorker();
    smtp.hold = true;
    const worker = (await spawnWorker()).child;
    let restarted = false;
    try {
      const { customerId, skus } = await seedCatalogue(clerk, [{ unitPrice: 12990 }]);
      const order = await placeOrder(clerk, customerId, [{ sku: skus[0]!, quantity: 1 }]);
      // The three confirmation e-mails reach the server, which never answers: the sender is mid-send.
      const held = await eventually(
        () => Promise.resolve(mailsAbout(order).length),
        (count) => count === 3,
        60_000,
      );
      expect(held).toBe(3);
      worker.kill('SIGKILL');
      await new Promise((resolve) => worker.once('exit', resolve));
      smtp.hold = false;
      await stack.startWorker();
      restarted = true;

      const emails = await eventually(
        async () => (await deliveriesOf(order.id)).filter((d) => d.channel === 'email'),
        (items) => items.length === 3 && items.every((d) => SETTLED.includes(d.status)),
        90_000,
      );
      expect(emails.map((d) => d.status)).toEqual(['unconfirmed', 'unconfirmed', 'unconfirmed']);
      expect(emails[0]!.lastError).toMatch(/not sent again/);
      // The order itself goes on with the new worker, and its next e-mail goes out once.
      expect((await clerk.post(`/api/orders/${order.id}/approve`, {})).status).toBe(200);
      const processing = await eventually(
        () => Promise.resolve(mailsAbout(order).filter((m) => m.subject.includes('processing')).length),
        (count) => count === 1,
        30_000,
      );
      expect(processing).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const counts = new Map<string, number>();
      for (const mail of mailsAbout(order))
        counts.set(`${mail.to} ${mail.subject}`, (counts.get(`${mail.to} ${mail.subject}`) ?? 0) + 1);
      expect([...counts.values()]).toEqual([1, 1, 1, 1]);

      // A person who finds the customer never got it sends it again, on purpose; staff may not.
      const customerMail = emails.find((d) => d.recipient.startsWith('customer:'))!;
      expect((await clerk.post(`/api/deliveries/${customerMail.id}/resend`, {})).status).toBe(403);
      const resent = await admin.post<Delivery>(`/api/deliveries/${customerMail.id}/resend`, {});
      expect(resent.status).toBe(200);
      expect(resent.body.status).toBe('pending');
      const settledAgain = await eventually(
        async () => (await deliveriesOf(order.id)).find((d) => d.id === customerMail.id)!,
        (d) => d.status === 'sent',
      );
      expect(settledAgain).toMatchObject({ status: 'sent', attempts: customerMail.attempts + 1 });
      expect(mailsAbout(order).filter((m) => m.to === customerMail.address)).toHaveLength(2);
      const again = await admin.post<{ message: string }>(`/api/deliveries/${customerMail.id}/resend`, {});
      expect(again.status).toBe(409);
      expect(again.body.message).toMatch(/is sent; only failed or unconfirmed/);
    } finally {
      smtp.hold = false;
      if (worker.exitCode === null) worker.kill('SIGKILL');
      // The tests after this one need the in-process worker, whatever happened here.
      if (!restarted) await stack.startWorker();
    }
  }, 180_000);

  it('archives the complete record, readable with its history after Temporal has deleted the workflow', async () => {
    const auditor = await stack.client(['auditor'], 'mail-auditor');
    const { order } = await completedOrder();
    await settled(order.id, 9 + 4 + 1);
    const archive = await eventually(
      () =>
        auditor.get<{ sha256: string; events: number; record: Record<string, unknown> }>(
          `/api/orders/${order.id}/archive`,
        ),
      (response) => response.status === 200,
    );
    const { record } = archive.body;
    expect(createHash('sha256').update(JSON.stringify(record)).digest('hex')).toBe(archive.body.sha256);
    expect(record).toMatchObject({
      orderId: order.id,
      order: { id: order.id, number: order.number, status: 'completed' },
      lines: [{ sku: expect.any(String), quantity: 2 }],
      approvals: [{ by: { username: 'mail-clerk' } }],
      shipment: { carrier: 'SF Express', trackingNumber: 'SF2026' },
    });
    expect((record.payments as { kind: string }[]).map((p) => p.kind)).toContain('capture');
    expect((record.notifications as unknown[]).length).toBeGreaterThan(0);
    expect((record.deliveries as unknown[]).length).toBeGreaterThan(0);
    expect((record.history as { events: unknown[] }).events).toHaveLength(archive.body.events);
    expect((await clerk.get(`/api/orders/${order.id}/archive`)).status).toBe(403);

    await deleteFromTemporal(stack.temporal, stack.config.temporal.namespace, order.id);
    const history = await auditor.get<{ items: { kind: string; actor: { username: string } | null }[] }>(
      `/api/orders/${order.id}/history`,
    );
    expect(history.status).toBe(200);
    expect(history.body.items.some((step) => step.actor?.username === 'mail-clerk')).toBe(true);
    expect((await auditor.get(`/api/orders/${order.id}/archive`)).body).toEqual(archive.body);
  }, 150_000);

  /**
   * A worker in its own process (the compiled one), so that it can really be killed, with this file's
   * settings: its task queue, data folder (the tracking links' key), SMTP receiver, retries and webhook hosts.
   */
  async function spawnWorker(): Promise<{ child: ChildProcess; port: number }> {
    const port = await freePort();
    const child = spawn(process.execPath, [path.resolve(__dirname, '../dist/worker/main.js')], {
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: stack.config.databaseUrl,
        ...temporalTestEnv(),
        OMS_TASK_QUEUE: stack.config.temporal.taskQueue,
        OMS_DATA_DIR: stack.config.dataDir,
        OMS_WORKER_PORT: String(port),
        OMS_WORKER_SDK_METRICS_PORT: String(await freePort()),
        OMS_SMTP_URL: smtp.url,
        OMS_MAIL_FROM: stack.config.notifications.mailFrom,
        OMS_DELIVERY_ATTEMPTS: String(deliveryOptions.attempts),
        OMS_DELIVERY_RETRY_MS: String(deliveryOptions.retryIntervalMs),
        OMS_WEBHOOK_ALLOWED_HOSTS: stack.config.webhooks.allowedHosts.join(','),
        OMS_LOG_LEVEL: 'error',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    return { child, port };
  }

  /** Waits until the worker polls (bundling the workflows takes it a while on a loaded machine). */
  async function healthy({ child, port }: { child: ChildProcess; port: number }): Promise<ChildProcess> {
    const status = await eventually(
      () =>
        fetch(`http://127.0.0.1:${port}/health`).then(
          (response) => response.status,
          () => 0,
        ),
      (code) => code === 200 || child.exitCode !== null,
      120_000,
    );
    if (status !== 200) throw new Error(`the companion worker did not start (exit code ${child.exitCode})`);
    return child;
  }

  async function stopCompanion(): Promise<void> {
    const child = companion;
    companion = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
});
