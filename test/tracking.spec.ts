import { randomUUID } from 'node:crypto';
import { trackingKey, trackingToken } from '../config/tracking-link';
import { eventually } from './support/fixtures';
import type { ApiClient } from './support/http';
import { placeOrder, type OrderBody } from './support/orders';
import { startStack, type TestStack } from './support/stack';

/** The customer's tracking page at its signed link, against the real API, workflow and database. */
describe('customer tracking page', () => {
  let stack: TestStack;
  let staff: ApiClient;
  let key: string;

  beforeAll(async () => {
    stack = await startStack();
    staff = await stack.client(['staff']);
    key = trackingKey(stack.config);
  });
  afterAll(async () => {
    await stack.orm.em
      .getConnection()
      .execute(`delete from login_throttle where key like 'tracking-address:%'`);
    await stack.close();
  });

  /** Everything about the order that the page must never show. */
  interface Secrets {
    customerName: string;
    email: string;
    address: string;
    productName: string;
    sku: string;
    notes: string;
  }

  async function order(
    language: 'zh-CN' | 'en',
  ): Promise<OrderBody & { secrets: Secrets; customerId: string }> {
    const tag = randomUUID().slice(0, 8);
    const secrets: Secrets = {
      customerName: `Tracking Customer ${tag}`,
      email: `track-${tag}@example.com`,
      address: `${tag} Secret Road`,
      productName: `Hidden product ${tag}`,
      sku: `TRK-${tag}`,
      notes: `private note ${tag}`,
    };
    const customer = await staff.post<{ id: string }>('/api/customers', {
      name: secrets.customerName,
      email: secrets.email,
      address: secrets.address,
      phone: '13912345678',
      language,
    });
    expect(customer.status).toBe(201);
    const product = await staff.post('/api/products', {
      sku: secrets.sku,
      name: secrets.productName,
      unitPrice: 4321,
      currency: 'CNY',
      stockOnHand: 10,
    });
    expect(product.status).toBe(201);
    const placed = await placeOrder(staff, customer.body.id, [{ sku: secrets.sku, quantity: 1 }]);
    const noted = await staff.patch<OrderBody>(`/api/orders/${placed.id}`, { notes: secrets.notes });
    expect(noted.status).toBe(200);
    return { ...noted.body, secrets, customerId: customer.body.id };
  }

  async function shipped(language: 'zh-CN' | 'en') {
    const placed = await order(language);
    expect((await staff.post(`/api/orders/${placed.id}/approve`, {})).status).toBe(200);
    const ready = await eventually(
      () => staff.get<OrderBody>(`/api/orders/${placed.id}`),
      (response) => response.body.awaiting === 'shipment',
    );
    expect(ready.body.awaiting).toBe('shipment');
    const ship = await staff.post<OrderBody>(`/api/orders/${placed.id}/ship`, {
      carrier: 'SF Express',
      trackingNumber: `SF${placed.number.replace(/\D/g, '')}`,
    });
    expect(ship.status).toBe(200);
    return { ...placed, trackingNumber: `SF${placed.number.replace(/\D/g, '')}` };
  }

  const open = (token: string) => fetch(`${stack.baseUrl}/track/${token}`);

  it('shows a shipped order its status, steps with dates, carrier and tracking number in the customer’s language', async () => {
    const placed = await shipped('en');
    const response = await open(trackingToken(key, placed.id));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await response.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('data-status="shipped"');
    expect(html).toContain('Shipped');
    for (const step of ['placed', 'confirmed', 'shipped'])
      expect(html).toMatch(new RegExp(`data-step="${step}">[^<]+<time datetime="\\d{4}-\\d\\d-\\d\\dT`));
    expect(html).not.toContain('data-step="delivered"');
    expect(html).toContain('SF Express');
    expect(html).toContain(placed.trackingNumber);
    expect(html).not.toContain('<script');
  });

  it('shows nothing else about the order, the customer or the business, also with its return form', async () => {
    const placed = await shipped('zh-CN');
    // With customers allowed to ask for returns the page carries a form: it posts to the page's own URL.
    const manager = await stack.client(['manager'], 'tracking-manager');
    const settings = (await manager.get<object>('/api/settings/returns')).body;
    expect(
      (await manager.put('/api/settings/returns', { ...settings, customerMayRequest: true })).status,
    ).toBe(200);
    let html: string;
    try {
      html = await (await open(trackingToken(key, placed.id))).text();
    } finally {
      await manager.put('/api/settings/returns', settings);
    }
    expect(html).toContain('<form method="post" class="return-form">');
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('已发货');
    for (const secret of Object.values(placed.secrets)) expect(html).not.toContain(secret);
    for (const hidden of [placed.number, placed.id, placed.customerId, '43.21', '4,321', '4321'])
      expect(html).not.toContain(hidden);
  });

  it('refuses a tampered, truncated or foreign link with 404, saying so in both languages', async () => {
    const placed = await order('en');
    const token = trackingToken(key, placed.id);
    const last = token.at(-1) === 'A' ? 'B' : 'A';
    for (const bad of [
      token.slice(0, -1) + last,
      token.slice(0, -2),
      trackingToken('someone-else-s-key-0123456789abcdef', placed.id),
      `${randomUUID()}.${token.split('.')[1]}`,
      'not-a-token',
    ]) {
      const response = await open(encodeURIComponent(bad));
      expect(response.status).toBe(404);
      const html = await response.text();
      expect(html).toContain('not valid');
      expect(html).toContain('找不到');
    }
    expect((await open(token)).status).toBe(200);
  });

  it('keeps working a while after the order ends, and is refused once the set days have passed', async () => {
    const placed = await shipped('en');
    expect((await staff.post(`/api/orders/${placed.id}/complete`, {})).status).toBe(200);
    const token = trackingToken(key, placed.id);
    const done = await eventually(
      async () => (await open(token)).text(),
      (html) => html.includes('data-status="completed"'),
    );
    expect(done).toContain('data-step="delivered"');
    // The order ended longer ago than OMS_TRACKING_LINK_DAYS (30 by default): move its end back in time.
    const longAgo = new Date(Date.now() - 31 * 86_400_000).toISOString();
    await stack.orm.em
      .getConnection()
      .execute(
        `update orders set snapshot = jsonb_set(snapshot, '{completedAt}', to_jsonb(?::text)) where id = ?`,
        [longAgo, placed.id],
      );
    const expired = await open(token);
    expect(expired.status).toBe(410);
    const html = await expired.text();
    expect(html).toContain('no longer works');
    expect(html).not.toContain('SF Express');
  });

  it('slows down an address that keeps guessing links, even for a right one meanwhile', async () => {
    await stack.orm.em
      .getConnection()
      .execute(`delete from login_throttle where key like 'tracking-address:%'`);
    const placed = await order('en');
    const statuses: number[] = [];
    for (let guess = 0; guess < 12; guess++)
      statuses.push((await open(`${randomUUID()}.${'A'.repeat(22)}`)).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(404));
    expect(statuses.at(-1)).toBe(429);
    const right = await open(trackingToken(key, placed.id));
    expect(right.status).toBe(429);
    expect(await right.text()).toContain('Too many attempts');
    await stack.orm.em
      .getConnection()
      .execute(`delete from login_throttle where key like 'tracking-address:%'`);
    expect((await open(trackingToken(key, placed.id))).status).toBe(200);
  });
});
