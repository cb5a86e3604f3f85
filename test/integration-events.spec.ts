import { randomUUID } from 'node:crypto';
import { orderWorkflowId } from '../workflows/order.definitions';
import { eventually, seedCatalogue } from './support/fixtures';
import { apiClient, type ApiClient } from './support/http';
import { placeOrder } from './support/orders';
import { startWebhookReceiver, type WebhookReceiver } from './support/receivers';
import { useStack } from './support/stack';

/**
 * The order events as machine clients get them (issue 27): CloudEvents, by webhook and by polling
 * `GET /api/integration/events?after=`, the same events in both. Against the real API, workflows, delivery
 * worker and PostgreSQL.
 */
type CloudEvent = {
  specversion: string;
  id: string;
  source: string;
  type: string;
  subject: string;
  time: string;
  datacontenttype: string;
  data: { event: string; order: { id: string; status: string; externalRef?: string | null } };
};
type Page = { items: CloudEvent[]; next: string | null };

const t = useStack({
  clerk: [['staff'], 'events-clerk'],
  admin: [['admin'], 'events-admin'],
  auditor: [['auditor'], 'events-auditor'],
});

const sql = <T>(query: string, params: unknown[] = []) =>
  t.stack.orm.em.fork().getConnection().execute<T & object>(query, params) as Promise<T>;

/** The id of the newest event recorded so far (other files share the database): the tests read after it. */
async function tail(): Promise<string | undefined> {
  const [row] = await sql<{ id: string }[]>(
    `select id from integration_events order by position desc limit 1`,
  );
  return row?.id;
}

/** Reads the stream to its end after `after`, `limit` at a time, as a poller does. */
async function readAll(api: ApiClient, after: string | undefined, limit: number): Promise<CloudEvent[]> {
  const read: CloudEvent[] = [];
  let cursor = after;
  for (;;) {
    const query = new URLSearchParams({ limit: String(limit), ...(cursor ? { after: cursor } : {}) });
    const page = await api.get<Page>(`/api/integration/events?${query.toString()}`);
    expect(page.status).toBe(200);
    read.push(...page.body.items);
    expect(page.body.next).toBe(page.body.items.at(-1)?.id ?? cursor ?? null);
    if (page.body.items.length < limit) return read;
    cursor = page.body.next ?? undefined;
  }
}

async function completedOrder(api: ApiClient) {
  const { customerId, skus } = await seedCatalogue(api);
  const order = await placeOrder(api, customerId, [{ sku: skus[0]!, quantity: 1 }]);
  expect((await api.post(`/api/orders/${order.id}/approve`, {})).status).toBe(200);
  expect(
    (await api.post(`/api/orders/${order.id}/ship`, { carrier: 'SF Express', trackingNumber: 'SF1' })).status,
  ).toBe(200);
  expect((await api.post(`/api/orders/${order.id}/complete`, {})).status).toBe(200);
  await t.stack.temporal.workflow.getHandle(orderWorkflowId(order.id)).result();
  return order;
}

