/**
 * The board's bulk actions and saved views in the browser (issue 26): a manager saves the board's filters as
 * a view, opens it from the navigation, selects every order on the page and approves them in one request
 * with the keyboard alone, and reads what became of each order, one of which another request cancelled in
 * between. In Chinese and in English, with axe on the board while orders are selected and while the
 * results are shown.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import {
  axeViolations,
  launch,
  openConsole,
  screenshot,
  settled,
  signIn,
  type ConsolePage,
} from '../support/browser';
import { eventually, seedCatalogue } from '../support/fixtures';
import type { ApiClient } from '../support/http';
import { placeOrder, type OrderBody } from '../support/orders';
import { startStack, type TestStack } from '../support/stack';

interface Strings {
  orders: {
    bulk: Record<string, string> & { actions: Record<string, string> };
    views: { save: string; name: string; delete: string };
  };
}
const strings = (language: 'zh-CN' | 'en') =>
  JSON.parse(
    readFileSync(path.join(__dirname, `../../console/src/i18n/translations/${language}.json`), 'utf8'),
  ) as Strings;
/** An i18n text with its `{{placeholders}}` filled. */
const fill = (text: string, values: Record<string, string | number>) =>
  text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name]));

/** Presses Tab until the element is the focused one (it must be reachable by the keyboard alone). */
async function tabTo(page: Page, target: string, most = 80): Promise<void> {
  const seen: string[] = [];
  for (let pressed = 0; pressed < most; pressed += 1) {
    seen.push(await page.evaluate<string>('(document.activeElement?.outerHTML ?? "").slice(0, 100)'));
    if ((await page.locator(`${target}:focus`).count()) > 0) {
      // The browser draws the focus (keyboard focus is `:focus-visible`).
      expect(await page.locator(`${target}:focus-visible`).count()).toBe(1);
      return;
    }
    await page.keyboard.press('Tab');
  }
  throw new Error(`${target} took more than ${most} presses of Tab to reach: ${seen.join('\n')}`);
}

