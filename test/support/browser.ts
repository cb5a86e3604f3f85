/**
 * Debian's chromium driven by playwright-core, against the console the test stack serves. Every page
 * is served with the production content security policy, so a console that needs inline scripts fails.
 */
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { contractProblem } from './openapi-check';
import { LOG_FILE, TEST_PASSWORD } from './stack';

export const CHROMIUM = process.env.OMS_CHROMIUM ?? '/usr/bin/chromium';

/** The policy the API sends in production (helmet in api/app.ts). */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'self'";

export const ARTIFACTS = path.join(__dirname, '..', '..', 'test-artifacts', 'console');

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export interface ConsolePage {
  context: BrowserContext;
  page: Page;
  /** Console errors, CSP violations and API answers off the OpenAPI document seen so far. */
  problems: string[];
  /** Whether any alert/confirm dialog opened (a script injected through data would). */
  dialogs: string[];
}

/** A fresh browser context (its own cookies) on the console, with the production CSP on every document. */
export async function openConsole(browser: Browser, baseUrl: string, width = 1280): Promise<ConsolePage> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, baseURL: baseUrl });
  await context.route(
    (url) =>
      url.origin === baseUrl && !url.pathname.startsWith('/api/') && !url.pathname.startsWith('/assets/'),
    async (route) => {
      // The API may close an idle keep-alive socket just as it is reused (ECONNRESET): ask again.
      for (let attempt = 1; ; attempt += 1) {
        try {
          const response = await route.fetch();
          await route.fulfill({
            response,
            headers: { ...response.headers(), 'content-security-policy': CONTENT_SECURITY_POLICY },
          });
          return;
        } catch (error) {
          if (attempt >= 3) throw error;
        }
      }
    },
  );
  const page = await context.newPage();
  const problems: string[] = [];
  const dialogs: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !/Failed to load resource/.test(message.text()))
      problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  // The console's own API calls are checked against the document like the tests' own requests.
  page.on('response', (response) => {
    const contentType = response.headers()['content-type'] ?? null;
    if (!new URL(response.url()).pathname.startsWith('/api/')) return;
    const body = contentType?.startsWith('text/event-stream')
      ? Promise.resolve(undefined)
      : response.text().catch(() => undefined);
    void body
      .then((text) =>
        contractProblem(response.request().method(), response.url(), response.status(), contentType, text),
      )
      .then((problem) => {
        if (problem) problems.push(`API answer off its document: ${problem}`);
      });
  });
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  logApiTraffic(page);
  openPages.add(page);
  page.on('close', () => openPages.delete(page));
  return { context, page, problems, dialogs };
}

const openPages = new Set<Page>();

/** One line of the console's own in the test file's log. */
const logConsole = (line: string) =>
  appendFileSync(LOG_FILE, `${new Date().toISOString()} console ${line}\n`);

/**
 * What the open console pages show when a test fails (called by test/support/browser-environment.js before
 * the test's afterEach closes them): a screenshot each, and in the file's log the address, the modals' titles
 * and every alert's text, so a failure that waited for words shows the words that were there instead.
 */
async function recordOpenPages(test: string): Promise<void> {
  const dir = path.join(ARTIFACTS, 'failed');
  mkdirSync(dir, { recursive: true });
  let index = 0;
  for (const page of openPages) {
    index += 1;
    const file = path.join(dir, `${test.replace(/[^\w-]+/g, '-').slice(0, 80)}-${index}.png`);
    await page.screenshot({ path: file, fullPage: true, timeout: 10_000 }).catch(() => undefined);
    const texts = (selector: string) =>
      page
        .locator(selector)
        .allInnerTexts()
        .catch(() => ['(unreadable)']);
    logConsole(
      `at the failure of "${test}": page ${page.url()} (screenshot ${path.relative(ARTIFACTS, file)})`,
    );
    logConsole(`  modals: ${JSON.stringify(await texts('.ant-modal-title'))}`);
    logConsole(`  alerts: ${JSON.stringify(await texts('[role=alert]'))}`);
  }
}
(globalThis as { __recordOpenPages?: typeof recordOpenPages }).__recordOpenPages = recordOpenPages;

/**
 * The console's API requests, each when it leaves and when it ends (answered or failed), go to the test
 * file's log beside the services' lines (printed only for a failing file): a request that never left, or
 * never ended, shows there.
 */
