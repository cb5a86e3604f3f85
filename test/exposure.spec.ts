import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { trackingKey, trackingToken } from '../config/tracking-link';
import type { ApiClient } from './support/http';
import { LOG_FILE, startStack, type TestStack } from './support/stack';

type Delivery = { id: string; channel: string; address: string };

/** What the API shows to whom and writes to its logs: secrets in URLs stay with those who need them. */
describe('secrets in URLs', () => {
  let stack: TestStack;
  let admin: ApiClient;
  let staff: ApiClient;
  let auditor: ApiClient;

  beforeAll(async () => {
    stack = await startStack({ worker: false });
    admin = await stack.client(['admin'], 'admin');
    staff = await stack.client(['staff'], 'exposure-clerk');
    auditor = await stack.client(['auditor'], 'exposure-auditor');
  });
  afterAll(() => stack.close());

  it("shows a webhook delivery's URL, which may carry a token, whole to admins only", async () => {
    const orderId = randomUUID();
    const url = 'https://hooks.example.com/services/T0/B0/s3cr3t-path?token=s3cr3t-query';
    await stack.orm.em
      .fork()
      .getConnection()
      .execute(
        `insert into deliveries (dedup_key, order_id, kind, channel, recipient, address)
         values (?, ?, 'order.created', 'webhook', ?, ?)`,
        [`exposure:${orderId}`, orderId, `webhook:${randomUUID()}`, url],
      );
    const addressFor = async (client: ApiClient) => {
      const page = await client.get<{ items: Delivery[] }>(`/api/deliveries?orderId=${orderId}`);
      expect(page.status).toBe(200);
      return page.body.items.map((delivery) => delivery.address);
    };
    expect(await addressFor(admin)).toEqual([url]);
    for (const client of [staff, auditor]) {
      const [address] = await addressFor(client);
      expect(address).toBe('https://hooks.example.com/…');
      expect(address).not.toMatch(/s3cr3t/);
    }
  });

  it('keeps tracking tokens out of the request log', async () => {
    const token = trackingToken(trackingKey(stack.config), randomUUID());
    // An order that does not exist: 404, which the log records at warning level, path and all.
    const response = await fetch(`${stack.baseUrl}/track/${token}`);
    expect(response.status).toBe(404);
    await response.text();
    const lines = readFileSync(LOG_FILE, 'utf8')
      .split('\n')
      .filter((line) => line.includes('"/track/'));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toContain(token);
    expect(lines.join('\n')).not.toContain(token.split('.')[1]);
  });
});

/** /metrics is public by default (loopback only); an installation that publishes it can require a token. */
describe('a metrics token', () => {
  const token = `metrics-${randomUUID()}`;
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startStack({ worker: false, env: { OMS_METRICS_TOKEN: token } });
  });
  afterAll(() => stack.close());

  const scrape = (authorization?: string) =>
    fetch(`${stack.baseUrl}/metrics`, { headers: authorization ? { authorization } : {} });

  it('lets only a scraper with the token read /metrics when OMS_METRICS_TOKEN is set', async () => {
    for (const refused of [undefined, 'Bearer wrong-token', `Basic ${token}`, token]) {
      const response = await scrape(refused);
      expect([refused, response.status]).toEqual([refused, 401]);
      expect(await response.text()).not.toContain('oms_orders');
    }
    const allowed = await scrape(`Bearer ${token}`);
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain('oms_orders');
  });
});
