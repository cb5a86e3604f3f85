/**
 * Returns in the console (issue 25), in the browser, in English: a member of staff asks back 2 of an order's 3
 * shipped units from the order's page, approves the return, receives one unit resellable and one damaged,
 * refunds it (a first amount above what the order still holds is refused in the API's words) and opens the
 * credit note; asking back more units than are left is refused in the API's words too. The return pages and
 * the order's returns are checked with axe.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
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
  type ConsolePage,
} from '../support/browser';
import { seedCatalogue } from '../support/fixtures';
import type { ApiClient } from '../support/http';
import { placeOrder, type OrderBody } from '../support/orders';
import { startStack, type TestStack } from '../support/stack';

const EN = JSON.parse(
  readFileSync(path.join(__dirname, '../../console/src/i18n/translations/en.json'), 'utf8'),
) as Record<string, unknown>;
/** The console's English text under a key (`returns.list.title`), with `{{name}}` filled in. */
function en(key: string, values: Record<string, string> = {}): string {
  const text = key.split('.').reduce<unknown>((tree, part) => (tree as Record<string, unknown>)[part], EN);
  if (typeof text !== 'string') throw new Error(`no text ${key}`);
  return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => values[name] ?? '');
}

type Return = {
  id: string;
  number: string;
  orderId: string;
  status: string;
  received: { sku: string; quantity: number; condition: string }[];
  refundedAmount: number | null;
};
type Refusal = { statusCode: number; message: string };

