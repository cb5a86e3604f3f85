/**
 * Quotes and API keys in the console (issue 27), in the browser: staff build a quote from the catalogue and
 * send it, the customer opens the e-mailed link without signing in and accepts it, the quote shows its one
 * order; an admin creates an API key (shown once), the key places an order, and revoking it refuses it at once.
 */
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import {
  attributeBecomes,
  axeViolations,
  confirmModal,
  launch,
  openConsole,
  screenshot,
  settled,
  signIn,
  words,
  zh,
  type ConsolePage,
} from '../support/browser';
import { eventually, seedCatalogue } from '../support/fixtures';
import type { ApiClient } from '../support/http';
import { startSmtpReceiver, type SmtpReceiver } from '../support/receivers';
import { ownTaskQueue, startStack, type TestStack } from '../support/stack';

interface QuoteBody {
  id: string;
  number: string;
  status: string;
  total: number;
  orderId: string | null;
  lines: { sku: string; quantity: number; unitPrice: number }[];
}
interface OrderBody {
  id: string;
  number: string;
  source: string;
  externalRef: string | null;
  total: number;
}

describe('quotes and API keys in the console', () => {
  let smtp: SmtpReceiver;
  let stack: TestStack;
  let browser: Browser;
  let staff: ApiClient;
  let admin: ApiClient;
  let customer: { id: string; name: string; email: string };
  let skus: string[];
  let quoteId: string;
  const opened: ConsolePage[] = [];

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    stack = await startStack({
      env: {
        ...ownTaskQueue('browser-quotes'),
        OMS_SMTP_URL: smtp.url,
        OMS_MAIL_FROM: 'OMS <orders@oms.example>',
      },
    });
    staff = await stack.client(['staff'], 'bq-staff');
    admin = await stack.client(['admin'], 'bq-admin');
    const seeded = await seedCatalogue(staff, [
      { unitPrice: 12990, stockOnHand: 100 },
      { unitPrice: 4500, stockOnHand: 100 },
    ]);
    skus = seeded.skus;
    const read = await staff.get<{ name: string; email: string }>(`/api/customers/${seeded.customerId}`);
    customer = { id: seeded.customerId, name: read.body.name, email: read.body.email };
    browser = await launch();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await smtp?.close();
  });
  afterEach(async () => {
    const pages = opened.splice(0);
    for (const { context } of pages) await context.close();
    expect(pages.flatMap(({ problems }) => problems)).toEqual([]);
  }, 60_000);

  async function open(username: string): Promise<Page> {
    const consolePage = await openConsole(browser, stack.baseUrl);
    opened.push(consolePage);
    consolePage.page.setDefaultTimeout(30_000);
    await signIn(consolePage.page, username);
    return consolePage.page;
  }

  it('staff build a quote from two catalogue products and send it; the customer accepts it from the e-mailed link, making one order', async () => {
    const page = await open('bq-staff');
    // The navigation leads to the quotes, in Chinese.
    await page
      .getByRole('navigation')
      .getByRole('link', { name: zh('nav.quotes') })
      .click();
    await page.getByRole('heading', { name: zh('quotes.list.title') }).waitFor();
    await page.getByRole('link', { name: zh('quotes.list.new') }).click();
    await page.getByRole('heading', { name: zh('quotes.create.title') }).waitFor();

    await page.locator('#quote-customer').fill(customer.name);
    await page.locator('.ant-select-item-option').filter({ hasText: customer.name }).first().click();
    const productSearch = page.getByRole('combobox', { name: zh('orders.create.addProduct') });
    for (const sku of skus) {
      await productSearch.fill(sku);
      await page.locator('.ant-select-item-option').filter({ hasText: sku }).first().click();
    }
    await page.getByRole('spinbutton', { name: zh('orders.create.quantityOf', { sku: skus[1]! }) }).fill('3');
    await page.locator('#quote-notes').fill('价格含运费');
    await page.locator('main button[type=submit]').click();
    await page.waitForURL(/\/quotes\/[0-9a-f-]{36}$/);
    quoteId = new URL(page.url()).pathname.split('/').pop()!;
    await attributeBecomes(page.getByTestId('quote-status'), 'data-status', 'draft');
    const draft = (await staff.get<QuoteBody>(`/api/quotes/${quoteId}`)).body;
    // Priced from the catalogue: 1 × 129.90 + 3 × 45.00.
    expect(draft.lines.map(({ sku, quantity, unitPrice }) => [sku, quantity, unitPrice])).toEqual([
      [skus[0], 1, 12990],
      [skus[1], 3, 4500],
    ]);
    expect(draft.total).toBe(26490);
    await page.getByRole('heading', { name: zh('quotes.detail.title', { number: draft.number }) }).waitFor();

    await page.getByTestId('quote-send').click();
    await attributeBecomes(page.getByTestId('quote-status'), 'data-status', 'sent');

    // The customer's e-mail holds the signed link; the customer opens it with no session at all.
    const mail = await eventually(
      () =>
        Promise.resolve(
          smtp.messages.find((m) => m.to === customer.email && m.subject.includes(draft.number)),
        ),
      (found) => found !== undefined,
      30_000,
    );
    expect(mail).toBeDefined();
    const link = /https?:\/\/\S+\/q\/[\w.-]+/.exec(mail!.text)?.[0];
    expect(link).toBeDefined();
    const customerContext = await browser.newContext({ baseURL: stack.baseUrl });
    try {
      const quotePage = await customerContext.newPage();
      quotePage.setDefaultTimeout(30_000);
      await quotePage.goto(new URL(link!).pathname);
      await quotePage.getByText(draft.number).first().waitFor();
      await quotePage.getByRole('button', { name: '接受报价' }).click();
      await quotePage.getByText('已接受，订单已生成').first().waitFor();
      expect(await customerContext.cookies()).toEqual([]);
    } finally {
      await customerContext.close();
    }

    // One order, from the quote, at the quoted prices.
    const orders = (await staff.get<{ items: OrderBody[] }>(`/api/orders?externalRef=${quoteId}`)).body.items;
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ source: 'quote', externalRef: quoteId, total: 26490 });

    // The console shows the quote accepted, with a link to that order.
    await page.reload();
    await settled(page);
    await attributeBecomes(page.getByTestId('quote-status'), 'data-status', 'accepted');
    const orderLink = page.getByTestId('quote-order-link');
    await orderLink.getByText(orders[0]!.number).waitFor();
    // A sent quote is sent no more once answered.
    expect(await page.getByTestId('quote-send').count()).toBe(0);
    await orderLink.click();
    await page.waitForURL(`**/orders/${orders[0]!.id}`);
    await page.getByText(orders[0]!.number).first().waitFor();

    // The list filtered by status finds it.
    await page.goto('/quotes?status=accepted');
    await settled(page);
    const row = page.locator(`[data-row-key="${quoteId}"]`);
    await row.getByText(draft.number).waitFor();
    await row.getByText(customer.name).waitFor();
    await page.goto('/quotes?status=draft');
    await settled(page);
    expect(await page.locator(`[data-row-key="${quoteId}"]`).count()).toBe(0);
  }, 180_000);

  it('marks the field the API names when a quote is refused', async () => {
    const page = await open('bq-staff');
    await page.goto('/quotes/new');
    await settled(page);
    await page.locator('#quote-customer').fill(customer.name);
    await page.locator('.ant-select-item-option').filter({ hasText: customer.name }).first().click();
    const productSearch = page.getByRole('combobox', { name: zh('orders.create.addProduct') });
    await productSearch.fill(skus[0]!);
    await page.locator('.ant-select-item-option').filter({ hasText: skus[0]! }).first().click();
    // The API refuses a validity in the past (the form only offers today on): the answer is shown under it.
    await page.route('**/api/quotes', async (route) => {
      if (route.request().method() !== 'POST') return route.fallback();
      const body = JSON.parse(route.request().postData() ?? '{}') as Record<string, unknown>;
      return route.fallback({
        postData: JSON.stringify({ ...body, validUntil: new Date(Date.now() - 60_000).toISOString() }),
      });
    });
    await page.locator('main button[type=submit]').click();
    const item = page.locator('.ant-form-item').filter({ has: page.locator('#quote-valid-until') });
    await item.locator('.ant-form-item-explain-error').waitFor();
    // Next to the field, not as a general alert; nothing was made.
    expect(await page.locator('main [role=alert].ant-alert').count()).toBe(0);
    expect(page.url()).toMatch(/\/quotes\/new$/);
    const made = await staff.get<{ items: unknown[] }>(`/api/quotes?customerId=${customer.id}`);
    expect(made.body.items).toHaveLength(1);
  }, 60_000);

  it('an admin creates an API key shown once; the key places an order, and once revoked it is refused at once', async () => {
    const page = await open('bq-admin');
    await page
      .getByRole('navigation')
      .getByRole('link', { name: zh('nav.apiKeys') })
      .click();
    await page.getByRole('heading', { name: zh('apiKeys.title') }).waitFor();
    await page.getByRole('button', { name: zh('apiKeys.new') }).click();
    await page.locator('.ant-modal #name').fill('网店');
    await confirmModal(page);
    const secret = page.getByTestId('api-key-secret');
    await secret.waitFor();
    const key = (await secret.textContent())!.trim();
    expect(key).toMatch(/^oms_/);
    await page.getByText(zh('apiKeys.shownOnce', { name: '网店' })).waitFor();

    const placed = await fetch(`${stack.baseUrl}/api/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        customerId: customer.id,
        lines: [{ sku: skus[1], quantity: 1 }],
        externalRef: `SHOP-${randomUUID().slice(0, 8)}`,
      }),
    });
    expect(placed.status).toBe(201);
    const order = (await placed.json()) as OrderBody;
    expect(order.source).toBe('api');

    // The key is never shown again: not after a reload, not in the list (only its first characters).
    await page.reload();
    await settled(page);
    const row = page.locator('.ant-table-row').filter({ hasText: '网店' });
    await row.waitFor();
    expect(await page.getByTestId('api-key-secret').count()).toBe(0);
    expect(await page.locator('body').textContent()).not.toContain(key);

    await row.getByRole('button', { name: zh('apiKeys.revokeNamed', { name: '网店' }) }).click();
    // The confirm's own button (antd spaces two-character Chinese labels, so it is found by its kind). The
    // revocation's answer is awaited first, so a loaded machine's slow answer is told apart from a list that
    // never showed it.
    const answered = page.waitForResponse(
      (response) => response.request().method() === 'DELETE' && response.url().includes('/api/api-keys/'),
      { timeout: 30_000 },
    );
    await page.locator('.ant-popover .ant-btn-dangerous').click();
    expect((await answered).status()).toBe(204);
    await attributeBecomes(row.getByTestId('api-key-revoked'), 'data-revoked', 'true', 20_000);
    const refused = await fetch(`${stack.baseUrl}/api/orders?limit=1`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(refused.status).toBe(401);
  }, 120_000);

  it('has no serious or critical accessibility violations on the new pages, in Chinese and in English', async () => {
    // A draft (with its Send button) beside the accepted quote, and a key that may still be revoked.
    const draft = await staff.post<QuoteBody>('/api/quotes', {
      customerId: customer.id,
      lines: [{ sku: skus[0], quantity: 1 }],
      validUntil: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(draft.status).toBe(201);
    expect((await admin.post('/api/api-keys', { name: 'ERP', roles: ['auditor'] })).status).toBe(201);
    const page = await open('bq-admin');
    const pages = {
      quotes: '/quotes',
      'quote-new': '/quotes/new',
      'quote-detail': `/quotes/${quoteId}`,
      'quote-draft': `/quotes/${draft.body.id}`,
      'api-keys': '/api-keys',
    };
    const found: Record<string, unknown> = {};
    for (const language of ['zh-CN', 'en'] as const) {
      await page
        .getByText(language === 'en' ? 'English' : '中文', { exact: true })
        .first()
        .click();
      for (const [name, address] of Object.entries(pages)) {
        await page.goto(address);
        await settled(page);
        const title = {
          quotes: 'quotes.list.title',
          'quote-new': 'quotes.create.title',
          'quote-detail': 'quotes.detail.title',
          'quote-draft': 'quotes.detail.title',
          'api-keys': 'apiKeys.title',
        }[name]!;
        await page
          .locator('main h1')
          .filter({ hasText: words(language, title, { number: '' }).trim() })
          .waitFor();
        const violations = await axeViolations(page);
        if (violations.length > 0) found[`${language}-${name}`] = violations;
        await screenshot(page, `${language}-${name}`);
      }
    }
    expect(found).toEqual({});
  }, 180_000);
});
