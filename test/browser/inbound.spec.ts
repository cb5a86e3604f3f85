/**
 * The console's page of incoming mail, in the browser: messages are put in a real IMAP mailbox (Dovecot) the
 * product reads; staff file one from an unknown sender as feedback and make an order draft of one with an
 * attached CSV, and the page is checked with axe in Chinese and in English.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import type { Browser } from 'playwright-core';
import { startImapServer, type ImapServer } from '../../scripts/dovecot';
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
import { ownTaskQueue, startStack, type TestStack } from '../support/stack';

type Strings = { inbound: Record<string, string> & { done: Record<string, string> } };
const strings = (language: string) =>
  JSON.parse(
    readFileSync(path.join(__dirname, `../../console/src/i18n/translations/${language}.json`), 'utf8'),
  ) as Strings;
const en = strings('en');
const zh = strings('zh-CN');

/** A message as a mail server stores it, with base64 attachments. */
function rawMail(mail: {
  from: string;
  subject: string;
  text: string;
  attachments?: { name: string; type: string; bytes: Buffer }[];
}): string {
  const boundary = `b-${randomUUID()}`;
  const subject = `=?UTF-8?B?${Buffer.from(mail.subject).toString('base64')}?=`;
  return [
    `From: ${mail.from}`,
    'To: orders@oms.example',
    `Subject: ${subject}`,
    `Message-ID: <${randomUUID()}@customer.example>`,
    `Date: ${new Date().toUTCString()}`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from(mail.text).toString('base64'),
    ...(mail.attachments ?? []).flatMap((a) => [
      `--${boundary}`,
      `Content-Type: ${a.type}; name="${a.name}"`,
      `Content-Disposition: attachment; filename="${a.name}"`,
      'Content-Transfer-Encoding: base64',
      '',
      a.bytes.toString('base64'),
    ]),
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

describe('the incoming mail page', () => {
  let imap: ImapServer;
  let stack: TestStack;
  let browser: Browser;
  let clerk: ApiClient;
  let manager: ApiClient;
  const opened: ConsolePage[] = [];

  beforeAll(async () => {
    imap = await startImapServer();
    stack = await startStack({
      env: {
        ...ownTaskQueue('browser-inbound'),
        OMS_MAIL_FROM: 'OMS <orders@oms.example>',
        OMS_INBOUND_IMAP_URL: imap.url('INBOX'),
        OMS_INBOUND_POLL_MS: '200',
      },
    });
    clerk = await stack.client(['staff'], 'bi-staff');
    manager = await stack.client(['manager'], 'bi-manager');
    browser = await launch();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await imap?.stop();
  });
  afterEach(async () => {
    const pages = opened.splice(0);
    for (const { context } of pages) await context.close();
    expect(pages.flatMap(({ problems }) => problems)).toEqual([]);
  }, 150_000);

  it('files an unknown sender’s message as feedback and an attached CSV as an order draft, accessible in both languages', async () => {
    const { customerId, skus } = await seedCatalogue(clerk, [{ unitPrice: 5000 }, { unitPrice: 1200 }]);
    const customer = (await clerk.get<{ email: string }>(`/api/customers/${customerId}`)).body;
    const tag = randomUUID().slice(0, 8);
    const feedbackSubject = `关于送货 ${tag}`;
    const orderSubject = `Order sheet ${tag}`;
    const csv = [
      'externalRef,customer,sku,quantity,notes',
      `SHEET-${tag},${customer.email},${skus[0]},4,`,
      `SHEET-${tag},${customer.email},${skus[1]},1,`,
    ].join('\r\n');
    const postman = new ImapFlow({
      host: imap.host,
      port: imap.port,
      secure: false,
      auth: { user: imap.user, pass: imap.password },
      logger: false,
    });
    await postman.connect();
    try {
      await postman.append(
        'INBOX',
        rawMail({
          from: 'Zhao Lei <zhao.lei@unknown.example>',
          subject: feedbackSubject,
          text: '送货很快，谢谢！建议周末也送货。<script>alert(1)</script>',
        }),
      );
      await postman.append(
        'INBOX',
        rawMail({
          from: `Li Wei <${customer.email}>`,
          subject: orderSubject,
          text: 'Our order for next week is attached.',
          attachments: [{ name: 'week.csv', type: 'text/csv', bytes: Buffer.from(csv) }],
        }),
      );
    } finally {
      await postman.logout();
    }
    await eventually(
      async () =>
        (await clerk.get<{ items: { subject: string }[] }>('/api/inbound?status=open')).body.items.map(
          (m) => m.subject,
        ),
      (subjects) => subjects.includes(feedbackSubject) && subjects.includes(orderSubject),
      30_000,
    );

    const consolePage = await openConsole(browser, stack.baseUrl);
    opened.push(consolePage);
    const { page } = consolePage;
    page.setDefaultTimeout(30_000);
    await signIn(page, 'bi-staff');
    await page.goto('/inbound');
    await settled(page);
    const card = (subject: string) => page.getByTestId('inbound-item').filter({ hasText: subject });

    // In Chinese first: the page, its nav entry, and nothing axe calls serious.
    await page.getByText('中文', { exact: true }).click();
    await page.getByRole('heading', { level: 1, name: zh.inbound.title }).waitFor();
    await card(feedbackSubject).waitFor();
    // The text is shown as text: the script in it is only characters.
    await card(feedbackSubject).getByText('<script>alert(1)</script>', { exact: false }).first().waitFor();
    await card(orderSubject).getByRole('link', { name: 'week.csv' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'zh-CN-inbound');

    await page.getByText('English', { exact: true }).click();
    await page.getByRole('heading', { level: 1, name: en.inbound.title }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'en-inbound');

    // As feedback: it leaves the list, and managers read it with channel email.
    await card(feedbackSubject).getByRole('button', { name: en.inbound.fileFeedback }).click();
    await page
      .getByTestId('inbound-done')
      .filter({ hasText: en.inbound.done.feedback!.replace('{{subject}}', feedbackSubject) })
      .waitFor();
    await card(feedbackSubject).waitFor({ state: 'detached' });
    const feedback = await manager.get<{ items: { message: string; channel: string }[] }>(
      '/api/feedback?limit=50',
    );
    expect(feedback.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          channel: 'email',
          message: expect.stringContaining(feedbackSubject) as unknown,
        }),
      ]),
    );

    // As an order draft from the attached CSV: a link to the uncommitted import, and no order yet.
    await card(orderSubject).getByRole('button', { name: en.inbound.fileDraft }).click();
    const link = page.getByTestId('inbound-draft-link');
    await link.waitFor();
    const href = await link.getAttribute('href');
    expect(href).toMatch(/^\/imports\/[0-9a-f-]{36}$/);
    await card(orderSubject).waitFor({ state: 'detached' });
    const preview = await clerk.get<{
      status: string;
      fileName: string;
      rows: number;
      valid: number;
      orders: number;
    }>(`/api/${href!.slice(1)}`);
    expect(preview.body).toMatchObject({
      status: 'previewed',
      fileName: 'week.csv',
      rows: 2,
      valid: 2,
      orders: 1,
    });
    const orders = await clerk.get<{ items: unknown[] }>(`/api/orders?externalRef=SHEET-${tag}`);
    expect(orders.body.items).toEqual([]);
    await screenshot(page, 'en-inbound-filed');
  }, 180_000);
});
