import { randomUUID } from 'node:crypto';
import { seedCatalogue, eventually } from './support/fixtures';
import type { ApiClient, ApiResponse } from './support/http';
import { stockOf, type OrderBody } from './support/orders';
import { appDatabaseUrl, startStack, type TestStack } from './support/stack';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy';

/**
 * PostgreSQL and Temporal reached through proxies that the test cuts (connections reset, new ones refused)
 * and stalls (connections open, nothing comes back): the API answers the contract's 503 within 5 s, never a
 * 500 or a hang, and a repeated request once the service is back changes things once.
 */
describe('outages on the request path', () => {
  let stack: TestStack;
  let api: ApiClient;
  let pg: TcpProxy;
  let temporal: TcpProxy;

  beforeAll(async () => {
    const dbUrl = new URL(appDatabaseUrl(process.env.OMS_TEST_DATABASE_URL!));
    const [, temporalPort] = process.env.OMS_TEST_TEMPORAL_ADDRESS!.split(':');
    pg = await startTcpProxy(Number(dbUrl.port));
    temporal = await startTcpProxy(Number(temporalPort));
    dbUrl.port = String(pg.port);
    stack = await startStack({
      // Only the API goes through the proxies: the worker and the test's own connections stay direct.
      apiEnv: { DATABASE_URL: dbUrl.toString(), TEMPORAL_ADDRESS: `127.0.0.1:${temporal.port}` },
    });
    api = await stack.client(['manager'], 'outage-manager');
  });
  afterAll(async () => {
    pg.heal();
    temporal.heal();
    await stack.close();
    await pg.close();
    await temporal.close();
  });
  afterEach(async () => {
    pg.heal();
    temporal.heal();
    await eventually(
      () => api.get('/health'),
      (response) => response.status === 200,
      30_000,
    );
  });

  const timed = async <T>(request: () => Promise<ApiResponse<T>>) => {
    const started = Date.now();
    const response = await request();
    return { response, ms: Date.now() - started };
  };
  const expectUnavailable = (
    { response, ms }: { response: ApiResponse<unknown>; ms: number },
    dependency: string,
  ) => {
    expect([response.status, response.body]).toEqual([
      503,
      { statusCode: 503, error: 'Service Unavailable', message: expect.stringContaining(dependency) },
    ]);
    expect(ms).toBeLessThan(5000);
  };

  it.each(['cut', 'stall'] as const)(
    'Temporal %s: order creation and actions answer 503 within 5 s; the repeat with the same key creates it once',
    async (fault) => {
      const { customerId, skus } = await seedCatalogue(api, [{ unitPrice: 100, stockOnHand: 20 }]);
      const body = { customerId, lines: [{ sku: skus[0], quantity: 1 }] };
      const existing = await api.post<OrderBody>('/api/orders', body);
      expect(existing.status).toBe(201);

      temporal[fault]();
      const key = { 'idempotency-key': randomUUID() };
      expectUnavailable(await timed(() => api.post('/api/orders', body, key)), 'Temporal');
      expectUnavailable(
        await timed(() => api.post(`/api/orders/${existing.body.id}/approve`, {})),
        'Temporal',
      );
      const health = await api.get<{ checks: Record<string, string> }>('/health');
      expect([health.status, health.body.checks]).toEqual([
        503,
        // Beside the dependencies, /health describes the delivery destinations (never in its status code).
        expect.objectContaining({ database: 'ok', temporal: 'down', events: 'ok' }),
      ]);
      // What needs only the database still works.
      expect((await api.get(`/api/orders/${existing.body.id}`)).status).toBe(200);

      temporal.heal();
      const repeated = await eventually(
        () => api.post<OrderBody>('/api/orders', body, key),
        (response) => response.status !== 503,
      );
      expect([201, 200]).toContain(repeated.status);
      const again = await api.post<OrderBody>('/api/orders', body, key);
      expect(again.body.id).toBe(repeated.body.id);
      const { count } = (
        await stack.orm.em
          .fork()
          .getConnection()
          .execute<{ count: string }[]>(`select count(*)::text as count from orders where customer_id = ?`, [
            customerId,
          ])
      )[0]!;
      expect(Number(count)).toBe(2);
    },
    60_000,
  );

  it.each(['cut', 'stall'] as const)(
    'PostgreSQL %s: reads and writes answer 503 within 5 s, and the API recovers',
    async (fault) => {
      const { customerId } = await seedCatalogue(api);
      pg[fault]();
      expectUnavailable(await timed(() => api.get(`/api/customers/${customerId}`)), 'PostgreSQL');
      expectUnavailable(
        await timed(() => api.post('/api/customers', { name: 'Nobody', email: 'nobody@example.com' })),
        'PostgreSQL',
      );
      pg.heal();
      const back = await eventually(
        () => api.get(`/api/customers/${customerId}`),
        (response) => response.status === 200,
        20_000,
      );
      expect(back.status).toBe(200);
    },
    60_000,
  );

  it('the live events resume after the database connection is cut, with a resync event, and /health says so', async () => {
    const { customerId, skus } = await seedCatalogue(api);
    const controller = new AbortController();
    const response = await fetch(`${stack.baseUrl}/api/events`, {
      headers: api.headers,
      signal: controller.signal,
    });
    const received: { id?: string; data: { type: string; orderId?: string } }[] = [];
    void (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk);
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const id = /^id: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (data) received.push({ ...(id ? { id } : {}), data: JSON.parse(data) as { type: string } });
        }
      }
    })().catch(() => undefined);
    try {
      pg.cut();
      const down = await eventually(
        () => api.get<{ checks: Record<string, string> }>('/health'),
        (health) => health.body.checks?.events === 'down',
      );
      expect(down.status).toBe(503);
      pg.heal();
      await eventually(
        () => Promise.resolve(received),
        (events) => events.some((event) => event.data.type === 'resync'),
        30_000,
      );
      const order = await api.post<OrderBody>('/api/orders', {
        customerId,
        lines: [{ sku: skus[0], quantity: 1 }],
      });
      const mine = await eventually(
        () => Promise.resolve(received.filter((event) => event.data.orderId === order.body.id)),
        (events) => events.length > 0,
      );
      expect(mine[0]!.id).toMatch(/^[0-9a-f]{8}\.\d+$/);
      // A client coming back with an id that is no longer kept (here: from another run) is told to resync.
      const again = new AbortController();
      const resumed = await fetch(`${stack.baseUrl}/api/events`, {
        headers: { ...api.headers, 'last-event-id': 'unknown.1' },
        signal: again.signal,
      });
      for await (const chunk of resumed.body as unknown as AsyncIterable<Uint8Array>) {
        expect(new TextDecoder().decode(chunk)).toContain('"type":"resync"');
        break;
      }
      again.abort();
    } finally {
      controller.abort();
    }
  }, 90_000);

  it('a restock while Temporal is cut is committed once and answered, not failed after its commit', async () => {
    const { customerId, skus } = await seedCatalogue(api, [{ unitPrice: 100, stockOnHand: 0 }]);
    const sku = skus[0]!;
    const order = await api.post<OrderBody>('/api/orders', { customerId, lines: [{ sku, quantity: 2 }] });
    const waiting = await api.post<OrderBody>(`/api/orders/${order.body.id}/approve`, {});
    expect(waiting.body.awaiting).toBe('stock');
    const { id: productId } = await stockOf(api, sku);

    temporal.cut();
    const restock = await timed(() =>
      api.post(`/api/products/${productId}/stock`, { delta: 5, reason: 'delivery' }),
    );
    expect(restock.response.status).toBe(200);
    expect(restock.ms).toBeLessThan(5000);
    temporal.heal();
    expect(await stockOf(api, sku)).toMatchObject({ stockOnHand: 5 });
  });
});