describe('bulk actions and saved views on the board', () => {
  let stack: TestStack;
  let browser: Browser;
  let clerk: ApiClient;
  let boss: ApiClient;
  let sku: string;
  const opened: ConsolePage[] = [];

  beforeAll(async () => {
    stack = await startStack();
    clerk = await stack.client(['staff'], 'bb-clerk');
    boss = await stack.client(['manager'], 'bb-boss');
    ({
      skus: [sku = ''],
    } = await seedCatalogue(boss, [{ unitPrice: 50_000, stockOnHand: 1000 }]));
    browser = await launch();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });
  afterEach(async () => {
    // No page may log an error, break the content security policy, or get an answer off the document.
    const pages = opened.splice(0);
    for (const { context } of pages) await context.close();
    expect(pages.flatMap(({ problems }) => problems)).toEqual([]);
  });

  for (const language of ['zh-CN', 'en'] as const) {
    it(`saves a view, opens it from the navigation and approves all its orders by keyboard (${language})`, async () => {
      const text = strings(language);
      // A customer of its own, so this language's view shows only this test's orders.
      const { customerId } = await seedCatalogue(boss, [{ unitPrice: 1, stockOnHand: 1 }]);
      const orders: OrderBody[] = [];
      for (let i = 0; i < 3; i += 1) orders.push(await placeOrder(clerk, customerId, [{ sku, quantity: 1 }]));
      await eventually(
        async () =>
          (await boss.get<{ items: OrderBody[] }>(`/api/orders?awaiting=approval&customerId=${customerId}`))
            .body.items,
        (items) => items.length === 3,
        30_000,
      );

      const consolePage = await openConsole(browser, stack.baseUrl);
      opened.push(consolePage);
      const { page } = consolePage;
      page.setDefaultTimeout(30_000);
      await signIn(page, 'bb-boss');
      await page.getByText(language === 'en' ? 'English' : '中文', { exact: true }).click();

      // Save the board's filters (awaiting approval, this customer) under a name.
      const name = language === 'en' ? 'Waiting for my approval' : '待我审批';
      await page.goto(`/orders?awaiting=approval&customerId=${customerId}`);
      await settled(page);
      await page.getByRole('button', { name: text.orders.views.save }).click();
      await page.getByLabel(text.orders.views.name).fill(name);
      await page.keyboard.press('Enter');
      const link = page.locator('nav').getByRole('link', { name, exact: true });
      await link.waitFor();
      const saved = (
        await boss.get<{ items: { id: string; name: string; filters: unknown }[] }>('/api/views')
      ).body.items;
      expect(saved.find((view) => view.name === name)?.filters).toEqual({
        awaiting: 'approval',
        customerId,
      });

      // Open it from the navigation, from another page.
      await page.goto('/customers');
      await settled(page);
      await link.click();
      await page.waitForURL(
        (url) => url.pathname === '/orders' && url.searchParams.get('customerId') === customerId,
      );
      await settled(page);
      await page.getByTestId('current-view').getByText(name).waitFor();
      for (const order of orders) await page.locator(`[data-row-key="${order.id}"]`).waitFor();

      // Keyboard only from here: to the "select all on this page" box, Space, and every row is selected.
      const selectAll = 'input[data-testid=select-all]';
      await tabTo(page, selectAll);
      await page.keyboard.press('Space');
      const bar = page.getByTestId('bulk-actions');
      await bar.getByText(fill(text.orders.bulk.selected!, { count: 3 })).waitFor();
      for (const order of orders)
        expect(
          await page
            .getByRole('checkbox', { name: fill(text.orders.bulk.selectOne!, { number: order.number }) })
            .isChecked(),
        ).toBe(true);
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, `${language}-board-selected`);

      // Another request cancels one of them in between.
      const [gone, ...rest] = orders;
      expect((await clerk.post(`/api/orders/${gone!.id}/cancel`, { reason: 'customer called' })).status).toBe(
        200,
      );

      // Tab on to the bar's approve button, Enter opens the dialog, Enter in it sends the one request.
      const approve = '[data-testid=bulk-actions] button[data-action=approve]';
      const requests: string[] = [];
      page.on('request', (request) => {
        if (new URL(request.url()).pathname.startsWith('/api/orders/')) requests.push(request.url());
      });
      await tabTo(page, approve);
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel(text.orders.bulk.comment!).waitFor();
      expect(await dialog.locator('input:focus').count()).toBe(1);
      await page.keyboard.type('checked together');
      await page.keyboard.press('Enter');

      // A row per order: two approved, the cancelled one refused with the API's reason.
      const results = page.getByTestId('bulk-results');
      await results.waitFor();
      expect(requests.filter((url) => new URL(url).pathname === '/api/orders/bulk')).toHaveLength(1);
      for (const order of rest) {
        const row = results.locator(`[data-row-key="${order.id}"]`);
        expect(await row.getAttribute('data-result')).toBe('ok');
        await row.getByText(order.number, { exact: true }).waitFor();
        await row.getByText(text.orders.bulk.ok!, { exact: true }).waitFor();
      }
      const refused = results.locator(`[data-row-key="${gone!.id}"]`);
      expect(await refused.getAttribute('data-result')).toBe('refused');
      await refused.getByText(gone!.number, { exact: true }).waitFor();
      await refused.getByText(fill(text.orders.bulk.refused!, { status: 409 })).waitFor();
      expect(await refused.getByTestId('bulk-reason').textContent()).toMatch(/cancelled/);
      await page
        .getByText(fill(text.orders.bulk.results!, { done: 2, refused: 1 }), { exact: true })
        .waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, `${language}-board-bulk-results`);

      // The close button has the focus: Enter closes, and the board no longer shows them (none awaits approval).
      await page.keyboard.press('Enter');
      await results.waitFor({ state: 'detached' });
      for (const order of orders)
        await page.locator(`.ant-table-row[data-row-key="${order.id}"]`).waitFor({ state: 'detached' });
      for (const order of rest)
        expect((await boss.get<OrderBody>(`/api/orders/${order.id}`)).body.status).toBe('processing');

      // The view is deleted from the board it shows, and leaves the navigation.
      await page.getByRole('button', { name: text.orders.views.delete }).click();
      await page.getByTestId('delete-view-confirm').click();
      await link.waitFor({ state: 'detached' });
    }, 240_000);
  }
});
