/**
 * Importing orders from a spreadsheet in the console, in Chinese: a file with problems is named row by row,
 * the fixed file checks clean, its commit shows progress and then each order's result, and the same file
 * uploaded and committed again creates nothing new. The page in both languages passes axe.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import {
  attributeBecomes,
  axeViolations,
  launch,
  openConsole,
  screenshot,
  settled,
  signIn,
  type ConsolePage,
} from '../support/browser';
import { seedCatalogue } from '../support/fixtures';
import type { ApiClient } from '../support/http';
import { startStack, type TestStack } from '../support/stack';

interface Imports {
  title: string;
  preview: Record<string, string>;
  results: Record<string, string>;
  refused: Record<string, string>;
}
const load = (language: string) =>
  JSON.parse(
    readFileSync(path.join(__dirname, `../../console/src/i18n/translations/${language}.json`), 'utf8'),
  ) as { nav: Record<string, string>; imports: Imports };
const zh = load('zh-CN');
const en = load('en');

/** Fills `{{name}}` placeholders as i18next does. */
const fill = (text: string, values: Record<string, string | number>) =>
  text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name]));

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function workbook(rows: (string | number)[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('订单');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await book.xlsx.writeBuffer());
}

describe('importing orders in the console', () => {
  let stack: TestStack;
  let browser: Browser;
  let clerk: ApiClient;
  let consolePage: ConsolePage;
  let page: Page;
  let email: string;
  let skus: string[];
  const tag = randomUUID().slice(0, 8);
  const refs = [`IMP-${tag}-1`, `IMP-${tag}-2`, `IMP-${tag}-3`];
  const axe: Record<string, unknown> = {};

  beforeAll(async () => {
    stack = await startStack();
    clerk = await stack.client(['staff'], 'imp-staff');
    const seeded = await seedCatalogue(clerk, [{ unitPrice: 2500 }, { unitPrice: 800 }]);
    skus = seeded.skus;
    email = (await clerk.get<{ email: string }>(`/api/customers/${seeded.customerId}`)).body.email;
    browser = await launch();
    consolePage = await openConsole(browser, stack.baseUrl);
    page = consolePage.page;
    page.setDefaultTimeout(30_000);
  }, 180_000);
  afterAll(async () => {
    await consolePage?.context.close();
    await browser?.close();
    await stack?.close();
  });

  const fileInput = () => page.getByTestId('import-upload').locator('input[type=file]');
  const previewId = () => page.getByTestId('import-preview').getAttribute('data-import-id');

  /** Chooses a file and waits for the preview of this upload (a new import id). */
  async function choose(name: string, mimeType: string, buffer: Buffer): Promise<string> {
    const before = (await page.getByTestId('import-preview').count()) > 0 ? await previewId() : null;
    await fileInput().setInputFiles({ name, mimeType, buffer });
    await page.waitForURL(
      (url) => /^\/imports\/[0-9a-f-]{36}$/.test(url.pathname) && !url.pathname.endsWith(`/${before}`),
    );
    // The address changes first; the page shows that import's preview once React has rendered it.
    const id = new URL(page.url()).pathname.split('/').pop()!;
    expect(id).not.toBe(before);
    await attributeBecomes(page.getByTestId('import-preview'), 'data-import-id', id);
    return id;
  }

  async function cells(testId: string): Promise<string[][]> {
    const rows = page.getByTestId(testId).locator('tbody tr.ant-table-row');
    const found: string[][] = [];
    for (let index = 0; index < (await rows.count()); index++)
      found.push((await rows.nth(index).locator('td').allInnerTexts()).map((text) => text.trim()));
    // Results come in the order the orders were finished: sorted by their first cell to compare.
    return found.sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? '', 'en', { numeric: true }));
  }

  async function ordersByRef(ref: string) {
    return (
      await clerk.get<{ items: { id: string; number: string; source: string }[] }>(
        `/api/orders?externalRef=${encodeURIComponent(ref)}`,
      )
    ).body.items;
  }

  it('names each problem by row and column, takes the fixed file, commits it with progress and results, and creates nothing twice', async () => {
    await signIn(page, 'imp-staff');
    await page.getByText('中文', { exact: true }).click();
    await page.getByRole('link', { name: zh.nav.imports! }).click();
    await page.waitForURL((url) => url.pathname === '/imports');
    // The page's code loads on first use: the board's heading stays until it has.
    await page.locator('main h1', { hasText: zh.imports.title }).waitFor();
    await settled(page);
    // The template holds the columns the API reads.
    const template = await page.getByTestId('import-template').getAttribute('href');
    expect(decodeURIComponent(template!.replace(/^data:text\/csv;charset=utf-8,/, ''))).toMatch(
      /^\uFEFFexternalRef,customer,sku,quantity,notes\r\n/,
    );
    const emptyAxe = await axeViolations(page);
    if (emptyAxe.length > 0) axe['zh-CN empty'] = emptyAxe;

    // Row 4 names no product, row 5 orders nothing: both named; only the first order would be created.
    const header = ['externalRef', 'customer', 'sku', 'quantity', 'notes'];
    const withProblems = await workbook([
      header,
      [refs[0]!, email, skus[0]!, 2, '请放在门口'],
      [refs[0]!, email, skus[1]!, 1],
      [refs[1]!, email, `NO-SUCH-${tag}`, 1],
      [refs[2]!, email, skus[0]!, 0],
    ]);
    const firstId = await choose('订单.xlsx', XLSX_TYPE, withProblems);
    await page.getByTestId('import-preview').getByText('订单.xlsx', { exact: true }).waitFor();
    expect(await page.getByTestId('import-rows').innerText()).toBe('4');
    expect(await page.getByTestId('import-valid').innerText()).toBe('2');
    expect(await page.getByTestId('import-orders').innerText()).toBe('1');
    expect(await page.getByTestId('import-error-count').innerText()).toBe('2');
    expect(await cells('import-errors')).toEqual([
      ['4', 'sku', expect.stringContaining(`unknown product "NO-SUCH-${tag}"`)],
      ['5', 'quantity', expect.stringContaining('must be between 1 and')],
    ]);
    // What a commit would do with the invalid rows is said before anyone commits.
    expect(await page.getByTestId('import-verdict').innerText()).toContain(
      fill(zh.imports.preview.someInvalid!, { errors: 2, orders: 1, valid: 2, rows: 4 }),
    );
    expect(await page.getByTestId('import-commit').innerText()).toBe(
      fill(zh.imports.preview.commitValid!, { count: 1 }),
    );
    await screenshot(page, 'zh-CN-import-problems');
    const problemsAxe = await axeViolations(page);
    if (problemsAxe.length > 0) axe['zh-CN problems'] = problemsAxe;

    // The fixed file: a new preview, clean.
    const fixed = await workbook([
      header,
      [refs[0]!, email, skus[0]!, 2, '请放在门口'],
      [refs[0]!, email, skus[1]!, 1],
      [refs[1]!, email, skus[1]!, 1],
      [refs[2]!, email, skus[0]!, 3],
    ]);
    const fixedId = await choose('订单.xlsx', XLSX_TYPE, fixed);
    expect(fixedId).not.toBe(firstId);
    expect(await page.getByTestId('import-error-count').innerText()).toBe('0');
    expect(await page.getByTestId('import-orders').innerText()).toBe('3');
    expect(await page.getByTestId('import-errors').count()).toBe(0);
    expect(await page.getByTestId('import-verdict').innerText()).toContain(
      fill(zh.imports.preview.allValid!, { rows: 4, orders: 3 }),
    );
    // Still nothing created by uploading.
    for (const ref of refs) expect(await ordersByRef(ref)).toEqual([]);

    // Commit: the progress shows while the orders are created, then each order's result.
    await page.getByTestId('import-commit').click();
    const progress = page.getByTestId('import-progress');
    await attributeBecomes(progress, 'data-status', 'committing', 10_000);
    await progress.getByRole('progressbar').waitFor();
    await attributeBecomes(progress, 'data-status', 'committed', 90_000);
    expect(await page.getByTestId('import-commit').count()).toBe(0);
    const made = new Map<string, { id: string; number: string; source: string }>();
    for (const ref of refs) {
      const found = await ordersByRef(ref);
      expect(found).toHaveLength(1);
      expect(found[0]!.source).toBe('import');
      made.set(ref, found[0]!);
    }
    expect(await cells('import-results')).toEqual(
      refs.map((ref) => [ref, made.get(ref)!.number, zh.imports.results.created]),
    );
    for (const ref of refs) {
      const link = page.getByTestId('import-results').getByRole('link', { name: made.get(ref)!.number });
      expect(await link.getAttribute('href')).toBe(`/orders/${made.get(ref)!.id}`);
    }
    await screenshot(page, 'zh-CN-import-results');
    const resultsAxe = await axeViolations(page);
    if (resultsAxe.length > 0) axe['zh-CN results'] = resultsAxe;

    // The same file again: it checks clean, and committing it creates nothing new.
    const againId = await choose('订单.xlsx', XLSX_TYPE, fixed);
    expect(againId).not.toBe(fixedId);
    expect(await page.getByTestId('import-error-count').innerText()).toBe('0');
    await page.getByTestId('import-commit').click();
    await attributeBecomes(page.getByTestId('import-progress'), 'data-status', 'committed', 90_000);
    expect(await cells('import-results')).toEqual(
      refs.map((ref) => [ref, made.get(ref)!.number, zh.imports.results.existed]),
    );
    for (const ref of refs)
      expect((await ordersByRef(ref)).map((order) => order.id)).toEqual([made.get(ref)!.id]);

    // A result's link opens the order.
    await page
      .getByTestId('import-results')
      .getByRole('link', { name: made.get(refs[0]!)!.number })
      .click();
    await page.waitForURL((url) => url.pathname === `/orders/${made.get(refs[0]!)!.id}`);
    await settled(page);
    expect(axe).toEqual({});
    expect(consolePage.problems).toEqual([]);
  }, 300_000);

  it('reads a CSV file too, says why a file that is not UTF-8 is refused, and passes axe in English', async () => {
    await page.goto('/imports');
    await settled(page);
    await page.getByText('English', { exact: true }).click();
    await page.locator('main h1', { hasText: en.imports.title }).waitFor();
    const emptyAxe = await axeViolations(page);
    if (emptyAxe.length > 0) axe['en empty'] = emptyAxe;

    // Excel's "CSV UTF-8" (with BOM), separated by semicolons, a row for an order already imported.
    const csv = `\uFEFFexternalRef;customer;sku;quantity\r\n${refs[0]};${email};${skus[0]};2\r\n${refs[1]};${email};${skus[1]};0\r\n`;
    await choose('orders.csv', 'text/csv', Buffer.from(csv, 'utf8'));
    expect(await cells('import-errors')).toEqual([
      ['3', 'quantity', expect.stringContaining('between 1 and')],
    ]);
    const problemsAxe = await axeViolations(page);
    if (problemsAxe.length > 0) axe['en problems'] = problemsAxe;

    // Latin-1 text: refused, and the page says how to save the file instead.
    await fileInput().setInputFiles({
      name: 'latin1.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from([...Buffer.from('externalRef,customer,sku,quantity\nA,caf'), 0xe9, 0x0a]),
    });
    expect(await page.getByTestId('import-refused').innerText()).toContain(en.imports.refused.notUtf8);
    await screenshot(page, 'en-import-refused');
    expect(axe).toEqual({});
    expect(consolePage.problems).toEqual([]);
  }, 120_000);
});
