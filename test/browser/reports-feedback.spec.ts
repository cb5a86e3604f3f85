import type { Browser } from 'playwright-core';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { trackingKey, trackingToken } from '../../config/tracking-link';
import { seedCatalogue } from '../support/fixtures';
import type { ApiClient } from '../support/http';
import { placeOrder } from '../support/orders';
import {
  axeViolations,
  launch,
  openConsole,
  screenshot,
  settled,
  signIn,
  type ConsolePage,
} from '../support/browser';
import { startStack, type TestStack } from '../support/stack';

const zh = JSON.parse(
  readFileSync(path.join(__dirname, '../../console/src/i18n/translations/zh-CN.json'), 'utf8'),
) as Record<string, Record<string, string>>;

/** Reports with charts and CSV, feedback, order documents and the customer's tracking page, in a browser. */
describe('reports, feedback, documents and tracking in the browser', () => {
  let stack: TestStack;
  let browser: Browser;
  let admin: ApiClient;
  let orderId: string;
  let englishOrderId: string;
  const opened: ConsolePage[] = [];

  const open = async (username: string) => {
    const consolePage = await openConsole(browser, stack.baseUrl);
    opened.push(consolePage);
    // A step that cannot happen fails with its locator named, well before the test's own timeout.
    consolePage.page.setDefaultTimeout(30_000);
    await signIn(consolePage.page, username);
    return consolePage;
  };

  beforeAll(async () => {
    stack = await startStack({ env: { OMS_TEMPORAL_UI_URL: 'http://127.0.0.1:8233' } });
    admin = await stack.client(['admin'], 'admin');
    await stack.client(['staff'], 'rf-staff');
    await stack.client(['manager'], 'rf-manager');
    const { customerId, skus } = await seedCatalogue(admin, [{ unitPrice: 2500, stockOnHand: 20 }]);
    const order = await placeOrder(admin, customerId, [{ sku: skus[0]!, quantity: 2 }]);
    orderId = order.id;
    if (order.status === 'created') await admin.post(`/api/orders/${orderId}/approve`, {});
    const english = await admin.post<{ id: string }>('/api/customers', {
      name: 'Tracking reader',
      email: 'tracking-reader@example.com',
      language: 'en',
    });
    englishOrderId = (await placeOrder(admin, english.body.id, [{ sku: skus[0]!, quantity: 1 }])).id;
    browser = await launch();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });
  afterEach(async () => {
    const pages = opened.splice(0);
    for (const { context } of pages) await context.close();
    expect(pages.flatMap(({ problems }) => problems)).toEqual([]);
  }, 150_000);

  it('draws the sales and pipeline charts and offers the same report as CSV', async () => {
    const { page } = await open('rf-manager');
    await page.goto('/reports/sales');
    await settled(page);
    await page.locator('[data-testid=sales-chart] canvas').waitFor();
    const href = await page.getByTestId('csv-download').getAttribute('href');
    expect(href).toMatch(/^\/api\/reports\/sales\?.*format=csv/);
    const csv = await page.evaluate(async (url) => {
      const response = await fetch(url);
      return {
        status: response.status,
        type: response.headers.get('content-type'),
        text: await response.text(),
      };
    }, href!);
    expect(csv.status).toBe(200);
    expect(csv.type).toMatch(/^text\/csv/);
    expect(csv.text.split('\n')[0]).toContain('period');
    await page.goto('/reports/pipeline');
    await settled(page);
    await page.locator('[data-testid=pipeline-chart] canvas').waitFor();
    for (const address of ['/reports/customers', '/reports/products']) {
      await page.goto(address);
      await settled(page);
      await page.getByTestId('ranking').waitFor();
    }
  }, 150_000);

  it('takes feedback from staff, and lets a manager find it and mark it handled', async () => {
    const message = `The board filters help a lot ${Date.now()}`;
    const staff = await open('rf-staff');
    await staff.page.goto('/feedback/new');
    await staff.page.locator('#message').fill(message);
    await staff.page.locator('button[type=submit]').click();
    await staff.page.locator('[data-testid=feedback-outcome].ant-alert-success').waitFor();
    // Staff cannot read the list.
    await staff.page.goto('/feedback');
    await staff.page.getByText(zh.notAllowed!.title!, { exact: true }).waitFor();

    const manager = await open('rf-manager');
    await manager.page.goto('/feedback');
    await settled(manager.page);
    const row = manager.page.locator('[data-testid=feedback-list] tr').filter({ hasText: message });
    await row.waitFor();
    await row.locator('[data-action=mark-handled]').click();
    await row.waitFor({ state: 'detached' });
    const handled = await admin.get<{ items: { message: string; handledAt: string | null }[] }>(
      '/api/feedback?handled=true',
    );
    expect(handled.body.items.find((item) => item.message === message)?.handledAt).toBeTruthy();
  }, 150_000);

  it('opens the invoice of a processing order from its detail page', async () => {
    const { page } = await open('rf-staff');
    await page.goto(`/orders/${orderId}`);
    await settled(page);
    const link = page.locator('[data-document=invoice-html]');
    await link.waitFor();
    const href = (await link.getAttribute('href'))!;
    expect(href).toBe(`/api/orders/${orderId}/invoice`);
    const invoice = await page.evaluate(async (url) => {
      const response = await fetch(url);
      return { status: response.status, text: await response.text() };
    }, href);
    expect(invoice.status).toBe(200);
    expect(invoice.text).toMatch(/INV-\d{4}-\d{6}/);
    expect(await page.locator('[data-document=shipping-label-pdf]').getAttribute('href')).toBe(
      `/api/orders/${orderId}/shipping-label?format=pdf`,
    );
  }, 150_000);

  it('links admins, and only admins, to the order’s workflow in the Temporal UI', async () => {
    const { page } = await open('admin');
    await page.goto(`/orders/${orderId}`);
    await settled(page);
    expect(await page.getByTestId('temporal-link').getAttribute('href')).toBe(
      `http://127.0.0.1:8233/namespaces/default/workflows/${encodeURIComponent(`order:${orderId}`)}`,
    );
    const staff = await open('rf-staff');
    await staff.page.goto(`/orders/${orderId}`);
    await settled(staff.page);
    expect(await staff.page.getByTestId('temporal-link').count()).toBe(0);
    const refused = await (
      await stack.client(['staff'], 'rf-staff')
    ).get(`/api/orders/${orderId}/workflow-link`);
    expect(refused.status).toBe(403);
  }, 150_000);

  it('shows the customer their tracking page without signing in, accessible, in their language', async () => {
    const consolePage = await openConsole(browser, stack.baseUrl);
    opened.push(consolePage);
    const { page } = consolePage;
    const token = trackingToken(trackingKey(stack.config), orderId);
    const response = await page.goto(`/track/${token}`);
    expect(response?.status()).toBe(200);
    await page.locator('main h1').waitFor();
    expect(await page.locator('[data-status]').getAttribute('data-status')).toBe('processing');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'zh-CN-tracking');
    await page.goto(`/track/${trackingToken(trackingKey(stack.config), englishOrderId)}`);
    await page.locator('html[lang=en] main h1').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'en-tracking');
    const refused = await page.goto(`/track/${token.slice(0, -1)}x`);
    expect(refused?.status()).toBe(404);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'tracking-refused');
  }, 150_000);
});
