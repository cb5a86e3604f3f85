/**
 * A customer's e-mailed reply on the order page, and staff's answer from it, in the browser: the reply is put
 * in a real IMAP mailbox (Dovecot) the product reads, the answer leaves through a loopback SMTP receiver.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import type { Browser } from 'playwright-core';
import { startImapServer, type ImapServer } from '../../scripts/dovecot';
import { launch, openConsole, settled, signIn, type ConsolePage } from '../support/browser';
import { eventually, seedCatalogue } from '../support/fixtures';
import type { ApiClient } from '../support/http';
import { placeOrder } from '../support/orders';
import { startSmtpReceiver, type SmtpReceiver } from '../support/receivers';
import { ownTaskQueue, startStack, type TestStack } from '../support/stack';

const zh = JSON.parse(
  readFileSync(path.join(__dirname, '../../console/src/i18n/translations/zh-CN.json'), 'utf8'),
) as { orders: { messages: Record<string, string> } };

describe("the customer's e-mail on the order page", () => {
  let imap: ImapServer;
  let smtp: SmtpReceiver;
  let stack: TestStack;
  let browser: Browser;
  let clerk: ApiClient;
  const opened: ConsolePage[] = [];

  beforeAll(async () => {
    imap = await startImapServer();
    smtp = await startSmtpReceiver();
    stack = await startStack({
      env: {
        ...ownTaskQueue('browser-messages'),
        OMS_SMTP_URL: smtp.url,
        OMS_MAIL_FROM: 'OMS <orders@oms.example>',
        OMS_INBOUND_IMAP_URL: imap.url('INBOX'),
        OMS_INBOUND_POLL_MS: '200',
      },
    });
    clerk = await stack.client(['staff'], 'bm-staff');
    browser = await launch();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await smtp?.close();
    await imap?.stop();
  });
  afterEach(async () => {
    const pages = opened.splice(0);
    for (const { context } of pages) await context.close();
    expect(pages.flatMap(({ problems }) => problems)).toEqual([]);
  }, 150_000);

  it("shows a customer's reply on the order, and staff's answer leaves by SMTP threaded to it", async () => {
    const { customerId, skus } = await seedCatalogue(clerk, [{ unitPrice: 5000 }]);
    const customer = (await clerk.get<{ email: string }>(`/api/customers/${customerId}`)).body;
    const order = await placeOrder(clerk, customerId, [{ sku: skus[0]!, quantity: 1 }]);
    const confirmation = await eventually(
      () =>
        Promise.resolve(
          smtp.messages.find((m) => m.to === customer.email && m.subject.includes(order.number)),
        ),
      (mail) => mail !== undefined,
      30_000,
    );
    const replyId = `<${randomUUID()}@customer.example>`;
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
        [
          `From: 李伟 <${customer.email}>`,
          'To: orders@oms.example',
          `Subject: =?UTF-8?B?${Buffer.from(`回复：${confirmation!.subject}`).toString('base64')}?=`,
          `Message-ID: ${replyId}`,
          `In-Reply-To: ${confirmation!.messageId}`,
          `References: ${confirmation!.messageId}`,
          `Date: ${new Date().toUTCString()}`,
          'MIME-Version: 1.0',
          'Content-Type: text/plain; charset=utf-8',
          'Content-Transfer-Encoding: base64',
          '',
          Buffer.from('请送到后门，谢谢。').toString('base64'),
          '',
        ].join('\r\n'),
      );
    } finally {
      await postman.logout();
    }
    await eventually(
      async () => (await clerk.get<{ items: unknown[] }>(`/api/orders/${order.id}/messages`)).body.items,
      (items) => items.length === 1,
      30_000,
    );

    const consolePage = await openConsole(browser, stack.baseUrl);
    opened.push(consolePage);
    const { page } = consolePage;
    page.setDefaultTimeout(30_000);
    await signIn(page, 'bm-staff');
    await page.goto(`/orders/${order.id}`);
    await settled(page);
    const panel = page.getByTestId('order-messages');
    const incoming = panel.locator('.ant-list-item').filter({ hasText: '请送到后门，谢谢。' });
    await incoming.waitFor();
    await incoming.getByText(zh.orders.messages.in!, { exact: true }).waitFor();
    await incoming.getByText(`李伟 <${customer.email}>`).waitFor();

    await page.getByTestId('order-message-text').fill('好的，我们会送到后门。');
    await page.getByTestId('order-message-send').click();
    const outgoing = panel.locator('.ant-list-item').filter({ hasText: '好的，我们会送到后门。' });
    await outgoing.getByText(zh.orders.messages.out!, { exact: true }).waitFor();
    // The box empties once the answer is accepted.
    expect(await page.getByTestId('order-message-text').inputValue()).toBe('');

    const sent = await eventually(
      () =>
        Promise.resolve(
          smtp.messages.find((m) => m.to === customer.email && m.text.includes('好的，我们会送到后门。')),
        ),
      (mail) => mail !== undefined,
      30_000,
    );
    expect(sent).toMatchObject({
      inReplyTo: replyId,
      references: [confirmation!.messageId, replyId],
    });
  }, 150_000);
});
