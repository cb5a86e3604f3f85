/**
 * Work that finds its person (issue 26) in the browser, in Chinese and in English: a member of staff opens
 * the unassigned tasks, claims an order and approves it from the list, and the counts in the navigation
 * follow without a reload (also when someone else changes an order); a manager opens the heat map of where
 * work waits, and a cell opens the board showing exactly those orders. Both pages are checked with axe.
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
import { bucketSince } from '../../domain/waiting';
import { eventually, seedCatalogue } from '../support/fixtures';
import type { ApiClient } from '../support/http';
import { placeOrder, type OrderBody } from '../support/orders';
import { startStack, type TestStack } from '../support/stack';

type Strings = {
  nav: Record<string, string>;
  tasks: { scopes: Record<string, string>; nobody: string };
  assignment: { claim: string };
  orders: { actions: Record<string, string> };
  waiting: { title: string };
  profile: { delegation: Record<string, string> };
};
const strings = (language: string) =>
  JSON.parse(
    readFileSync(path.join(__dirname, `../../console/src/i18n/translations/${language}.json`), 'utf8'),
  ) as Strings;

type Tasks = { items: { orderId: string; number: string }[] };
type Waiting = {
  generatedAt: string;
  buckets: { key: string }[];
  rows: { subject: string; stage: string; counts: number[] }[];
};

describe('tasks, navigation counts and the heat map in the console', () => {
  let stack: TestStack;
  let browser: Browser;
  let admin: ApiClient;
  let customerId: string;
  let sku: string;
  const opened: ConsolePage[] = [];

  beforeAll(async () => {
    stack = await startStack();
    admin = await stack.client(['admin'], 'tk-admin');
    const settings = (
      await admin.get<{ autoApproveBelow: number; staffApprovalLimit: number }>('/api/settings/approval')
    ).body;
    // Above what the system approves by itself, within what staff may approve.
    const unitPrice = settings.autoApproveBelow + 100;
    expect(unitPrice).toBeLessThanOrEqual(settings.staffApprovalLimit);
    ({
      customerId,
      skus: [sku = ''],
    } = await seedCatalogue(admin, [{ unitPrice, stockOnHand: 1_000 }]));
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

  const open = async (username: string): Promise<Page> => {
    const consolePage = await openConsole(browser, stack.baseUrl);
    opened.push(consolePage);
    consolePage.page.setDefaultTimeout(30_000);
    await signIn(consolePage.page, username);
    return consolePage.page;
  };
  /** Axe once no button is busy (a loading button is drawn faded) and transitions have ended. */
  const axeWhenQuiet = async (page: Page) => {
    const busy = page.locator('.ant-btn-loading');
    const deadline = Date.now() + 15_000;
    while ((await busy.count()) > 0 && Date.now() < deadline) await page.waitForTimeout(100);
    await page.waitForTimeout(400);
    return axeViolations(page);
  };
  /** The number in a navigation entry's badge; 0 when it has none. */
  const navCount = async (page: Page, testId: string) => {
    const badge = page.getByTestId(testId);
    if ((await badge.count()) === 0) return 0;
    return Number((await badge.locator('.ant-scroll-number').first().getAttribute('title')) ?? '0');
  };
  const navCountBecomes = (page: Page, testId: string, expected: number, timeoutMs = 10_000) =>
    eventually(
      () => navCount(page, testId),
      (count) => count === expected,
      timeoutMs,
    );
  const person = async (roles: ('staff' | 'manager')[], username: string, language: string) => {
    const client = await stack.client(roles, username);
    expect((await client.patch('/api/auth/me', { language })).status).toBe(200);
    return client;
  };

  for (const language of ['zh-CN', 'en'] as const) {
    const s = strings(language);
    const tag = language === 'en' ? 'en' : 'zh';

    it(`lets staff claim an unassigned order and approve it, the counts following live (${language})`, async () => {
      const staff = await person(['staff'], `tk-staff-${tag}`, language);
      const orders: OrderBody[] = [];
      for (let i = 0; i < 3; i += 1) orders.push(await placeOrder(admin, customerId, [{ sku, quantity: 1 }]));
      const [mine, other] = orders as [OrderBody, OrderBody];
      // Other files share the database and leave orders waiting: these three become the oldest waits, so they
      // head the lists (oldest first, at most 200 a list), whatever else waits.
      await stack.orm.em
        .fork()
        .getConnection()
        .execute(`update orders set awaiting_since = now() - interval '30 days' where id in (?, ?, ?)`, [
          ...orders.map((order) => order.id),
        ]);
      const unassigned = async () =>
        (await staff.get<Tasks>('/api/tasks?scope=unassigned&limit=200')).body.items;
      // Once every new order waits for approval, nobody's: the count the navigation should show.
      const before = (
        await eventually(
          unassigned,
          (items) => orders.every((order) => items.some((task) => task.orderId === order.id)),
          20_000,
        )
      ).length;
      /** The navigation's count of unassigned work becomes what the API lists (capped at 200, as it is). */
      const followsApi = async (page: Page, timeoutMs = 10_000) => {
        const seen = await eventually(
          async () => ({
            shown: await navCount(page, 'nav-count-tasks-unassigned'),
            listed: (await unassigned()).length,
          }),
          ({ shown, listed }) => shown === listed,
          timeoutMs,
        );
        expect(seen.shown).toBe(seen.listed);
        return seen.listed;
      };

      const page = await open(`tk-staff-${tag}`);
      // A mark in the window: a reload would drop it.
      await page.evaluate('window.__tasksNoReload = true');
      await followsApi(page);
      expect(await navCount(page, 'nav-count-tasks')).toBe(0);

      const nav = page.getByRole('navigation');
      await nav.getByText(s.nav.unassigned!, { exact: true }).click();
      await page.waitForURL((url) => url.pathname === '/tasks/unassigned');
      await settled(page);
      await page.getByRole('tab', { name: s.tasks.scopes.unassigned!, selected: true }).waitFor();
      expect(await axeWhenQuiet(page)).toEqual([]);
      await screenshot(page, `${language}-tasks-unassigned`);

      await page.getByRole('button', { name: `${s.assignment.claim} ${mine.number}` }).click();
      await navCountBecomes(page, 'nav-count-tasks', 1);
      const claimed = await followsApi(page);
      if (before < 200) expect(claimed).toBe(before - 1);

      await page.getByRole('tab', { name: s.tasks.scopes.mine! }).click();
      await page.waitForURL((url) => url.pathname === '/tasks');
      const row = page.getByTestId('task-list').locator('tr').filter({ hasText: mine.number });
      await row.waitFor();
      expect(await row.getByText(s.tasks.nobody, { exact: true }).count()).toBe(0);
      await row.getByRole('button', { name: `${s.orders.actions.approve!} ${mine.number}` }).click();
      await page.locator('.ant-popconfirm .ant-btn-primary').click();
      await eventually(
        async () => (await staff.get<{ awaiting: string | null }>(`/api/orders/${mine.id}`)).body.awaiting,
        (awaiting) => awaiting !== 'approval',
        20_000,
      );
      expect(await axeWhenQuiet(page)).toEqual([]);
      await screenshot(page, `${language}-tasks-mine`);

      // Someone else cancels an unassigned order: the order event refreshes the count, no reload.
      expect((await admin.post(`/api/orders/${other.id}/cancel`, { reason: 'duplicate' })).status).toBe(200);
      const cancelled = await followsApi(page, 5_000);
      if (before < 200) expect(cancelled).toBe(before - 2);
      expect(await page.evaluate('window.__tasksNoReload === true')).toBe(true);
    }, 150_000);

    it(`lets staff hand their work to a colleague until a moment, and end that (${language})`, async () => {
      const away = await person(['staff'], `tk-away-${tag}`, language);
      const cover = await person(['staff'], `tk-cover-${tag}`, language);
      const coverMe = (await cover.get<{ id: string }>('/api/auth/me')).body;
      const page = await open(`tk-away-${tag}`);
      await page.getByRole('navigation').getByText(s.nav.profile!, { exact: true }).click();
      await settled(page);
      const current = page.getByTestId('delegation-current');
      expect(await current.innerText()).toBe(s.profile.delegation.none);
      await page.getByRole('combobox', { name: s.profile.delegation.delegate }).fill(`tk-cover-${tag}`);
      await page
        .locator('.ant-select-item-option')
        .filter({ hasText: `tk-cover-${tag}` })
        .click();
      const until = new Date(Date.now() + 3 * 86_400_000);
      const typed = `${until.getFullYear()}-${String(until.getMonth() + 1).padStart(2, '0')}-${String(until.getDate()).padStart(2, '0')} 18:00`;
      await page.getByRole('textbox', { name: s.profile.delegation.until }).fill(typed);
      await page.getByRole('textbox', { name: s.profile.delegation.until }).press('Enter');
      await page.getByTestId('delegation-save').click();
      await eventually(
        () => current.innerText(),
        (text) => text.includes(`tk-cover-${tag}`),
        10_000,
      );
      const saved = (
        await away.get<{ delegate: { id: string } | null; inForce: boolean }>('/api/auth/me/delegate')
      ).body;
      expect(saved).toMatchObject({ delegate: { id: coverMe.id }, inForce: true });
      expect(await axeWhenQuiet(page)).toEqual([]);
      await screenshot(page, `${language}-delegation`);

      await page.getByTestId('delegation-end').click();
      await eventually(
        () => current.innerText(),
        (text) => text === s.profile.delegation.none,
        10_000,
      );
      expect((await away.get<{ delegate: unknown }>('/api/auth/me/delegate')).body.delegate).toBeNull();
    }, 120_000);

    it(`shows the manager where work waits; a cell opens the board with exactly those orders (${language})`, async () => {
      await person(['manager'], `tk-boss-${tag}`, language);
      // One order waiting for approval has waited two days (the mirror's clock, which the report reads): the
      // under-an-hour cell leaves it out, and so must the board that cell opens.
      for (let i = 0; i < 2; i += 1) await placeOrder(admin, customerId, [{ sku, quantity: 1 }]);
      const all = (
        await admin.get<{ items: { id: string; number: string }[] }>(
          '/api/orders?awaiting=approval&limit=100',
        )
      ).body.items;
      expect(all.length).toBeGreaterThan(1);
      const aged = all[0]!;
      await stack.orm.em
        .fork()
        .getConnection()
        .execute(`update orders set awaiting_since = now() - interval '2 days' where id = ?`, [aged.id]);
      const report = (await admin.get<Waiting>('/api/reports/waiting')).body;
      const column = report.buckets.findIndex((bucket) => bucket.key === 'under_1h');
      const approval = report.rows.find((row) => row.subject === 'order' && row.stage === 'approval')!;
      expect(approval.counts[column]).toBeGreaterThan(0);
      // Other files share the database: count the cell's orders through the list, page by page.
      const window = bucketSince('under_1h', Date.parse(report.generatedAt));
      let listed = 0;
      for (let cursor: string | null = ''; cursor !== null;) {
        const query = new URLSearchParams({ awaiting: 'approval', limit: '200', ...window });
        if (cursor) query.set('cursor', cursor);
        const page = (
          await admin.get<{ items: { number: string }[]; nextCursor: string | null }>(
            `/api/orders?${query.toString()}`,
          )
        ).body;
        listed += page.items.length;
        expect(page.items.map((order) => order.number)).not.toContain(aged.number);
        cursor = page.nextCursor;
      }
      expect(listed).toBe(approval.counts[column]);
      const fresh = all[1]!;

      const page = await open(`tk-boss-${tag}`);
      await page.getByRole('navigation').getByText(s.nav.reportWaiting!, { exact: true }).click();
      await page.waitForURL((url) => url.pathname === '/reports/waiting');
      await settled(page);
      await page.getByRole('heading', { level: 1, name: s.waiting.title }).waitFor();
      await page.getByTestId('waiting-cell-order-approval-under_1h').waitFor();
      expect(await axeWhenQuiet(page)).toEqual([]);
      await screenshot(page, `${language}-waiting`);

      const cell = page.getByTestId('waiting-cell-order-approval-under_1h');
      expect((await cell.innerText()).trim()).toBe(String(approval.counts[column]));
      // Return rows have no page to open: their cells are not links.
      expect(await page.getByTestId('waiting-cell-return-approval-under_1h').locator('a').count()).toBe(0);
      await cell.getByRole('link').click();
      await page.waitForURL(
        (url) =>
          url.pathname === '/orders' &&
          url.searchParams.get('awaiting') === 'approval' &&
          url.searchParams.has('awaitingSinceFrom'),
      );
      await page.getByTestId('wait-window').waitFor();
      const board = page.getByTestId('order-board');
      // Newest first: the fresh order of this test heads the board; the aged one is not on it.
      const numbers = await eventually(
        async () => (await board.locator('a[href^="/orders/"]').allInnerTexts()).map((text) => text.trim()),
        (shown) => shown.includes(fresh.number),
        15_000,
      );
      expect(numbers).toContain(fresh.number);
      expect(numbers).not.toContain(aged.number);
    }, 120_000);
  }
});
