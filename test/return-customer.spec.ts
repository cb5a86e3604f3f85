import { trackingKey, trackingToken } from '../config/tracking-link';
import { seedCatalogue } from './support/fixtures';
import { placeOrder, type OrderBody } from './support/orders';
import { useStack } from './support/stack';

/**
 * The customer requests a return from the tracking page (issue 25): only when the managers allow it, only
 * for the order of the link, with the same checks as staff's request, recorded as the customer's.
 */
type Settings = { windowDays: number; customerMayRequest: boolean };
type Return = {
  id: string;
  number: string;
  orderId: string;
  status: string;
  lines: { sku: string; quantity: number }[];
  resolution: string;
  createdAt: string;
  createdBy: { id: string; username: string };
};
type Refusal = { statusCode: number; message: string; field?: string; status?: string };
type History = { items: { kind: string; actor: { username: string } | null }[] };

describe('returns requested by the customer', () => {
  // Declared before the stack's own afterAll, so it runs while the API still answers.
  afterAll(async () => {
    await t.boss.put('/api/settings/returns', before);
  });
  const t = useStack({ desk: [['staff'], 'creturn-desk'], boss: [['manager'], 'creturn-boss'] });
  let before: Settings;
  let key: string;

  beforeAll(async () => {
    key = trackingKey(t.stack.config);
    before = (await t.boss.get<Settings>('/api/settings/returns')).body;
  });

  const allow = (customerMayRequest: boolean) =>
    t.boss.put('/api/settings/returns', { windowDays: 30, customerMayRequest });

  const sql = <T>(query: string, params: unknown[] = []) =>
    t.stack.orm.em.fork().getConnection().execute<T & object>(query, params) as Promise<T>;
  const returnCount = async (orderId: string) =>
    (await sql<unknown[]>(`select id from order_returns where order_id = ?`, [orderId])).length;

  /** An order of 5 units of one product and 1 of another, the first shipped whole, the second not at all. */
  async function shippedOrder(): Promise<{ order: OrderBody; sku: string; other: string; token: string }> {
    const { customerId, skus } = await seedCatalogue(t.desk, [
      { unitPrice: 1000, stockOnHand: 100 },
      { unitPrice: 500, stockOnHand: 100 },
    ]);
    const [sku, other] = skus as [string, string];
    const order = await placeOrder(t.desk, customerId, [
      { sku, quantity: 5 },
      { sku: other, quantity: 1 },
    ]);
    expect((await t.desk.post(`/api/orders/${order.id}/approve`, {})).status).toBe(200);
    const shipped = await t.desk.post(`/api/orders/${order.id}/shipments`, {
      lines: [{ sku, quantity: 5 }],
      carrier: 'SF Express',
      trackingNumber: `SF-${order.number}`,
    });
    expect(shipped.status).toBe(201);
    return { order, sku, other, token: trackingToken(key, order.id) };
  }

  const page = async (token: string) => (await fetch(`${t.stack.baseUrl}/track/${token}`)).text();
  /** The page's form posts to the page's own URL (it has no `action`). */
  const postForm = (token: string, fields: Record<string, string>) =>
    fetch(`${t.stack.baseUrl}/track/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  const postJson = async <T>(token: string, body: unknown) => {
    const response = await fetch(`${t.stack.baseUrl}/track/${token}/returns`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as T };
  };

  it('offers no form and refuses a request (403) while customers may not ask, writing nothing', async () => {
    const { order, sku, token } = await shippedOrder();
    expect((await allow(false)).status).toBe(200);
    expect(await page(token)).not.toContain('<form');
    const refused = await postJson<Refusal>(token, { lines: [{ sku, quantity: 1 }], reason: 'Too big' });
    expect(refused.status).toBe(403);
    expect((await postForm(token, { 'item-1': '1', reason: 'Too big' })).status).toBe(403);
    expect(await returnCount(order.id)).toBe(0);
  });

  it('takes the page’s form for shipped units only, and records the customer as who asked', async () => {
    const { order, sku, token } = await shippedOrder();
    expect((await allow(true)).status).toBe(200);
    const html = await page(token);
    // Only the shipped item is offered, up to its 5 units; the page still names no SKU.
    // The form posts to the page's own URL: the page names no link, no order id.
    expect(html).toContain('<form method="post" class="return-form">');
    expect(html).not.toContain(order.id);
    expect(html).toMatch(/name="item-1" min="0" max="5"/);
    expect(html).not.toContain('name="item-2"');
    expect(html).not.toContain(sku);

    const answer = await postForm(token, { 'item-1': '2', 'item-2': '0', reason: 'Too big' });
    expect(answer.status).toBe(201);
    expect(answer.headers.get('content-type')).toContain('text/html');
    const number = /data-return-number="(RT-\d{4}-\d{6})"/.exec(await answer.text())?.[1];
    expect(number).toBeDefined();

    const listed = await t.desk.get<{ items: Return[] }>(`/api/returns?orderId=${order.id}`);
    expect(listed.body.items).toHaveLength(1);
    expect(listed.body.items[0]).toMatchObject({
      number,
      status: 'requested',
      lines: [{ sku, quantity: 2 }],
      resolution: 'refund',
      createdBy: { id: order.customerId, username: 'customer' },
    });
    const history = await t.boss.get<History>(`/api/orders/${order.id}/history`);
    expect(history.body.items.find((step) => step.kind === 'return.requested')?.actor?.username).toBe(
      'customer',
    );
    // What is left to return shrinks by what was asked; the return's progress shows on the same page.
    const after = await page(token);
    expect(after).toMatch(/name="item-1" min="0" max="3"/);
    expect(after).toContain(`data-return-number="${number}" data-return-status="requested"`);

    // The form also asks for an exchange (a refund is checked to begin with); anything else is refused.
    expect(html).toMatch(/name="resolution" value="refund" checked/);
    expect(html).toContain('name="resolution" value="exchange"');
    const swap = await postForm(token, { 'item-1': '1', reason: 'Broken', resolution: 'swap' });
    expect(swap.status).toBe(400);
    const exchange = await postForm(token, { 'item-1': '1', reason: 'Broken', resolution: 'exchange' });
    expect(exchange.status).toBe(201);
    const returns = await t.desk.get<{ items: Return[] }>(`/api/returns?orderId=${order.id}`);
    expect(returns.body.items.map((item) => item.resolution).sort()).toEqual(['exchange', 'refund']);
  });

  it('answers a JSON request as staff’s route does: 201, then 409 and 400 naming the field, writing nothing', async () => {
    const { order, sku, other, token } = await shippedOrder();
    expect((await allow(true)).status).toBe(200);
    const created = await postJson<Return>(token, { lines: [{ sku, quantity: 3 }], reason: 'Broken' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.any(String),
      number: expect.stringMatching(/^RT-\d{4}-\d{6}$/),
      orderId: order.id,
      status: 'requested',
      lines: [{ sku, quantity: 3 }],
      resolution: 'refund',
      createdAt: expect.any(String),
    });

    const refusals: [unknown, number, string][] = [
      [{ lines: [{ sku, quantity: 3 }], reason: 'again' }, 409, 'lines.0.quantity'],
      [{ lines: [{ sku: other, quantity: 1 }], reason: 'unshipped' }, 409, 'lines.0.quantity'],
      [{ lines: [{ sku: 'NO-SUCH-SKU', quantity: 1 }], reason: 'x' }, 400, 'lines.0.sku'],
      [{ lines: [{ sku, quantity: 0 }], reason: 'x' }, 400, 'lines.0.quantity'],
      [{ lines: [{ sku, quantity: 1 }] }, 400, 'reason'],
      [{ lines: [{ sku, quantity: 1 }], reason: 'x', resolution: 'swap' }, 400, 'resolution'],
      // The link decides the order; a body cannot name another.
      [{ lines: [{ sku, quantity: 1 }], reason: 'x', orderId: order.id }, 400, 'orderId'],
    ];
    for (const [body, status, field] of refusals) {
      const refused = await postJson<Refusal>(token, body);
      expect([refused.status, refused.body.message]).toEqual([status, expect.stringContaining(field)]);
    }
    const form = await postForm(token, { 'item-9': '1', reason: 'x' });
    expect(form.status).toBe(400);
    expect(await form.text()).toContain('item-9');
    expect((await postForm(token, { 'item-1': 'two', reason: 'x' })).status).toBe(400);
    expect(await returnCount(order.id)).toBe(1);
  });

  it('refuses a link that is not ours (404)', async () => {
    const { order, sku } = await shippedOrder();
    expect((await allow(true)).status).toBe(200);
    const forged = `${order.id}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`;
    expect((await postJson(forged, { lines: [{ sku, quantity: 1 }], reason: 'x' })).status).toBe(404);
    expect(await returnCount(order.id)).toBe(0);
  });
});
