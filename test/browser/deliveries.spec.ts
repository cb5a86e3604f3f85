import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { launch, openConsole, settled, signIn, type ConsolePage } from '../support/browser';
import { eventually, seedCatalogue } from '../support/fixtures';
import type { ApiClient } from '../support/http';
import { placeOrder } from '../support/orders';
import { startSmtpReceiver, type SmtpReceiver } from '../support/receivers';
import { ownTaskQueue, startStack, type TestStack } from '../support/stack';

const zh = JSON.parse(
  readFileSync(path.join(__dirname, '../../console/src/i18n/translations/zh-CN.json'), 'utf8'),
) as { deliveries: { destinations: Record<string, Record<string, string> | string> } };

/** A person's choice of e-mail, and a destination that is down, as the console shows them. */
describe('deliveries and e-mail choices in the browser', () => {
  let stack: TestStack;
  let smtp: SmtpReceiver;
  let browser: Browser;
  let admin: ApiClient;
  const opened: ConsolePage[] = [];

  const open = async (username: string) => {
    const consolePage = await openConsole(browser, stack.baseUrl);
    opened.push(consolePage);
    consolePage.page.setDefaultTimeout(30_000);
    await signIn(consolePage.page, username);
    return consolePage;
  };

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    stack = await startStack({
      env: { ...ownTaskQueue('browser-deliveries'), OMS_SMTP_URL: smtp.url, OMS_BREAKER_BACKOFF_MS: '60000' },
    });
    admin = await stack.client(['admin'], 'admin');
    await stack.client(['staff'], 'bd-staff');
    await stack.client(['manager'], 'bd-manager');
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
  }, 150_000);

  it('lets a person choose under My settings which notifications reach them by e-mail', async () => {
    const { page } = await open('bd-staff');
    await page.goto('/profile');
    await settled(page);
    // The test ids sit on the radio inputs themselves.
    expect(await page.getByTestId('email-assigned').isChecked()).toBe(true);
    // The group shows what the server holds, so the choice is checked once it is saved, not at the click.
    await page.getByTestId('email-digest').click();
    await page.locator('.ant-alert-success').waitFor();
    await page.locator('[data-testid="email-digest"]:checked').waitFor();
    const staff = await stack.client(['staff'], 'bd-staff');
    expect((await staff.get<{ emailNotifications: string }>('/api/auth/me')).body.emailNotifications).toBe(
      'digest',
    );
    await page.reload();
    await settled(page);
    expect(await page.getByTestId('email-digest').isChecked()).toBe(true);
  }, 150_000);

  it('shows a manager the mail server down, and lets them pause and resume it', async () => {
    await smtp.become('down');
    try {
      const { customerId, skus } = await seedCatalogue(admin);
      await placeOrder(admin, customerId, [{ sku: skus[0]!, quantity: 1 }]);
      const destinations = () =>
        admin.get<{ items: { name: string; state: string; paused: boolean }[] }>(
          '/api/deliveries/destinations',
        );
      await eventually(
        async () => (await destinations()).body.items.find((d) => d.name === 'smtp')?.state,
        (state) => state === 'open',
        30_000,
      );
      const { page } = await open('bd-manager');
      await page.goto('/deliveries');
      await settled(page);
      const states = zh.deliveries.destinations.states as Record<string, string>;
      await page.getByTestId('breaker-smtp').filter({ hasText: states.open! }).waitFor();
      // The row's one button pauses, then resumes (antd spaces out a two-character Chinese label).
      const row = page.locator('tr').filter({ has: page.getByTestId('breaker-smtp') });
      const paused = row.getByText(zh.deliveries.destinations.paused as string, { exact: true });
      await row.getByRole('button').click();
      await paused.waitFor();
      expect((await destinations()).body.items.find((d) => d.name === 'smtp')?.paused).toBe(true);
      await row.getByRole('button').click();
      await paused.waitFor({ state: 'detached' });
      expect((await destinations()).body.items.find((d) => d.name === 'smtp')?.paused).toBe(false);
    } finally {
      await smtp.become('up');
    }
  }, 150_000);
});
