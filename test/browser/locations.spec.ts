/**
 * Stock locations in the console (issue 24), in the browser and in Chinese: a manager adds a location (the
 * API's refusals shown on the code), moves it first in the order of preference and saves it, restocks a
 * product there from the product page and reads the product's stock per location; staff, who may not list
 * the locations, do not see the page but restock at a location from the product's own stock. The database
 * is shared with other files: everything is looked up by this file's own location and products, and the
 * order of preference is put back as it was (other files ship from `MAIN` first).
 */
import { randomUUID } from 'node:crypto';
import type { Browser, Locator, Page } from 'playwright-core';
import {
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
import { ownTaskQueue, startStack, type TestStack } from '../support/stack';

/** A button's words: Ant Design spaces out a label of two Chinese characters ("库存" reads "库 存"). */
const label = (text: string) => new RegExp(`^${[...text].join('\\s*')}$`);

type Stock = { location: string; onHand: number; reserved: number; available: number };
type Product = { id: string; sku: string; stockOnHand: number; stock: Stock[] };
type Preference = { preference: string[] };

describe('stock locations in the console', () => {
  let stack: TestStack;
  let browser: Browser;
  let manager: ApiClient;
  let staff: ApiClient;
  let skus: [string, string];
  const tag = randomUUID().slice(0, 6).toUpperCase();
  const opened: ConsolePage[] = [];

  beforeAll(async () => {
    stack = await startStack({ env: ownTaskQueue('browser-locations') });
    manager = await stack.client(['manager'], 'bl-manager');
    staff = await stack.client(['staff'], 'bl-staff');
    const seeded = await seedCatalogue(manager, [
      { unitPrice: 1000, stockOnHand: 20 },
      { unitPrice: 500, stockOnHand: 10 },
    ]);
    skus = [seeded.skus[0]!, seeded.skus[1]!];
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

  const preference = async () => (await manager.get<Preference>('/api/settings/locations')).body.preference;
  const product = async (sku: string): Promise<Product> => {
    const found = await manager.get<{ items: { id: string }[] }>(`/api/products?q=${sku}`);
    return (await manager.get<Product>(`/api/products/${found.body.items[0]!.id}`)).body;
  };

  /** Puts the order of preference back as it was, a location created meanwhile last (the API's place for it). */
  async function restore(before: string[]): Promise<void> {
    const now = await preference();
    const put = await manager.put<Preference>('/api/settings/locations', {
      preference: [...before, ...now.filter((code) => !before.includes(code))],
    });
    expect(put.status).toBe(200);
  }

  /** The product's row on the product page, found by searching its SKU. */
  async function productRow(page: Page, sku: string): Promise<Locator> {
    await page.goto('/products');
    await settled(page);
    const search = page.locator(`input[aria-label="${zh('products.search')}"]`);
    await search.fill(sku);
    await search.press('Enter');
    const row = page.locator('tr.ant-table-row').filter({ hasText: sku });
    await row.waitFor();
    return row;
  }

  /**
   * Chooses a location in the stock form by typing its code: the list shows only the first few of many
   * (the whole suite's files create locations in one database), and the rest are not in the page until
   * scrolled to.
   */
  /**
   * Chooses the location in the stock form's searchable select, and waits until the select shows it. The form
   * starts at MAIN: a click on an option of the list while the search was still filtering it (under load)
   * once chose nothing, MAIN stayed, and a correction meant for this location went to MAIN. So the choice is
   * made with Enter on the option the filtered list marks active, and checked on the select itself.
   */
  async function chooseLocation(page: Page, modal: Locator, location: string): Promise<void> {
    const search = modal.locator('#stock-location');
    await search.fill(location);
    await page
      .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option-active')
      .filter({ hasText: location })
      .waitFor();
    await search.press('Enter');
    // The select's own text is what it shows chosen (what is typed in its search is the input's value).
    await modal.locator('.ant-select:has(#stock-location)').filter({ hasText: location }).waitFor();
  }

  /** Restocks (or corrects) the product at a location through the product page's stock form. */
  async function restockAt(page: Page, sku: string, location: string, delta: number): Promise<void> {
    const row = await productRow(page, sku);
    await row.getByRole('button', { name: label(zh('products.restock')) }).click();
    const modal = page.locator('.ant-modal').filter({ hasText: zh('products.restockOf', { sku }) });
    await modal.waitFor();
    await chooseLocation(page, modal, location);
    await modal.getByLabel(zh('products.fields.delta')).fill(String(delta));
    await modal.getByLabel(zh('products.fields.reason')).fill(`到货 ${tag}`);
    await confirmModal(page);
    await modal.waitFor({ state: 'hidden' });
  }

  /** The product's stock per location as its expanded row shows it: onHand/reserved/available per code. */
  async function stockShown(page: Page, sku: string): Promise<Record<string, string>> {
    const rows = page.getByTestId(`stock-of-${sku}`).locator('tr[data-row-key]');
    const shown: Record<string, string> = {};
    for (const row of await rows.all()) {
      const figure = async (name: string) => (await row.locator(`[data-figure=${name}]`).textContent()) ?? '';
      shown[(await row.getAttribute('data-row-key')) ?? ''] =
        `${await figure('onHand')}/${await figure('reserved')}/${await figure('available')}`;
    }
    return shown;
  }

  it('adds a location, makes it the first choice, restocks a product there and shows its stock per location', async () => {
    const code = `BL-${tag}`;
    const [sku] = skus;
    const before = await preference();
    expect(before[0]).toBe('MAIN');
    const page = await open('bl-manager');
    try {
      await page.getByRole('link', { name: zh('nav.locations'), exact: true }).click();
      await page.waitForURL(/\/locations$/);
      await settled(page);
      await page.getByRole('heading', { name: zh('locations.title') }).waitFor();
      const table = page.getByTestId('locations');
      const codes = () => rowKeys(table);
      expect(await eventually(codes, (shown) => shown.length > 0)).toEqual(before);

      // The new location: the API's refusals show on the code, in its own words; then a code of our own.
      await page.getByRole('button', { name: zh('locations.new') }).click();
      const modal = page.locator('.ant-modal').filter({ hasText: zh('locations.fields.code') });
      await modal.waitFor();
      const codeError = modal
        .locator('.ant-form-item')
        .filter({ has: page.locator('#code') })
        .locator('.ant-form-item-explain-error');
      await modal.locator('#code').fill('bad code');
      await modal.locator('#name').fill('华东仓（杭州）');
      await confirmModal(page);
      await codeError.waitFor();
      expect(await codeError.textContent()).toContain('code must be 1-32 capital letters');
      await modal.locator('#code').fill('MAIN');
      await confirmModal(page);
      await codeError.filter({ hasText: 'location "MAIN" exists' }).waitFor();
      expect(await codeError.textContent()).toContain(zh('errors.conflictField', { detail: '' }).trim());
      await modal.locator('#code').fill(code);
      await confirmModal(page);
      await modal.waitFor({ state: 'hidden' });
      await page.getByText(zh('locations.created', { code })).waitFor();
      // It comes last, as the API puts a new location.
      await eventually(codes, (shown) => shown.at(-1) === code);
      expect(await codes()).toEqual([...before, code]);

      // Up until it is first (the order is only a draft until saved), then saved.
      const up = page.getByRole('button', { name: zh('locations.moveUp', { code }) });
      for (let moves = 0; moves < before.length; moves += 1) await up.click();
      expect(await codes()).toEqual([code, ...before]);
      expect(await up.isDisabled()).toBe(true);
      expect(await preference()).toEqual([...before, code]);
      await page.getByTestId('save-preference').click();
      await page.getByText(zh('locations.saved', { first: code })).waitFor();
      expect(await preference()).toEqual([code, ...before]);
      expect(
        (await manager.get<{ items: { code: string }[] }>('/api/locations')).body.items[0],
      ).toMatchObject({ code });
      await screenshot(page, 'zh-CN-locations');

      // Restock 7 at the new location from the product page, then read the product's stock per location:
      // the new location first (the preference), holding the 7; MAIN keeps the 20 it had.
      await restockAt(page, sku, code, 7);
      const row = page.locator('tr.ant-table-row').filter({ hasText: sku });
      await row.getByRole('button', { name: /展开|expand/i }).click();
      await page.getByText(zh('products.stockPerLocation', { sku })).waitFor();
      const shown = await eventually(
        () => stockShown(page, sku),
        (stock) => stock[code] === '7/0/7',
      );
      expect(shown).toMatchObject({ [code]: '7/0/7', MAIN: '20/0/20' });
      const keys = await rowKeys(page.getByTestId(`stock-of-${sku}`));
      expect(keys.slice(0, 2)).toEqual([code, 'MAIN']);
      // The product's totals on its row follow.
      await row.locator('td').filter({ hasText: /^27$/ }).first().waitFor();
      await screenshot(page, 'zh-CN-product-stock-per-location');

      // The API agrees.
      const read = await product(sku);
      expect(read.stockOnHand).toBe(27);
      expect(read.stock[0]).toEqual({ location: code, onHand: 7, reserved: 0, available: 7 });
      expect(read.stock.find((stock) => stock.location === 'MAIN')).toMatchObject({ onHand: 20 });
    } finally {
      await restore(before);
    }
    expect((await preference())[0]).toBe('MAIN');
  }, 180_000);

  it('lets staff restock at a location from the product page, without the locations page', async () => {
    const code = `BS-${tag}`;
    const [, sku] = skus;
    const created = await manager.post('/api/locations', { code, name: '华南仓（广州）' });
    expect(created.status).toBe(201);
    expect((await staff.get('/api/locations')).status).toBe(403);
    const page = await open('bl-staff');
    // The page is for managers and admins: not in staff's navigation, and its address is not allowed.
    expect(await page.getByRole('link', { name: zh('nav.locations'), exact: true }).count()).toBe(0);
    await page.goto('/locations');
    await page.getByText(zh('notAllowed.title')).first().waitFor();

    // The product's own stock names every location, so staff choose one; a correction below what the
    // location holds is refused in the API's words on the change.
    await restockAt(page, sku, code, 4);
    const row = page.locator('tr.ant-table-row').filter({ hasText: sku });
    await row.getByRole('button', { name: /展开|expand/i }).click();
    const shown = await eventually(
      () => stockShown(page, sku),
      (stock) => stock[code] === '4/0/4',
    );
    expect(shown).toMatchObject({ MAIN: '10/0/10', [code]: '4/0/4' });
    await row.getByRole('button', { name: label(zh('products.restock')) }).click();
    const modal = page.locator('.ant-modal').filter({ hasText: zh('products.restockOf', { sku }) });
    await chooseLocation(page, modal, code);
    await modal.getByLabel(zh('products.fields.delta')).fill('-5');
    await modal.getByLabel(zh('products.fields.reason')).fill(`盘点 ${tag}`);
    await confirmModal(page);
    await modal
      .locator('.ant-form-item-explain-error')
      .filter({ hasText: `location ${code} holds fewer units` })
      .waitFor();
    const read = await product(sku);
    expect(read.stockOnHand).toBe(14);
    expect(read.stock.find((stock) => stock.location === code)).toMatchObject({ onHand: 4 });
  }, 120_000);

  it('has no serious or critical accessibility violations on the locations page and a product’s stock, in Chinese and in English', async () => {
    const page = await open('bl-manager');
    const found: Record<string, unknown> = {};
    for (const language of ['zh-CN', 'en'] as const) {
      await page
        .getByText(language === 'en' ? 'English' : '中文', { exact: true })
        .first()
        .click();
      await page.goto('/locations');
      await settled(page);
      await page.getByText(words(language, 'locations.help')).waitFor();
      const onLocations = await axeViolations(page);
      if (onLocations.length > 0) found[`${language} locations`] = onLocations;
      await screenshot(page, `${language}-locations`);

      await page.goto('/products');
      await settled(page);
      const search = page.locator(`input[aria-label="${words(language, 'products.search')}"]`);
      await search.fill(skus[0]);
      await search.press('Enter');
      const row = page.locator('tr.ant-table-row').filter({ hasText: skus[0] });
      await row.getByRole('button', { name: /展开|expand/i }).click();
      await page.getByTestId(`stock-of-${skus[0]}`).locator('tr[data-row-key]').first().waitFor();
      const onProducts = await axeViolations(page);
      if (onProducts.length > 0) found[`${language} products`] = onProducts;
    }
    expect(found).toEqual({});
  }, 120_000);
});

/** The row keys of a table, top to bottom (a location's code, or a product's stock row's location). */
async function rowKeys(table: Locator): Promise<string[]> {
  const rows = await table.locator('tr[data-row-key]').all();
  return Promise.all(rows.map(async (row) => (await row.getAttribute('data-row-key')) ?? ''));
}
