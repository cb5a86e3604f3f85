import type { Browser, Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { seedCatalogue } from '../support/fixtures';
import type { ApiClient } from '../support/http';
import {
  attributeBecomes,
  confirmModal,
  launch,
  openConsole,
  signIn,
  type ConsolePage,
} from '../support/browser';
import { startStack, type TestStack } from '../support/stack';

const zh = JSON.parse(
  readFileSync(path.join(__dirname, '../../console/src/i18n/translations/zh-CN.json'), 'utf8'),
) as Record<string, Record<string, string & Record<string, string>>>;
const en = JSON.parse(
  readFileSync(path.join(__dirname, '../../console/src/i18n/translations/en.json'), 'utf8'),
) as typeof zh;

const orderIdOf = (page: Page) => /\/orders\/([0-9a-f-]{36})$/.exec(page.url())?.[1] ?? '';

/** The console in a real browser, against the real API, PostgreSQL and Temporal. */
describe('the web console', () => {
  let stack: TestStack;
  let browser: Browser;
  let admin: ApiClient;
  let customerName: string;
  let customerId: string;
  let sku: string;
  const opened: ConsolePage[] = [];

  const open = async (username: string, width?: number) => {
    const consolePage = await openConsole(browser, stack.baseUrl, width);
    opened.push(consolePage);
    await signIn(consolePage.page, username);
    return consolePage;
  };

  beforeAll(async () => {
    stack = await startStack();
    admin = await stack.client(['admin'], 'admin');
    await stack.client(['staff'], 'console-staff');
    await stack.client(['manager'], 'console-manager');
    await stack.client(['auditor'], 'console-auditor');
    const limit = (await admin.get<{ staffApprovalLimit: number }>('/api/settings/approval')).body
      .staffApprovalLimit;
    const seeded = await seedCatalogue(admin, [{ unitPrice: limit + 1000, stockOnHand: 50 }]);
    sku = seeded.skus[0]!;
    customerId = seeded.customerId;
    customerName = ((await admin.get(`/api/customers/${customerId}`)).body as { name: string }).name;
    browser = await launch();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });
  afterEach(async () => {
    // No page may log an error or break the content security policy.
    const pages = opened.splice(0);
    for (const { context } of pages) await context.close();
    expect(pages.flatMap(({ problems }) => problems)).toEqual([]);
  });

  it('takes an order above the staff limit from creation to an auditor-verified history, through the pages', async () => {
    const staff = await open('console-staff');
    const manager = await open('console-manager');

    // Staff place the order: customer and product search, live total, one click.
    await staff.page.goto('/orders/new');
    await staff.page.locator('#order-customer').fill(customerName);
    await staff.page.locator('.ant-select-item-option').filter({ hasText: customerName }).first().click();
    const productSearch = staff.page.getByRole('combobox', { name: zh.orders!.create!.addProduct });
    await productSearch.fill(sku);
    await staff.page.locator('.ant-select-item-option').filter({ hasText: sku }).first().click();
    expect(await staff.page.getByTestId('live-total').textContent()).toMatch(/\d/);
    const submit = staff.page.locator('button[type=submit]');
    await submit.dblclick();
    await staff.page.waitForURL(/\/orders\/[0-9a-f-]{36}$/);
    const id = orderIdOf(staff.page);
    await attributeBecomes(staff.page.getByTestId('order-status'), 'data-awaiting', 'manager_approval');
    // Above the staff limit: staff do not see approve or reject.
    expect(await staff.page.locator('[data-action=approve]').count()).toBe(0);
    expect(await staff.page.locator('[data-action=reject]').count()).toBe(0);
    expect(await staff.page.locator('[data-action=cancel]').count()).toBe(1);
    // The double click placed one order (one Idempotency-Key per form).
    const placed = await admin.get<{ items: unknown[] }>(`/api/orders?customerId=${customerId}`);
    expect(placed.body.items).toHaveLength(1);

    // Staff keep the board open (on this customer: other test files add orders of their own, some dated in
    // the future); the manager approves from the detail page.
    await staff.page.goto(`/orders?customerId=${customerId}`);
    const row = staff.page.locator(`[data-row-key="${id}"] [data-testid=order-status]`);
    await attributeBecomes(row, 'data-status', 'created');
    await manager.page.goto(`/orders/${id}`);
    await manager.page.locator('[data-action=approve]').click();
    await manager.page.locator('#comment').fill('Checked with the customer');
    await confirmModal(manager.page);
    await attributeBecomes(manager.page.getByTestId('order-status'), 'data-status', 'processing');
    // The staff member's board follows without a reload, within two seconds.
    await attributeBecomes(row, 'data-status', 'processing', 2000);

    // Staff ship and complete from the detail page.
    await staff.page.goto(`/orders/${id}`);
    await staff.page.locator('[data-action=ship]').click({ timeout: 15000 });
    await staff.page.locator('#carrier').fill('SF Express');
    await staff.page.locator('#trackingNumber').fill('SF1234567890');
    await confirmModal(staff.page);
    await attributeBecomes(staff.page.getByTestId('order-status'), 'data-status', 'shipped');
    await staff.page.locator('[data-action=complete]').click();
    await confirmModal(staff.page);
    await attributeBecomes(staff.page.getByTestId('order-status'), 'data-status', 'completed');
    await attributeBecomes(
      staff.page.locator('[data-testid=pipeline] [data-current=true]'),
      'data-stage',
      'completed',
    );

    // The auditor opens the history and verifies it by replay.
    const auditor = await open('console-auditor');
    await auditor.page.goto(`/orders/${id}`);
    await auditor.page.getByRole('tab', { name: zh.orders!.detail!.tabHistory }).click();
    await auditor.page.locator('[data-testid=history] .ant-timeline-item').first().waitFor();
    await auditor.page.getByRole('button', { name: zh.history!.verify }).click();
    await auditor.page.locator('[data-testid=verify-result].ant-alert-success').waitFor({ timeout: 30000 });
    expect(await auditor.page.locator('[data-action]').count()).toBe(0);
  }, 180_000);

  it('shows staff no manager pages, and "not allowed" at a manager address', async () => {
    const { page } = await open('console-staff');
    const nav = page.getByRole('navigation', { name: zh.layout!.navigation });
    expect(await nav.getByText(zh.nav!.approval!, { exact: true }).count()).toBe(0);
    expect(await nav.getByText(zh.nav!.tasks!, { exact: true }).count()).toBe(1);
    for (const address of ['/settings/approval', '/users', '/audit', '/webhooks']) {
      await page.goto(address);
      await page.getByText(zh.notAllowed!.title!, { exact: true }).waitFor();
    }
  });

  it('renders a stored-script customer name as text', async () => {
    const name = '<img src=x onerror=alert(1)>';
    const created = await admin.post<{ id: string }>('/api/customers', { name, email: 'xss@example.com' });
    expect(created.status).toBe(201);
    const consolePage = await open('console-staff');
    const { page } = consolePage;
    await page.goto('/customers');
    await page.getByRole('searchbox', { name: zh.customers!.search }).fill(name);
    await page.keyboard.press('Enter');
    await page.getByTestId('customer-list').getByText(name, { exact: true }).waitFor();
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(consolePage.dialogs).toEqual([]);
  });

  it('refuses a write made with the session cookie but without the anti-forgery token', async () => {
    const { page } = await open('console-staff');
    const statuses = await page.evaluate(async () => {
      const body = JSON.stringify({ name: 'Forged', email: 'forged@example.com' });
      const forged = await fetch('/api/customers', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      const form = await fetch('/api/customers', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'name=Forged&email=forged%40example.com',
      });
      const read = await fetch('/api/customers?q=Forged');
      return { forged: forged.status, form: form.status, read: read.status };
    });
    expect(statuses).toEqual({ forged: 403, form: 403, read: 200 });
    expect((await admin.get<{ items: unknown[] }>('/api/customers?q=Forged')).body.items).toEqual([]);
  });

  it('switches every label between Chinese and English, and keeps the choice for the user', async () => {
    const { page, context } = await open('console-manager');
    await page.getByText(zh.nav!.orders!, { exact: true }).first().waitFor();
    await page.getByText('English', { exact: true }).click();
    await page.getByText(en.nav!.orders!, { exact: true }).first().waitFor();
    await page.getByRole('heading', { name: en.orders!.list!.title }).waitFor();
    // The board of this test's customer: other test files leave orders of Chinese customers, whose names are
    // data, not labels.
    await page.goto(`/orders?customerId=${customerId}`);
    await page.getByRole('heading', { name: en.orders!.list!.title }).waitFor();
    // Nothing in Chinese is left on the page but the switch's own "中文".
    const text = (await page.locator('body').innerText()).replace('中文', '');
    expect(text.match(/[\u4e00-\u9fff]+/g)).toBeNull();
    // Kept on the account: a new sign-in in another browser starts in English.
    const again = await open('console-manager');
    await again.page.getByText(en.nav!.orders!, { exact: true }).first().waitFor();
    await page.getByText('中文', { exact: true }).click();
    await page.getByText(zh.nav!.orders!, { exact: true }).first().waitFor();
    expect(context).toBeDefined();
  });

  it('lands on sign-in with a message when the session ends', async () => {
    const { page, context } = await open('console-staff');
    await context.clearCookies();
    await page.goto('/customers');
    await page.locator('#username').waitFor();
    // A session that ends under an open page says so.
    await signIn(page, 'console-staff');
    await context.clearCookies();
    await page.getByRole('link', { name: zh.nav!.products! }).click();
    await page.getByText(zh.login!.expired!, { exact: true }).waitFor();
  });
});