function logApiTraffic(page: Page): void {
  mkdirSync(path.dirname(LOG_FILE), { recursive: true });
  const test = expect.getState().currentTestName ?? 'set-up';
  const api = (url: string) => {
    const { pathname, search } = new URL(url);
    return pathname.startsWith('/api/') ? pathname + search : null;
  };
  logConsole(`page opened (${test})`);
  page.on('request', (request) => {
    const target = api(request.url());
    if (target) logConsole(`-> ${request.method()} ${target}`);
  });
  // 'response', not 'requestfinished' and its promise of the answer, which rejects once the page has closed.
  page.on('response', (response) => {
    const target = api(response.url());
    if (target) logConsole(`<- ${response.status()} ${response.request().method()} ${target}`);
  });
  page.on('requestfailed', (request) => {
    const target = api(request.url());
    if (target) logConsole(`<- failed (${request.failure()?.errorText}) ${request.method()} ${target}`);
  });
  page.on('pageerror', (error) => logConsole(`page error: ${error.message}`));
}

const translations = (language: string) =>
  JSON.parse(
    readFileSync(path.join(__dirname, `../../console/src/i18n/translations/${language}.json`), 'utf8'),
  ) as Record<string, unknown>;
const WORDS = { 'zh-CN': translations('zh-CN'), en: translations('en') };

/** The console's text under a key (`shipments.list.title`) in a language, with `{{name}}` filled in. */
export function words(
  language: keyof typeof WORDS,
  key: string,
  values: Record<string, string> = {},
): string {
  const text = key
    .split('.')
    .reduce<unknown>((tree, part) => (tree as Record<string, unknown>)[part], WORDS[language]);
  if (typeof text !== 'string') throw new Error(`no text ${key} in ${language}`);
  return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => values[name] ?? '');
}

/** The console's Chinese text under a key. */
export const zh = (key: string, values?: Record<string, string>) => words('zh-CN', key, values);

/** Signs in through the sign-in page and waits for the page it leads to. */
export async function signIn(page: Page, username: string): Promise<void> {
  await page.goto('/login');
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(TEST_PASSWORD);
  await page.locator('button[type=submit]').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  await page.locator('main h1').first().waitFor();
}

/**
 * Clicks the primary (or danger) button of the open modal, once the modal has finished appearing. While it
 * appears, antd zooms it in (rc-motion's `ant-zoom-appear` classes). Under load Playwright took the modal for
 * stable mid-zoom: its press landed on the button and its release, a frame later, on the modal's wrapper: no
 * click, the modal left open, no request sent (seen twice in returns.spec.ts beside a CPU hog, on refund and
 * close; a probe saw the press at `ant-zoom-appear-active`).
 */
export async function confirmModal(page: Page): Promise<void> {
  await page.locator('.ant-modal').last().waitFor();
  // rc-motion's classes (ant-zoom-appear, -prepare, -start, -active) stay on the modal until its motion ends.
  await page
    .locator('.ant-modal[class*="-appear"], .ant-modal[class*="-enter"]')
    .first()
    .waitFor({ state: 'detached' });
  await page.locator('.ant-modal-footer button').last().click();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Runs axe-core in the page; answers the serious and critical violations. */
export async function axeViolations(page: Page): Promise<{ id: string; impact: string; nodes: string[] }[]> {
  const source = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(source);
  // The page as it settles, not mid-transition: a button fading back from its loading state (or a tint
  // easing in) has, for 0.2 s, colours it never keeps, and a loaded machine catches axe inside that window.
  // Transitions and finite animations jump to their end (getAnimations starts any transition due first);
  // endless ones (spinners) are left running. A string: this program has no DOM types.
  await page.evaluate(
    'for (const a of document.getAnimations()) { try { a.finish(); } catch { /* endless: left running */ } }',
  );
  // Runs in the page (a string: this program has no DOM types).
  const result = await page.evaluate<AxeResult>("axe.run(document, { resultTypes: ['violations'] })");
  return result.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      nodes: violation.nodes.map((node) => node.target.join(' ')),
    }));
}

interface AxeResult {
  violations: { id: string; impact: string; nodes: { target: string[] }[] }[];
}

/** Waits until the locator's attribute has the value; fails naming what it last saw. */
export async function attributeBecomes(
  locator: Locator,
  name: string,
  value: string,
  timeoutMs = 10000,
): Promise<number> {
  const started = Date.now();
  let seen: string | null = null;
  while (Date.now() - started < timeoutMs) {
    seen = await locator
      .getAttribute(name, { timeout: Math.max(1, timeoutMs - (Date.now() - started)) })
      .catch(() => null);
    if (seen === value) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(
    `${name} stayed ${JSON.stringify(seen)} instead of ${JSON.stringify(value)} for ${timeoutMs} ms`,
  );
}

/** Waits until the page's main heading is there and nothing is loading any more (no spinner, no skeleton). */
export async function settled(page: Page): Promise<void> {
  await page.locator('main h1').first().waitFor();
  // Polled through locators: the page's CSP forbids the eval that waitForFunction needs.
  const busy = page.locator('.ant-spin-spinning, .ant-skeleton-active');
  const deadline = Date.now() + 15000;
  while ((await busy.count()) > 0 && Date.now() < deadline) await page.waitForTimeout(100);
  // Fonts and the last layout pass.
  await page.waitForTimeout(150);
}