describe('the order events machine clients get', () => {
  let hooks: WebhookReceiver;
  let webhook: { id: string };

  beforeAll(async () => {
    hooks = await startWebhookReceiver();
    webhook = (await t.admin.post<{ id: string }>('/api/webhooks', { url: `${hooks.baseUrl}/crm` })).body;
  });
  afterAll(async () => {
    // Other test files share the database: leave no webhook behind.
    await t.admin.call('DELETE', `/api/webhooks/${webhook.id}`);
    await hooks.close();
  });

  it('serves to pollers the same CloudEvents, ids and data the webhook receives, oldest first', async () => {
    const from = await tail();
    const order = await completedOrder(t.clerk);
    const calls = await eventually(
      () => Promise.resolve(hooks.calls.filter((c) => c.path === '/crm' && c.body.includes(order.id))),
      (found) => found.length === 4,
      30_000,
    );
    const received = calls.map((c) => JSON.parse(c.body) as CloudEvent);

    const polled = (await readAll(t.auditor, from, 500)).filter((e) => e.subject === order.id);
    expect(polled.map((e) => e.type)).toEqual([
      'order.created',
      'order.processing',
      'order.shipped',
      'order.completed',
    ]);
    for (const event of polled) {
      expect(event).toMatchObject({
        specversion: '1.0',
        source: '/api/orders',
        subject: order.id,
        datacontenttype: 'application/json',
        data: { event: event.type, order: { id: order.id } },
      });
      expect(received.find((call) => call.id === event.id)).toEqual(event);
    }
    expect(new Set(polled.map((e) => e.id)).size).toBe(4);
    // What a CRM finds its record by, and each parcel with its tracking number (docs/integration-guide.md).
    expect(polled.find((e) => e.type === 'order.shipped')?.data.order).toMatchObject({
      externalRef: null,
      shipments: [
        { lines: [{ sku: expect.any(String), quantity: 1 }], carrier: 'SF Express', trackingNumber: 'SF1' },
      ],
    });

    // A poller taking one at a time reads the same events, each once.
    const oneByOne = (await readAll(t.auditor, from, 1)).filter((e) => e.subject === order.id);
    expect(oneByOne).toEqual(polled);
    // After the last event there is nothing more, and `next` stays where the poller is.
    const end = await t.auditor.get<Page>(`/api/integration/events?after=${polled.at(-1)!.id}`);
    expect(end.body.items.filter((e) => e.subject === order.id)).toEqual([]);
  });

  it('lets a poller that reads while orders are being placed miss and repeat nothing', async () => {
    const from = await tail();
    const { customerId, skus } = await seedCatalogue(t.clerk);
    let placing = true;
    const seen: CloudEvent[] = [];
    const poller = (async () => {
      let cursor = from;
      while (placing || cursor !== (await tail())) {
        const query = new URLSearchParams({ limit: '3', ...(cursor ? { after: cursor } : {}) });
        const page = await t.auditor.get<Page>(`/api/integration/events?${query.toString()}`);
        expect(page.status).toBe(200);
        seen.push(...page.body.items);
        cursor = page.body.next ?? undefined;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const orders = await Promise.all(
      Array.from({ length: 6 }, () => placeOrder(t.clerk, customerId, [{ sku: skus[0]!, quantity: 1 }])),
    );
    await Promise.all(orders.map((o) => t.clerk.post(`/api/orders/${o.id}/approve`, {})));
    await eventually(
      async () => (await readAll(t.auditor, from, 500)).filter((e) => orders.some((o) => o.id === e.subject)),
      (events) => events.length === 12,
      30_000,
    );
    placing = false;
    await poller;

    const ids = seen.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    // Exactly the stream as it stands, in its order (later events, if any came since, after them).
    expect((await readAll(t.auditor, from, 500)).map((e) => e.id).slice(0, ids.length)).toEqual(ids);
    expect(seen.filter((e) => orders.some((o) => o.id === e.subject))).toHaveLength(12);
  });

  it('gives a poller every event once and in order across a restart of the API, going on from its last id', async () => {
    const from = await tail();
    const { customerId, skus } = await seedCatalogue(t.clerk);
    const placeAndApprove = async (count: number) => {
      const orders = await Promise.all(
        Array.from({ length: count }, () =>
          placeOrder(t.clerk, customerId, [{ sku: skus[0]!, quantity: 1 }]),
        ),
      );
      for (const order of orders)
        expect((await t.clerk.post(`/api/orders/${order.id}/approve`, {})).status).toBe(200);
      return orders;
    };
    const ours = (ids: { id: string }[]) => (e: CloudEvent) => ids.some((o) => o.id === e.subject);
    /** One page after `cursor`, as a poller reads it. */
    const page = async (cursor: string | undefined) => {
      const query = new URLSearchParams({ limit: '2', ...(cursor ? { after: cursor } : {}) });
      const answer = await t.auditor.get<Page>(`/api/integration/events?${query.toString()}`);
      expect(answer.status).toBe(200);
      return answer.body;
    };

    const before = await placeAndApprove(3);
    await eventually(
      async () => (await readAll(t.auditor, from, 500)).filter(ours(before)),
      (events) => events.length === 6,
      30_000,
    );
    // Part of the stream: two pages of two.
    const seen: CloudEvent[] = [];
    let cursor = from;
    for (let i = 0; i < 2; i++) {
      const read = await page(cursor);
      seen.push(...read.items);
      cursor = read.next ?? undefined;
    }
    expect(seen).toHaveLength(4);

    await t.stack.restartApi();
    const after = await placeAndApprove(3);
    await eventually(
      async () => (await readAll(t.auditor, from, 500)).filter(ours(after)),
      (events) => events.length === 6,
      30_000,
    );
    // The poller goes on from its last id against the new process, to the end of the stream.
    for (;;) {
      const read = await page(cursor);
      seen.push(...read.items);
      if (read.items.length === 0) break;
      cursor = read.next ?? undefined;
    }

    const ids = seen.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    // Exactly the stream as it stands, in its order: nothing missed, nothing repeated.
    expect((await readAll(t.auditor, from, 500)).map((e) => e.id).slice(0, ids.length)).toEqual(ids);
    for (const order of [...before, ...after])
      expect(seen.filter((e) => e.subject === order.id).map((e) => e.type)).toEqual([
        'order.created',
        'order.processing',
      ]);
  });

  it('answers 400 naming `after` when it names no event, and `limit` when out of range', async () => {
    for (const after of ['garbage', randomUUID(), "1' or '1'='1"]) {
      const refused = await t.auditor.get(`/api/integration/events?after=${encodeURIComponent(after)}`);
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ field: 'after', message: expect.stringContaining('after') });
    }
    for (const limit of ['0', '501', 'many']) {
      const refused = await t.auditor.get(`/api/integration/events?limit=${limit}`);
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ message: expect.stringContaining('limit') });
    }
  });

  it('is open to API keys with the admin, manager or auditor role, and to no other', async () => {
    const keyWith = async (role: string) => {
      const created = await t.admin.post<{ key: string }>('/api/api-keys', {
        name: `erp-${role}-${randomUUID().slice(0, 8)}`,
        roles: [role],
      });
      expect(created.status).toBe(201);
      return apiClient(t.stack.baseUrl, created.body.key);
    };
    expect((await (await keyWith('auditor')).get('/api/integration/events?limit=1')).status).toBe(200);
    expect((await (await keyWith('manager')).get('/api/integration/events?limit=1')).status).toBe(200);
    expect((await (await keyWith('staff')).get('/api/integration/events?limit=1')).status).toBe(403);
    expect((await t.clerk.get('/api/integration/events?limit=1')).status).toBe(403);
    expect((await apiClient(t.stack.baseUrl).get('/api/integration/events')).status).toBe(401);
  });
});