/** Minor units as the console and the credit note write them in English (CNY: 2 decimals, grouped). */
const amount = (minor: number) =>
  new Intl.NumberFormat('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(minor / 100);

describe('returns in the console', () => {
  let stack: TestStack;
  let browser: Browser;
  let staff: ApiClient;
  let order: OrderBody;
  let sku: string;
  let unitPrice: number;
  let returnId: string;
  const opened: ConsolePage[] = [];

  beforeAll(async () => {
    stack = await startStack();
    staff = await stack.client(['staff'], 'rt-staff');
    expect((await staff.patch('/api/auth/me', { language: 'en' })).status).toBe(200);
    const manager = await stack.client(['manager'], 'rt-manager');
    const rule = (await manager.get<{ autoApproveBelow: number }>('/api/settings/approval')).body;
    // Above what the system approves by itself, so the return waits for the person approving it.
    unitPrice = rule.autoApproveBelow + 100;
    const seeded = await seedCatalogue(manager, [{ unitPrice, stockOnHand: 100 }]);
    sku = seeded.skus[0]!;
    // Three units, paid and shipped (as test/returns.spec.ts makes them); a manager approves any total.
    order = await placeOrder(manager, seeded.customerId, [{ sku, quantity: 3 }]);
    const approved = await manager.post<OrderBody>(`/api/orders/${order.id}/approve`, {});
    expect(approved.body).toMatchObject({ status: 'processing', awaiting: 'shipment' });
    const shipment = await manager.post(`/api/orders/${order.id}/shipments`, {
      lines: [{ sku, quantity: 3 }],
      carrier: 'SF Express',
      trackingNumber: `SF-${order.number}`,
    });
    expect(shipment.status).toBe(201);
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
  }, 60_000);

  async function open(username: string): Promise<Page> {
    const consolePage = await openConsole(browser, stack.baseUrl);
    opened.push(consolePage);
    consolePage.page.setDefaultTimeout(30_000);
    await signIn(consolePage.page, username);
    return consolePage.page;
  }

  /** Clicks one of the return's action buttons and waits for its modal. */
  async function startAction(page: Page, action: string): Promise<void> {
    await page.getByTestId('return-actions').locator(`button[data-action="${action}"]`).click();
    await page
      .locator('.ant-modal')
      .getByText(en(`returns.actions.${action}`))
      .first()
      .waitFor();
  }

  it('walks a return from the order page through approval, receipt and refund to its credit note', async () => {
    const page = await open('rt-staff');
    await page.goto(`/orders/${order.id}`);
    await settled(page);

    // Request 2 of the 3 shipped units from the order's page.
    const returns = page.getByTestId('order-returns');
    await returns.getByRole('button', { name: en('returns.order.request') }).click();
    const modal = page.locator('.ant-modal');
    await modal.getByRole('spinbutton', { name: en('returns.order.unitsOf', { sku }) }).fill('2');
    await modal.locator('#reason').fill('Too big');
    await confirmModal(page);
    await page.waitForURL(/\/returns\/[0-9a-f-]{36}$/);
    returnId = new URL(page.url()).pathname.split('/').pop()!;
    const requested = (await staff.get<Return>(`/api/returns/${returnId}`)).body;
    expect(requested).toMatchObject({ orderId: order.id, status: 'requested' });
    await page
      .getByRole('heading', { name: en('returns.detail.title', { number: requested.number }) })
      .waitFor();
    await page.getByTestId('return-order-link').getByText(order.number).waitFor();
    await attributeBecomes(page.getByTestId('return-status'), 'data-status', 'requested');

    // Approve.
    await startAction(page, 'approve');
    await confirmModal(page);
    await attributeBecomes(page.getByTestId('return-status'), 'data-status', 'approved');

    // Receive: one unit resellable, one damaged.
    await startAction(page, 'receive');
    await modal
      .getByRole('spinbutton', { name: en('returns.receive.unitsOf.resellable', { sku }) })
      .fill('1');
    await modal.getByRole('spinbutton', { name: en('returns.receive.unitsOf.damaged', { sku }) }).fill('1');
    await confirmModal(page);
    await attributeBecomes(page.getByTestId('return-status'), 'data-status', 'received');
    const received = page.getByTestId('return-received');
    await received.getByText(en('returns.conditions.resellable')).waitFor();
    await received.getByText(en('returns.conditions.damaged')).waitFor();
    expect((await staff.get<Return>(`/api/returns/${returnId}`)).body.received).toEqual([
      { sku, quantity: 1, condition: 'resellable' },
      { sku, quantity: 1, condition: 'damaged' },
    ]);

    // A refund above what the order still holds is refused, in the API's own words; nothing is refunded.
    const tooMuch = 4 * unitPrice;
    const refusal = await staff.post<Refusal>(`/api/returns/${returnId}/refund`, { amount: tooMuch });
    expect(refusal.status).toBe(409);
    await startAction(page, 'refund');
    await modal.locator('#amount').fill(String(tooMuch / 100));
    await confirmModal(page);
    const alert = modal.getByRole('alert');
    await alert.getByText(refusal.body.message, { exact: false }).waitFor();
    expect(await alert.textContent()).toContain(en('returns.status.received'));
    expect((await staff.get<Return>(`/api/returns/${returnId}`)).body.refundedAmount).toBeNull();

    // Left empty, the amount is the value of the received units: 2 of them.
    await modal.locator('#amount').fill('');
    await confirmModal(page);
    await attributeBecomes(page.getByTestId('return-status'), 'data-status', 'refunded');
    await page
      .getByTestId('return-refunded')
      .getByText(amount(2 * unitPrice))
      .waitFor();

    // The credit note opens in a new tab: its number, the return's and the amount refunded.
    const [note] = await Promise.all([
      page.context().waitForEvent('page'),
      page.locator('[data-document="credit-note-html"]').click(),
    ]);
    await note.waitForLoadState();
    const text = await note.locator('body').innerText();
    expect(text).toMatch(/CN-\d{4}-\d{6}/);
    expect(text).toContain(requested.number);
    expect(text).toContain(order.number);
    expect(text).toContain(amount(2 * unitPrice));
    await note.close();
    expect(await page.locator('[data-document="credit-note-pdf"]').getAttribute('href')).toBe(
      `/api/returns/${returnId}/credit-note?format=pdf`,
    );

    // Close it.
    await startAction(page, 'close');
    await confirmModal(page);
    await attributeBecomes(page.getByTestId('return-status'), 'data-status', 'closed');
    expect(await page.getByTestId('return-actions').count()).toBe(0);
  }, 180_000);

  it("lists the order's returns on its page and refuses more units than are left, in the API's words", async () => {
    const page = await open('rt-staff');
    await page.goto(`/orders/${order.id}`);
    await settled(page);
    const returns = page.getByTestId('order-returns');
    const number = (await staff.get<Return>(`/api/returns/${returnId}`)).body.number;
    await returns.getByRole('link', { name: number }).waitFor();

    // 2 of the 3 shipped units are back already: 2 more are refused, and the API says why.
    const refusal = await staff.post<Refusal>(`/api/orders/${order.id}/returns`, {
      lines: [{ sku, quantity: 2 }],
      reason: 'Also too big',
      resolution: 'refund',
    });
    expect(refusal.status).toBe(409);
    await returns.getByRole('button', { name: en('returns.order.request') }).click();
    const modal = page.locator('.ant-modal');
    await modal.getByRole('spinbutton', { name: en('returns.order.unitsOf', { sku }) }).fill('2');
    await modal.locator('#reason').fill('Also too big');
    await confirmModal(page);
    await modal.getByRole('alert').getByText(refusal.body.message, { exact: false }).waitFor();
    expect(page.url()).toMatch(new RegExp(`/orders/${order.id}$`));
    const listed = await staff.get<{ items: Return[] }>(`/api/returns?orderId=${order.id}`);
    expect(listed.body.items.map((item) => item.id)).toEqual([returnId]);
    await modal.getByRole('button', { name: en('common.cancel') }).click();

    // The returns list, reached from the navigation, filters by status; the row opens the return.
    await page
      .getByRole('navigation')
      .getByRole('link', { name: en('nav.returns') })
      .click();
    await page.getByRole('heading', { name: en('returns.list.title') }).waitFor();
    await page.goto('/returns?status=closed');
    await settled(page);
    const row = page.locator(`[data-row-key="${returnId}"]`);
    await row.getByRole('link', { name: number }).waitFor();
    await page.goto('/returns?status=requested');
    await settled(page);
    expect(await page.locator(`[data-row-key="${returnId}"]`).count()).toBe(0);
    await page.goto('/returns?status=closed');
    await settled(page);
    await page.locator(`[data-row-key="${returnId}"]`).getByRole('link', { name: number }).click();
    await page.waitForURL(`**/returns/${returnId}`);
    await page.getByRole('heading', { name: en('returns.detail.title', { number }) }).waitFor();
  }, 120_000);

  it('has no serious or critical accessibility violations on the return pages', async () => {
    const page = await open('rt-staff');
    const pages = {
      'returns-list': '/returns',
      'return-detail': `/returns/${returnId}`,
      'order-returns': `/orders/${order.id}`,
    };
    const found: Record<string, unknown> = {};
    for (const [name, address] of Object.entries(pages)) {
      await page.goto(address);
      await settled(page);
      const violations = await axeViolations(page);
      if (violations.length > 0) found[name] = violations;
      await screenshot(page, `en-${name}`);
    }
    // The request form, open.
    await page
      .getByTestId('order-returns')
      .getByRole('button', { name: en('returns.order.request') })
      .click();
    await page.locator('.ant-modal #reason').waitFor();
    await page.waitForTimeout(400);
    const modalViolations = await axeViolations(page);
    if (modalViolations.length > 0) found['return-request'] = modalViolations;
    await screenshot(page, 'en-return-request');
    expect(found).toEqual({});
  }, 120_000);
});
