import { randomUUID } from 'node:crypto';
import { quoteToken } from '../config/quote-link';
import { trackingKey, trackingToken } from '../config/tracking-link';
import { eventually } from './support/fixtures';
import type { ApiClient } from './support/http';
import type { OrderBody } from './support/orders';
import { startSmtpReceiver, type SmtpReceiver } from './support/receivers';
import { ownTaskQueue, startStack, type TestStack } from './support/stack';
import { quoteWorkflowId } from '../workflows/quote.definitions';

interface QuoteBody {
  id: string;
  number: string;
  status: string;
  customerId: string;
  lines: {
    productId: string;
    sku: string;
    name: string;
    quantity: number;
    unitPrice: number;
    lineTotal: number;
  }[];
  total: number;
  currency: string;
  validUntil: string;
  notes: string | null;
  createdAt: string;
  sentAt: string | null;
  orderId: string | null;
}
interface PublicQuote {
  number: string;
  status: string;
  orderId: string | null;
  orderNumber: string | null;
}
interface ErrorBody {
  message: string;
  status?: string;
  field?: string;
}

/** Quotes against the real API, outbox, order workflow and database (docs/quotes.md). */
describe('quotes', () => {
  let stack: TestStack;
  let smtp: SmtpReceiver;
  let staff: ApiClient;
  let manager: ApiClient;
  let auditor: ApiClient;
  let key: string;
  let customer: { id: string; email: string };
  let skus: string[];
  let productIds: string[];

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    stack = await startStack({ env: { ...ownTaskQueue('quotes'), OMS_SMTP_URL: smtp.url } });
    staff = await stack.client(['staff']);
    manager = await stack.client(['manager'], 'quote-manager');
    auditor = await stack.client(['auditor'], 'quote-auditor');
    key = trackingKey(stack.config);
    const tag = randomUUID().slice(0, 8);
    const email = `quote-${tag}@example.com`;
    const created = await staff.post<{ id: string }>('/api/customers', {
      name: `Quote Customer ${tag}`,
      email,
      language: 'en',
    });
    expect(created.status).toBe(201);
    customer = { id: created.body.id, email };
    skus = [`QT-${tag}-A`, `QT-${tag}-B`];
    productIds = [];
    for (const [index, sku] of skus.entries()) {
      const product = await staff.post<{ id: string }>('/api/products', {
        sku,
        name: `Quoted product ${index}`,
        unitPrice: index === 0 ? 1250 : 990,
        currency: 'CNY',
        stockOnHand: 100,
      });
      expect(product.status).toBe(201);
      productIds.push(product.body.id);
    }
  }, 120_000);

  afterAll(async () => {
    await stack.close();
    await smtp.close();
  });

  const inADay = () => new Date(Date.now() + 86_400_000).toISOString();

  async function makeQuote(
    validUntil = inADay(),
    notes?: string,
    [first, second] = skus,
  ): Promise<QuoteBody> {
    const created = await staff.post<QuoteBody>('/api/quotes', {
      customerId: customer.id,
      lines: [
        { sku: first, quantity: 2 },
        { sku: second, quantity: 1 },
      ],
      validUntil,
      ...(notes === undefined ? {} : { notes }),
    });
    expect(created.status).toBe(201);
    return created.body;
  }

  /** Sends the quote and reads the link's token from the e-mail the customer received. */
  async function send(quote: QuoteBody): Promise<string> {
    const sent = await staff.post<QuoteBody>(`/api/quotes/${quote.id}/send`, {});
    expect(sent.status).toBe(200);
    expect(sent.body.status).toBe('sent');
    const mail = await eventually(
      () =>
        Promise.resolve(
          smtp.messages.find((m) => m.to === customer.email && m.subject.includes(quote.number)),
        ),
      (found) => found !== undefined,
    );
    expect(mail).toBeDefined();
    const token = /\/q\/([\w.-]+)/.exec(mail!.text)?.[1];
    expect(token).toBeDefined();
    return token!;
  }

  const page = (token: string, accept = 'text/html') =>
    fetch(`${stack.baseUrl}/q/${token}`, { headers: { accept } });
  /** The customer's answer as the page's form sends it. */
  const answerByForm = (token: string, answer: 'accept' | 'decline') =>
    fetch(`${stack.baseUrl}/q/${token}/${answer}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: `answer=${answer}`,
    });
  const answerByJson = async <T>(token: string, answer: 'accept' | 'decline') => {
    const response = await fetch(`${stack.baseUrl}/q/${token}/${answer}`, {
      method: 'POST',
      headers: { accept: 'application/json' },
    });
    return { status: response.status, body: (await response.json()) as T };
  };
  const ordersFor = async (quoteId: string) =>
    (await staff.get<{ items: OrderBody[] }>(`/api/orders?externalRef=${quoteId}`)).body.items;
  const quoteCount = async () =>
    Number(
      (
        await stack.orm.em
          .getConnection()
          .execute<{ count: string }[]>(`select count(*) from quotes where customer_id = ?`, [customer.id])
      )[0]!.count,
    );

  it('prices a quote from the catalogue, e-mails its link, and turns the accepted quote into one order that runs the pipeline', async () => {
    const quote = await makeQuote(inADay(), 'Prices <b>include</b> delivery & setup');
    expect(quote).toMatchObject({
      status: 'draft',
      customerId: customer.id,
      currency: 'CNY',
      total: 2 * 1250 + 990,
      notes: 'Prices <b>include</b> delivery & setup',
      orderId: null,
      sentAt: null,
    });
    expect(quote.number).toMatch(/^Q-\d{4}-\d{6}$/);
    expect(quote.lines).toEqual([
      expect.objectContaining({
        sku: skus[0],
        productId: productIds[0],
        quantity: 2,
        unitPrice: 1250,
        lineTotal: 2500,
      }),
      expect.objectContaining({
        sku: skus[1],
        productId: productIds[1],
        quantity: 1,
        unitPrice: 990,
        lineTotal: 990,
      }),
    ]);
    expect((await auditor.get<QuoteBody>(`/api/quotes/${quote.id}`)).body.status).toBe('draft');
    const drafts = await auditor.get<{ items: QuoteBody[] }>(
      `/api/quotes?status=draft&customerId=${customer.id}`,
    );
    expect(drafts.body.items.map((q) => q.id)).toContain(quote.id);

    // The catalogue changes after the quote was made: the quote keeps its prices, and so does its order.
    expect((await staff.patch(`/api/products/${productIds[0]}`, { unitPrice: 9999 })).status).toBe(200);

    const token = await send(quote);
    expect(
      (
        await auditor.get<{ items: QuoteBody[] }>(`/api/quotes?status=sent&customerId=${customer.id}`)
      ).body.items.map((q) => q.id),
    ).toContain(quote.id);

    const opened = await page(token);
    expect(opened.status).toBe(200);
    expect(opened.headers.get('content-type')).toMatch(/^text\/html/);
    expect(opened.headers.get('cache-control')).toBe('no-store');
    const html = await opened.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain(quote.number);
    expect(html).toContain('data-status="sent"');
    expect(html).toContain(`action="${token}/accept"`);
    expect(html).toContain(`action="${token}/decline"`);
    expect(html).toContain('Prices &lt;b&gt;include&lt;/b&gt; delivery &amp; setup');
    expect(html).not.toContain('<b>include</b>');
    expect(html).not.toContain('<script');
    const asJson = await page(token, 'application/json');
    expect(asJson.status).toBe(200);
    expect(((await asJson.json()) as PublicQuote).status).toBe('sent');

    const accepted = await answerByForm(token, 'accept');
    expect(accepted.status).toBe(200);
    const acceptedHtml = await accepted.text();
    expect(acceptedHtml).toContain('data-status="accepted"');
    expect(acceptedHtml).not.toContain('<form');

    const read = await staff.get<QuoteBody>(`/api/quotes/${quote.id}`);
    expect(read.body.status).toBe('accepted');
    expect(read.body.orderId).toEqual(expect.any(String));
    const order = (
      await staff.get<
        OrderBody & {
          source: string;
          externalRef: string;
          lines: { sku: string; unitPrice: number }[];
          total: number;
        }
      >(`/api/orders/${read.body.orderId}`)
    ).body;
    expect(order).toMatchObject({
      source: 'quote',
      externalRef: quote.id,
      customerId: customer.id,
      total: quote.total,
    });
    expect(order.lines.map((l) => [l.sku, l.unitPrice])).toEqual([
      [skus[0], 1250],
      [skus[1], 990],
    ]);
    expect(acceptedHtml).toContain(order.number);

    // Accepting again answers the same order; there is only one.
    const again = await answerByJson<PublicQuote>(token, 'accept');
    expect(again).toMatchObject({ status: 200, body: { status: 'accepted', orderId: order.id } });
    expect((await ordersFor(quote.id)).map((o) => o.id)).toEqual([order.id]);

    // The order goes through the normal pipeline.
    expect((await manager.post(`/api/orders/${order.id}/approve`, {})).status).toBe(200);
    const ready = await eventually(
      () => staff.get<OrderBody>(`/api/orders/${order.id}`),
      (response) => response.body.awaiting === 'shipment',
    );
    expect(ready.body).toMatchObject({ status: 'processing', awaiting: 'shipment' });

    const audit = await auditor.get<{ items: { action: string; entityId: string }[] }>(
      `/api/audit?entity=quote&entityId=${quote.id}`,
    );
    expect(audit.body.items.map((entry) => entry.action).sort()).toEqual([
      'quote.accepted',
      'quote.created',
      'quote.sent',
    ]);
    await staff.patch(`/api/products/${productIds[0]}`, { unitPrice: 1250 });
  });

  it('gives two accepts racing one order', async () => {
    const quote = await makeQuote();
    const token = await send(quote);
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => answerByJson<PublicQuote>(token, 'accept')),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    const orderIds = new Set(answers.map((a) => a.body.orderId));
    expect(orderIds.size).toBe(1);
    const orders = await ordersFor(quote.id);
    expect(orders).toHaveLength(1);
    expect([...orderIds]).toEqual([orders[0]!.id]);
  });

  it('declines, after which neither accept nor decline nor send is possible', async () => {
    const quote = await makeQuote();
    const token = await send(quote);
    const declined = await answerByForm(token, 'decline');
    expect(declined.status).toBe(200);
    expect(await declined.text()).toContain('data-status="declined"');
    expect((await staff.get<QuoteBody>(`/api/quotes/${quote.id}`)).body).toMatchObject({
      status: 'declined',
      orderId: null,
    });
    const accept = await answerByJson<ErrorBody>(token, 'accept');
    expect(accept).toMatchObject({ status: 409, body: { status: 'declined' } });
    expect(accept.body.message).toContain('declined');
    expect((await answerByForm(token, 'accept')).status).toBe(409);
    expect((await answerByJson<ErrorBody>(token, 'decline')).status).toBe(409);
    const resend = await staff.post<ErrorBody>(`/api/quotes/${quote.id}/send`, {});
    expect(resend).toMatchObject({ status: 409, body: { status: 'declined' } });
    expect(await ordersFor(quote.id)).toEqual([]);
  });

  it('expires at validUntil: reads expired and refuses the accept with 409 naming expired', async () => {
    const validUntil = new Date(Date.now() + 2500);
    const quote = await makeQuote(validUntil.toISOString());
    const token = await send(quote);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, validUntil.getTime() - Date.now()) + 50));
    expect((await staff.get<QuoteBody>(`/api/quotes/${quote.id}`)).body.status).toBe('expired');
    const expired = await staff.get<{ items: QuoteBody[] }>(
      `/api/quotes?status=expired&customerId=${customer.id}`,
    );
    expect(expired.body.items.map((q) => q.id)).toContain(quote.id);
    const sent = await staff.get<{ items: QuoteBody[] }>(`/api/quotes?status=sent&customerId=${customer.id}`);
    expect(sent.body.items.map((q) => q.id)).not.toContain(quote.id);
    const accept = await answerByJson<ErrorBody>(token, 'accept');
    expect(accept).toMatchObject({ status: 409, body: { status: 'expired' } });
    const html = await page(token);
    expect(html.status).toBe(200);
    const text = await html.text();
    expect(text).toContain('data-status="expired"');
    expect(text).not.toContain('<form');
    expect((await staff.post<ErrorBody>(`/api/quotes/${quote.id}/send`, {})).body.status).toBe('expired');
    expect(await ordersFor(quote.id)).toEqual([]);
  });

  /** The quote's row as stored (not as a read computes it) and its audit entries, oldest first. */
  const stored = async (quoteId: string) => {
    const connection = stack.orm.em.getConnection();
    const [row] = await connection.execute<{ status: string }[]>(`select status from quotes where id = ?`, [
      quoteId,
    ]);
    const audit = await connection.execute<{ action: string; actor: { username: string } }[]>(
      `select action, actor from audit_log where entity = 'quote' and entity_id = ? order by id`,
      [quoteId],
    );
    return { status: row?.status, actions: audit.map((entry) => entry.action), audit };
  };

  it('is marked expired in its row by its timer at validUntil, with nobody reading it; accepting it then is refused', async () => {
    const validUntil = new Date(Date.now() + 3000);
    const quote = await makeQuote(validUntil.toISOString());
    const token = await send(quote);
    // Sent again: the same timer, not a second one.
    const timer = stack.temporal.workflow.getHandle(quoteWorkflowId(quote.id));
    const { runId } = await timer.describe();
    expect((await staff.post<QuoteBody>(`/api/quotes/${quote.id}/send`, {})).status).toBe(200);
    expect((await timer.describe()).runId).toBe(runId);
    expect((await stored(quote.id)).status).toBe('sent');

    // Only the database is looked at until the timer has run: no read computes the status.
    expect(await timer.result()).toEqual({ outcome: 'expired' });
    expect(Date.now()).toBeGreaterThanOrEqual(validUntil.getTime());
    const after = await stored(quote.id);
    expect(after.status).toBe('expired');
    expect(after.actions).toEqual(['quote.created', 'quote.sent', 'quote.sent', 'quote.expired']);
    expect(after.audit[3]!.actor.username).toBe('system');

    const accept = await answerByJson<ErrorBody>(token, 'accept');
    expect(accept).toMatchObject({ status: 409, body: { status: 'expired' } });
    expect(await ordersFor(quote.id)).toEqual([]);
    // The refusal found it expired already: nothing more is written.
    expect((await stored(quote.id)).actions.filter((action) => action === 'quote.expired')).toHaveLength(1);
  });

  it('leaves a quote answered before validUntil as it is when its timer runs out', async () => {
    const validUntil = new Date(Date.now() + 3000);
    const accepted = await makeQuote(validUntil.toISOString());
    const declined = await makeQuote(validUntil.toISOString());
    const acceptToken = await send(accepted);
    const declineToken = await send(declined);
    expect((await answerByJson<PublicQuote>(acceptToken, 'accept')).status).toBe(200);
    expect((await answerByJson<PublicQuote>(declineToken, 'decline')).status).toBe(200);

    const timer = (id: string) => stack.temporal.workflow.getHandle(quoteWorkflowId(id)).result();
    expect(await timer(accepted.id)).toEqual({ outcome: 'answered', status: 'accepted' });
    expect(await timer(declined.id)).toEqual({ outcome: 'answered', status: 'declined' });
    expect(Date.now()).toBeGreaterThanOrEqual(validUntil.getTime());
    for (const [quote, status] of [
      [accepted, 'accepted'],
      [declined, 'declined'],
    ] as const) {
      const after = await stored(quote.id);
      expect(after.status).toBe(status);
      expect(after.actions).not.toContain('quote.expired');
    }
    expect((await staff.get<QuoteBody>(`/api/quotes/${accepted.id}`)).body.status).toBe('accepted');
    expect(await ordersFor(accepted.id)).toHaveLength(1);
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const before = await quoteCount();
    const good = { customerId: customer.id, lines: [{ sku: skus[0], quantity: 1 }], validUntil: inADay() };
    const cases: [unknown, RegExp][] = [
      [{ ...good, customerId: randomUUID() }, /^customerId/],
      [{ ...good, lines: [{ sku: 'NO-SUCH-SKU', quantity: 1 }] }, /^lines\.0\.sku/],
      [{ ...good, lines: [{ sku: skus[0], quantity: 0 }] }, /^lines\.0\.quantity/],
      [{ ...good, lines: [{ sku: skus[0], quantity: 1.5 }] }, /^lines\.0\.quantity/],
      [{ ...good, lines: [{ sku: skus[0], quantity: '2' }] }, /^lines\.0\.quantity/],
      [{ ...good, lines: [] }, /^lines/],
      [{ ...good, validUntil: new Date(Date.now() - 60_000).toISOString() }, /^validUntil/],
      [{ ...good, validUntil: 'next tuesday' }, /^validUntil/],
      [{ ...good, validUntil: '2026-02-30T10:00:00Z' }, /^validUntil/],
      [{ customerId: customer.id, lines: good.lines }, /^validUntil/],
    ];
    for (const [body, field] of cases) {
      const refused = await staff.post<ErrorBody>('/api/quotes', body);
      expect([JSON.stringify(body), refused.status]).toEqual([JSON.stringify(body), 400]);
      expect(refused.body.message).toMatch(field);
    }
    expect(await quoteCount()).toBe(before);
  });

  /** Wrong links are counted per address with the tracking page's: every test here comes from loopback. */
  const forgetWrongLinks = () =>
    stack.orm.em
      .fork()
      .getConnection()
      .execute(`delete from login_throttle where key like 'tracking-address:%'`);

  it('answers 404 to a forged, truncated or tracking link, and 409 to a draft being answered', async () => {
    await forgetWrongLinks();
    const quote = await makeQuote();
    const real = quoteToken(key, quote.id);
    for (const token of [
      trackingToken(key, quote.id),
      real.slice(0, -2),
      `${randomUUID()}.AAAAAAAAAAAAAAAAAAAAAA`,
    ]) {
      const html = await page(token);
      expect(html.status).toBe(404);
      expect(await html.text()).toContain('This quote link is not valid');
      expect((await page(token, 'application/json')).status).toBe(404);
      expect((await answerByJson(token, 'accept')).status).toBe(404);
    }
    const draft = await answerByJson<ErrorBody>(real, 'accept');
    expect(draft).toMatchObject({ status: 409, body: { status: 'draft' } });
    expect((await staff.get<QuoteBody>(`/api/quotes/${quote.id}`)).body.status).toBe('draft');
  });

  it('slows link guessing from one address like the tracking page: after ten wrong links even a right one waits', async () => {
    await forgetWrongLinks();
    try {
      const quote = await makeQuote();
      const token = await send(quote);
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++)
        statuses.push((await page(`${randomUUID()}.AAAAAAAAAAAAAAAAAAAAAA`)).status);
      expect(statuses.slice(0, 10)).toEqual(Array(10).fill(404));
      expect(statuses[10]).toBe(429);
      // While the address waits, the right link is refused too (as a page and as JSON): no guess is confirmed.
      const right = await page(token);
      expect(right.status).toBe(429);
      expect(await right.text()).toContain('Too many attempts');
      expect((await answerByJson<ErrorBody>(token, 'accept')).status).toBe(429);
      expect((await staff.get<QuoteBody>(`/api/quotes/${quote.id}`)).body.status).toBe('sent');
    } finally {
      await forgetWrongLinks();
    }
  });

  it('shows in the quotes report how many quotes became orders', async () => {
    type Report = {
      items: {
        currency: string;
        quotes: number;
        sent: number;
        accepted: number;
        declined: number;
        open: number;
        conversionRate: number | null;
        acceptedValue: number;
      }[];
    };
    // Quotes in a currency no other test uses (browser tests make CNY quotes meanwhile): its row is this test's.
    const currency = 'SEK';
    const tag = randomUUID().slice(0, 8);
    const own = [`QT-${tag}-SEK-A`, `QT-${tag}-SEK-B`];
    for (const sku of own)
      expect(
        (await staff.post('/api/products', { sku, name: sku, unitPrice: 1500, currency, stockOnHand: 10 }))
          .status,
      ).toBe(201);
    const ours = async () =>
      (await auditor.get<Report>('/api/reports/quotes')).body.items.find((i) => i.currency === currency) ?? {
        quotes: 0,
        sent: 0,
        accepted: 0,
        declined: 0,
        open: 0,
        acceptedValue: 0,
      };
    const before = await ours();
    const won = await makeQuote(inADay(), undefined, own);
    await answerByJson(await send(won), 'accept');
    await answerByJson(await send(await makeQuote(inADay(), undefined, own)), 'decline');
    await makeQuote(inADay(), undefined, own);
    const after = await ours();
    expect({
      quotes: after.quotes - before.quotes,
      sent: after.sent - before.sent,
      accepted: after.accepted - before.accepted,
      declined: after.declined - before.declined,
      open: after.open - before.open,
      acceptedValue: after.acceptedValue - before.acceptedValue,
    }).toEqual({ quotes: 3, sent: 2, accepted: 1, declined: 1, open: 1, acceptedValue: won.total });
    const report = await auditor.get<Report>('/api/reports/quotes');
    const row = report.body.items.find((i) => i.currency === currency)!;
    expect(row.conversionRate).toBeCloseTo(row.accepted / row.sent, 3);
    const csv = await fetch(`${stack.baseUrl}/api/reports/quotes?format=csv`, {
      headers: auditor.headers,
    });
    expect(csv.status).toBe(200);
    expect(await csv.text()).toContain('currency,quotes,sent,accepted,declined,expired,open,conversionRate');
    expect((await staff.get('/api/reports/quotes')).status).toBe(403);
    expect((await auditor.get('/api/reports/quotes?from=2026-13-01')).status).toBe(400);
  });

  it('is read by auditors but made and sent only by staff, managers and admins', async () => {
    const refused = await auditor.post('/api/quotes', {
      customerId: customer.id,
      lines: [{ sku: skus[0], quantity: 1 }],
      validUntil: inADay(),
    });
    expect(refused.status).toBe(403);
    expect((await auditor.get('/api/quotes')).status).toBe(200);
  });
});
