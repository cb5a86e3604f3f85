/**
 * Partial and split shipments in the console (issue 24), in the browser and in Chinese: staff ship an order of
 * two lines in two parcels from the order page, reading each line's shipped, ready and waiting units after
 * each; the page lists both parcels with their tracking numbers and documents; a quantity the API refuses is
 * shown with the API's own words; the board finds partly shipped orders; a new order may allow partial
 * shipment. The database is shared with other files: everything is looked up by this file's own orders.
 */
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import {
  attributeBecomes,
  axeViolations,
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
import { placeOrder, stockOf, type OrderBody } from '../support/orders';
import { ownTaskQueue, startStack, type TestStack } from '../support/stack';

type Order = OrderBody & {
  customerId: string;
  allowPartial: boolean;
  lines: { sku: string; quantity: number; shippedQuantity: number; reservedQuantity: number }[];
  shipments: {
    id: string;
    location: string;
    trackingNumber: string;
    lines: { sku: string; quantity: number }[];
  }[];
};

/** A line's figures as the order page shows them: ordered, shipped, ready (reserved), waiting for stock. */
type Figures = { ordered: string; shipped: string; ready: string; waiting: string };

describe('shipping an order in parts from the console', () => {
  let stack: TestStack;
  let browser: Browser;
  let staff: ApiClient;
  let customer: { id: string; name: string };
  let skus: [string, string];
  const tag = randomUUID().slice(0, 6).toUpperCase();
  const opened: ConsolePage[] = [];

  beforeAll(async () => {
    stack = await startStack({ env: ownTaskQueue('browser-shipments') });
    staff = await stack.client(['staff'], 'bs-staff');
    const seeded = await seedCatalogue(staff, [
      { unitPrice: 1000, stockOnHand: 100 },
      { unitPrice: 500, stockOnHand: 100 },
    ]);
    skus = [seeded.skus[0]!, seeded.skus[1]!];
    const read = await staff.get<{ name: string }>(`/api/customers/${seeded.customerId}`);
    customer = { id: seeded.customerId, name: read.body.name };
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

  /** Signs in in a fresh browser and switches the console to Chinese (the choice is kept on the account). */
  async function open(username: string): Promise<Page> {
    const consolePage = await openConsole(browser, stack.baseUrl);
    opened.push(consolePage);
    consolePage.page.setDefaultTimeout(30_000);
    await signIn(consolePage.page, username);
    await consolePage.page.getByText('中文', { exact: true }).first().click();
    await consolePage.page.getByText(zh('nav.orders'), { exact: true }).first().waitFor();
    return consolePage.page;
  }

  /** An order of 5 of the first product and 3 of the second, approved: reserved, paid, awaiting shipment. */
  async function readyOrder(): Promise<Order> {
    const placed = await placeOrder(staff, customer.id, [
      { sku: skus[0], quantity: 5 },
      { sku: skus[1], quantity: 3 },
    ]);
    const approved = await staff.post<Order>(`/api/orders/${placed.id}/approve`, {});
    expect(approved.body).toMatchObject({ status: 'processing', awaiting: 'shipment' });
    return approved.body;
  }

  const readOrder = async (id: string) => (await staff.get<Order>(`/api/orders/${id}`)).body;

  /** Waits until the line's figures on the order page are these (they change once the order is read again). */
  async function figuresBecome(page: Page, sku: string, expected: Figures): Promise<void> {
    const row = page.getByTestId('order-fulfilment').locator(`tr[data-row-key="${sku}"]`);
    const read = async (): Promise<Figures> => {
      const text = (name: string) => row.locator(`[data-figure=${name}]`).textContent();
      return {
        ordered: (await text('ordered')) ?? '',
        shipped: (await text('shipped')) ?? '',
        ready: (await text('ready')) ?? '',
        waiting: (await text('waiting')) ?? '',
      };
    };
    const seen = await eventually(read, (figures) => JSON.stringify(figures) === JSON.stringify(expected));
    expect([sku, seen]).toEqual([sku, expected]);
  }

  const quantityOf = (page: Page, sku: string) =>
    page.getByRole('spinbutton', { name: zh('shipments.fulfilment.quantityOf', { sku }) });

  it('ships two lines in two parcels, showing what has shipped, what is ready and what waits after each', async () => {
    const order = await readyOrder();
    const [first, second] = skus;
    const page = await open('bs-staff');
    await page.goto(`/orders/${order.id}`);
    await settled(page);
    await page.getByRole('heading', { name: zh('orders.detail.title', { number: order.number }) }).waitFor();
    await page.getByText(zh('shipments.fulfilment.title')).waitFor();

    // Everything reserved and ready, nothing shipped; the form offers what is ready.
    await figuresBecome(page, first, { ordered: '5', shipped: '0', ready: '5', waiting: '0' });
    await figuresBecome(page, second, { ordered: '3', shipped: '0', ready: '3', waiting: '0' });
    expect(await quantityOf(page, first).inputValue()).toBe('5');
    expect(await quantityOf(page, second).inputValue()).toBe('3');
    expect(await page.getByTestId('order-shipments').count()).toBe(0);

    // The first parcel: 2 of the first line, none of the second.
    await quantityOf(page, first).fill('2');
    await quantityOf(page, second).fill('0');
    await page.locator('#shipment-carrier').fill('顺丰速运');
    await page.locator('#shipment-tracking-number').fill(`SF-${tag}-1`);
    await page.getByTestId('ship-selection').click();
    await page.getByTestId('shipment-done').getByText(`SF-${tag}-1`).waitFor();

    // Still processing, awaiting shipment; the figures follow the parcel.
    const status = page.locator('.page-header [data-testid=order-status]');
    await attributeBecomes(status, 'data-status', 'processing');
    await attributeBecomes(status, 'data-awaiting', 'shipment');
    await figuresBecome(page, first, { ordered: '5', shipped: '2', ready: '3', waiting: '0' });
    await figuresBecome(page, second, { ordered: '3', shipped: '0', ready: '3', waiting: '0' });
    const shipments = page.getByTestId('order-shipments');
    await shipments.getByText(zh('shipments.list.title', { count: '1' })).waitFor();
    expect(await shipments.locator('[data-tracking-number]').allTextContents()).toEqual([`SF-${tag}-1`]);
    const afterFirst = await readOrder(order.id);
    expect(afterFirst).toMatchObject({ status: 'processing', awaiting: 'shipment' });
    expect(afterFirst.shipments.map((s) => [s.trackingNumber, s.lines])).toEqual([
      [`SF-${tag}-1`, [{ sku: first, quantity: 2 }]],
    ]);
    // The form starts again from what is ready now.
    expect(await quantityOf(page, first).inputValue()).toBe('3');
    expect(await page.locator('#shipment-tracking-number').inputValue()).toBe('');

    // More than is left of a line: the API's 409 names the line's quantity, and the page shows its words
    // next to that line's input; nothing ships.
    await quantityOf(page, first).fill('9');
    await page.locator('#shipment-carrier').fill('EMS');
    await page.locator('#shipment-tracking-number').fill(`EMS-${tag}-X`);
    await page.getByTestId('ship-selection').click();
    const firstItem = page
      .locator('.ant-form-item')
      .filter({ has: quantityOf(page, first) })
      .locator('.ant-form-item-explain-error');
    await firstItem.waitFor();
    const refusal = (await firstItem.textContent()) ?? '';
    expect(refusal).toContain(zh('errors.conflictField', { detail: '' }).trim());
    expect(refusal).toMatch(/lines\.0\.quantity 9 of .* is more than is left to ship \(3\)/);
    expect((await readOrder(order.id)).shipments).toHaveLength(1);

    // The second parcel: the rest of both lines, what the form offered.
    await quantityOf(page, first).fill('3');
    await page.locator('#shipment-tracking-number').fill(`EMS-${tag}-2`);
    await page.getByTestId('ship-selection').click();
    await page.getByTestId('shipment-done').getByText(`EMS-${tag}-2`).waitFor();

    // Shipped, awaiting delivery; every unit has left; no more shipping from this order.
    await attributeBecomes(status, 'data-status', 'shipped');
    await attributeBecomes(status, 'data-awaiting', 'delivery');
    await figuresBecome(page, first, { ordered: '5', shipped: '5', ready: '0', waiting: '0' });
    await figuresBecome(page, second, { ordered: '3', shipped: '3', ready: '0', waiting: '0' });
    expect(await page.getByTestId('ship-selection').count()).toBe(0);
    expect(await quantityOf(page, first).count()).toBe(0);

    // Both parcels listed, oldest first, with their tracking numbers, contents and documents.
    await shipments.getByText(zh('shipments.list.title', { count: '2' })).waitFor();
    expect(await shipments.locator('[data-tracking-number]').allTextContents()).toEqual([
      `SF-${tag}-1`,
      `EMS-${tag}-2`,
    ]);
    const rows = shipments.locator('tbody tr.ant-table-row');
    expect(await rows.nth(0).locator(`[data-shipment-line]`).allTextContents()).toEqual([
      expect.stringContaining(`(${first}) × 2`),
    ]);
    expect(await rows.nth(1).locator(`[data-shipment-line]`).allTextContents()).toEqual([
      expect.stringContaining(`(${first}) × 3`),
      expect.stringContaining(`(${second}) × 3`),
    ]);
    const shipped = await readOrder(order.id);
    expect(shipped).toMatchObject({ status: 'shipped', awaiting: 'delivery' });
    expect(shipped.shipments.map((s) => s.trackingNumber)).toEqual([`SF-${tag}-1`, `EMS-${tag}-2`]);
    expect(shipped.lines.map((line) => line.shippedQuantity)).toEqual([5, 3]);

    // The second parcel's label and packing slip, as the page links them (with the session's cookie).
    const label = rows.nth(1).getByRole('link', {
      name: zh('shipments.list.documentOf', {
        document: zh('documents.shippingLabel'),
        n: '2',
        format: zh('documents.html'),
      }),
    });
    const labelHref = await label.getAttribute('href');
    expect(labelHref).toBe(`/api/orders/${order.id}/shipments/${shipped.shipments[1]!.id}/shipping-label`);
    const labelPage = await page.request.get(labelHref!);
    expect(labelPage.status()).toBe(200);
    expect(await labelPage.text()).toContain(`EMS-${tag}-2`);
    const slipPdf = await rows
      .nth(0)
      .getByRole('link', {
        name: zh('shipments.list.documentOf', {
          document: zh('documents.packingSlip'),
          n: '1',
          format: zh('documents.pdf'),
        }),
      })
      .getAttribute('href');
    const pdf = await page.request.get(slipPdf!);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toMatch(/application\/pdf/);
    await screenshot(page, 'zh-CN-order-shipped-in-two-parcels');
  }, 180_000);

  it('ships an order held at two locations in two parcels, each offered from the location that holds it', async () => {
    // 8 of the product at MAIN, 2 at a new location; an order of 10.
    const manager = await stack.client(['manager'], 'bs-manager');
    const west = `W-${tag}`;
    expect((await manager.post('/api/locations', { code: west, name: `西仓 ${tag}` })).status).toBe(201);
    const seeded = await seedCatalogue(staff, [{ unitPrice: 800, stockOnHand: 8 }]);
    const sku = seeded.skus[0]!;
    const moved = await staff.post(`/api/products/${(await stockOf(staff, sku)).id}/stock`, {
      delta: 2,
      reason: 'delivery',
      location: west,
    });
    expect(moved.status).toBe(200);
    const placed = await placeOrder(staff, customer.id, [{ sku, quantity: 10 }]);
    expect((await staff.post<Order>(`/api/orders/${placed.id}/approve`, {})).body).toMatchObject({
      awaiting: 'shipment',
    });

    const page = await open('bs-staff');
    await page.goto(`/orders/${placed.id}`);
    await settled(page);
    const row = page.getByTestId('order-fulfilment').locator(`tr[data-row-key="${sku}"]`);
    const at = (location: string) => row.locator(`[data-location-figures="${sku}@${location}"]`);
    const figures = (location: string, shipped: string, ready: string, onHand: string) =>
      zh('shipments.fulfilment.atLocation', { location, shipped, ready, onHand });
    await at('MAIN')
      .getByText(figures('MAIN', '0', '8', '8'))
      .waitFor();
    await at(west)
      .getByText(figures(west, '0', '2', '2'))
      .waitFor();

    // The form offers the first parcel: 8 from MAIN.
    const location = page.locator('.ant-form-item').filter({ has: page.locator('#shipment-location') });
    await location.getByText('MAIN').first().waitFor();
    expect(
      await eventually(
        () => quantityOf(page, sku).inputValue(),
        (value) => value === '8',
      ),
    ).toBe('8');
    await page.locator('#shipment-carrier').fill('顺丰速运');
    await page.locator('#shipment-tracking-number').fill(`SF-${tag}-M`);
    await page.getByTestId('ship-selection').click();
    await page.getByTestId('shipment-done').getByText(`SF-${tag}-M`).waitFor();
    await figuresBecome(page, sku, { ordered: '10', shipped: '8', ready: '2', waiting: '0' });
    await page.getByTestId('shipment-summary').waitFor();

    // Then the second: 2 from the other location, which the form now offers.
    await at('MAIN')
      .getByText(figures('MAIN', '8', '0', '0'))
      .waitFor();
    await location.getByText(west).first().waitFor();
    expect(
      await eventually(
        () => quantityOf(page, sku).inputValue(),
        (value) => value === '2',
      ),
    ).toBe('2');
    await page.locator('#shipment-carrier').fill('顺丰速运');
    await page.locator('#shipment-tracking-number').fill(`SF-${tag}-W`);
    await page.getByTestId('ship-selection').click();
    await page.getByTestId('shipment-done').getByText(`SF-${tag}-W`).waitFor();
    const status = page.locator('.page-header [data-testid=order-status]');
    await attributeBecomes(status, 'data-status', 'shipped');
    await at(west)
      .getByText(figures(west, '2', '0', '0'))
      .waitFor();

    const shipped = await readOrder(placed.id);
    expect(shipped.shipments.map((s) => [s.location, s.trackingNumber, s.lines])).toEqual([
      ['MAIN', `SF-${tag}-M`, [{ sku, quantity: 8 }]],
      [west, `SF-${tag}-W`, [{ sku, quantity: 2 }]],
    ]);
    await screenshot(page, 'zh-CN-order-shipped-from-two-locations');
  }, 180_000);

  it('finds partly shipped orders on the board with its filter', async () => {
    const partly = await readyOrder();
    const untouched = await readyOrder();
    const shipment = await staff.post(`/api/orders/${partly.id}/shipments`, {
      lines: [{ sku: skus[1], quantity: 1 }],
      carrier: 'SF',
      trackingNumber: `SF-${tag}-B`,
    });
    expect(shipment.status).toBe(201);
    const page = await open('bs-staff');
    // This file's customer only: other files leave orders of their own.
    await page.goto(`/orders?customerId=${customer.id}`);
    await settled(page);
    await page.locator(`[data-row-key="${untouched.id}"]`).waitFor();
    await page.locator(`[data-row-key="${partly.id}"]`).getByTestId('partly-shipped').waitFor();

    // The box follows the address (the board's filters live there), so it is clicked, not `check()`ed.
    const filter = page.getByRole('checkbox', { name: zh('orders.list.partlyShipped') });
    await filter.click();
    await page.waitForURL(/partlyShipped=true/);
    expect(await eventually(() => filter.isChecked(), Boolean)).toBe(true);
    await settled(page);
    await page.locator(`[data-row-key="${partly.id}"]`).waitFor();
    const shown = await eventually(
      () => rowKeys(page),
      (keys) => !keys.includes(untouched.id),
    );
    expect(shown).toContain(partly.id);
    expect(shown).not.toContain(untouched.id);
    // The API agrees: every order listed is processing with a shipment.
    const listed = (
      await staff.get<{ items: Order[] }>(`/api/orders?customerId=${customer.id}&partlyShipped=true`)
    ).body.items;
    expect(listed.map((o) => o.id).sort()).toEqual([...shown].sort());
    for (const o of listed) expect([o.status, o.shipments.length > 0]).toEqual(['processing', true]);
  }, 120_000);

  it('places an order that allows partial shipment from the order form', async () => {
    const page = await open('bs-staff');
    await page.goto('/orders/new');
    await settled(page);
    await page.locator('#order-customer').fill(customer.name);
    await page.locator('.ant-select-item-option').filter({ hasText: customer.name }).first().click();
    const productSearch = page.getByRole('combobox', { name: zh('orders.create.addProduct') });
    await productSearch.fill(skus[0]);
    await page.locator('.ant-select-item-option').filter({ hasText: skus[0] }).first().click();
    await page.getByText(zh('orders.create.allowPartialHelp')).waitFor();
    await page.getByRole('checkbox', { name: zh('orders.create.allowPartial') }).check();
    await page.locator('main button[type=submit]').click();
    await page.waitForURL(/\/orders\/[0-9a-f-]{36}$/);
    const id = new URL(page.url()).pathname.split('/').pop()!;
    expect(await readOrder(id)).toMatchObject({ allowPartial: true, customerId: customer.id });
  }, 120_000);

  it('has no serious or critical accessibility violations on a partly shipped order, in Chinese and in English', async () => {
    const order = await readyOrder();
    await staff.post(`/api/orders/${order.id}/shipments`, {
      lines: [{ sku: skus[0], quantity: 1 }],
      carrier: 'SF',
      trackingNumber: `SF-${tag}-A`,
    });
    const page = await open('bs-staff');
    const found: Record<string, unknown> = {};
    for (const language of ['zh-CN', 'en'] as const) {
      await page
        .getByText(language === 'en' ? 'English' : '中文', { exact: true })
        .first()
        .click();
      await page.goto(`/orders/${order.id}`);
      await settled(page);
      await page.getByText(words(language, 'shipments.fulfilment.title')).waitFor();
      await page.getByTestId('order-shipments').waitFor();
      const violations = await axeViolations(page);
      if (violations.length > 0) found[language] = violations;
      await screenshot(page, `${language}-order-partly-shipped`);
    }
    expect(found).toEqual({});
  }, 120_000);
});

/** The ids of the orders the board shows. */
async function rowKeys(page: Page): Promise<string[]> {
  // The board is a virtual table: its rows are not `tr`s.
  const rows = await page.locator('.ant-table-row[data-row-key]').all();
  return Promise.all(rows.map(async (row) => (await row.getAttribute('data-row-key')) ?? ''));
}
