/**
 * Mail that comes in, against a real IMAP server (Dovecot, started for this file) and the real worker, API,
 * PostgreSQL and Temporal: messages are put in the mailbox by IMAP APPEND, as a mail server delivers them,
 * and what leaves is caught by a loopback SMTP receiver.
 */
import { randomUUID } from 'node:crypto';
import { ImapFlow } from 'imapflow';
import { InboundReader, PROCESSED_FOLDER } from '../activities/inbound.reader';
import type { InboundMailbox } from '../config/config';
import { startImapServer, type ImapServer } from '../scripts/dovecot';
import { eventually, seedCatalogue } from './support/fixtures';
import type { ApiClient } from './support/http';
import { placeOrder, type OrderBody } from './support/orders';
import { startSmtpReceiver, type SmtpReceiver } from './support/receivers';
import { ownTaskQueue, startStack, type TestStack } from './support/stack';

type Message = {
  id: string;
  direction: 'in' | 'out';
  from: string;
  to: string;
  subject: string;
  text: string;
  at: string;
  attachments: { name: string; size: number; type: string }[];
  automatic: boolean;
};
type InboundItem = { id: string; from: string; subject: string; text: string; customerId?: string };

/** A message as a mail server would store it. */
function rawMail(mail: {
  from: string;
  to?: string;
  subject: string;
  text: string;
  messageId?: string;
  headers?: Record<string, string>;
}): { raw: string; messageId: string } {
  const messageId = mail.messageId ?? `<${randomUUID()}@customer.example>`;
  const headers = {
    From: mail.from,
    To: mail.to ?? 'orders@oms.example',
    Subject: mail.subject,
    'Message-ID': messageId,
    Date: new Date().toUTCString(),
    'MIME-Version': '1.0',
    'Content-Type': 'text/plain; charset=utf-8',
    ...mail.headers,
  };
  const head = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}`)
    .join('\r\n');
  return { raw: `${head}\r\n\r\n${mail.text}\r\n`, messageId };
}

describe('mail that comes in', () => {
  let imap: ImapServer;
  let smtp: SmtpReceiver;
  let stack: TestStack;
  let clerk: ApiClient;
  let manager: ApiClient;
  /** The test's own IMAP session, which delivers messages into the mailbox. */
  let postman: ImapFlow;

  beforeAll(async () => {
    imap = await startImapServer();
    smtp = await startSmtpReceiver();
    stack = await startStack({
      worker: false,
      env: {
        ...ownTaskQueue('inbound'),
        OMS_SMTP_URL: smtp.url,
        OMS_MAIL_FROM: 'OMS <orders@oms.example>',
        OMS_INBOUND_IMAP_URL: imap.url('INBOX'),
        OMS_INBOUND_POLL_MS: '200',
      },
    });
    await stack.startWorker();
    clerk = await stack.client(['staff'], 'inbound-clerk');
    manager = await stack.client(['manager'], 'inbound-manager');
    postman = new ImapFlow({
      host: imap.host,
      port: imap.port,
      secure: false,
      auth: { user: imap.user, pass: imap.password },
      logger: false,
    });
    await postman.connect();
  }, 180_000);

  afterAll(async () => {
    await postman?.logout();
    await stack?.close();
    await smtp?.close();
    await imap?.stop();
  });

  const deliver = async (raw: string, folder = 'INBOX') => {
    await postman.append(folder, raw);
  };
  const conversation = async (order: OrderBody) => {
    const response = await clerk.get<{ items: Message[] }>(`/api/orders/${order.id}/messages`);
    expect(response.status).toBe(200);
    return response.body.items;
  };
  const openList = async () => {
    const response = await clerk.get<{ items: InboundItem[] }>('/api/inbound?status=open');
    expect(response.status).toBe(200);
    return response.body.items;
  };
  /** The stored row of a message by its Message-ID, once the reader has taken it. */
  const stored = (messageId: string) =>
    eventually(
      () =>
        stack.orm.em
          .fork()
          .getConnection()
          .execute<{ status: string; order_id: string | null; automatic: boolean }[]>(
            `select status, order_id, automatic from mail_messages where message_id = ?`,
            [messageId],
          ),
      (rows) => rows.length > 0,
      30_000,
    ).then((rows) => rows[0]);
  const folderCount = async (folder: string) => {
    const status = await postman.status(folder, { messages: true });
    if (!status) throw new Error(`no folder ${folder}`);
    return status.messages;
  };

  /** A folder of the test mailbox of its own, read as the product reads a configured mailbox. */
  const mailboxOf = (folder: string): InboundMailbox => ({
    key: `${imap.user}@${imap.host}:${imap.port}/${folder}`,
    host: imap.host,
    port: imap.port,
    secure: false,
    user: imap.user,
    password: imap.password,
    folder,
  });

  async function orderWithMail() {
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
    if (!confirmation) throw new Error('the customer was not e-mailed about the order');
    return { order, email: customer.email, confirmation };
  }

  it("joins a customer's reply to the order's conversation, and staff's answer goes out threaded", async () => {
    const { order, email, confirmation } = await orderWithMail();
    // The product's Message-IDs carry its configured mail domain (OMS_MAIL_FROM's).
    expect(confirmation.messageId).toMatch(/^<[0-9a-f-]{36}@oms\.example>$/);
    const reply = rawMail({
      from: `Li Wei <${email}>`,
      subject: `Re: ${confirmation.subject}`,
      text: 'Please deliver to the back door.',
      headers: { 'In-Reply-To': confirmation.messageId, References: confirmation.messageId },
    });
    await deliver(reply.raw);
    const joined = await eventually(
      () => conversation(order),
      (items) => items.length === 1,
      30_000,
    );
    expect(joined).toEqual([
      expect.objectContaining({
        direction: 'in',
        from: `Li Wei <${email}>`,
        subject: `Re: ${confirmation.subject}`,
        text: 'Please deliver to the back door.',
        attachments: [],
        automatic: false,
      }),
    ]);
    // Filed on the server, never deleted.
    expect(
      await eventually(
        () => folderCount('INBOX'),
        (count) => count === 0,
      ),
    ).toBe(0);
    expect(await folderCount(PROCESSED_FOLDER)).toBeGreaterThanOrEqual(1);

    const answer = await clerk.post<Message>(`/api/orders/${order.id}/messages`, {
      text: 'Noted: the back door it is.',
    });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ direction: 'out', to: email, text: 'Noted: the back door it is.' });
    const sent = await eventually(
      () => Promise.resolve(smtp.messages.find((m) => m.to === email && m.text.includes('back door it is'))),
      (mail) => mail !== undefined,
      30_000,
    );
    expect(sent).toMatchObject({
      inReplyTo: reply.messageId,
      references: [confirmation.messageId, reply.messageId],
      subject: `Re: ${confirmation.subject}`,
    });
    expect((await conversation(order)).map((m) => m.direction)).toEqual(['in', 'out']);

    // The customer answers the staff's e-mail: it threads back to the same order.
    const again = rawMail({
      from: email,
      subject: `Re: ${confirmation.subject}`,
      text: 'Thank you!',
      headers: { 'In-Reply-To': sent!.messageId, References: `${reply.messageId} ${sent!.messageId}` },
    });
    await deliver(again.raw);
    await eventually(
      () => conversation(order),
      (items) => items.length === 3,
      30_000,
    );
    expect((await conversation(order)).map((m) => m.text)).toEqual([
      'Please deliver to the back door.',
      'Noted: the back door it is.',
      'Thank you!',
    ]);

    const health = await fetch(`${stack.baseUrl}/health`);
    expect(health.status).toBe(200);
    const body = (await health.json()) as {
      checks: { inbound: { status: string; mailboxes: { name: string; state: string; taken: number }[] } };
    };
    expect(body.checks.inbound).toEqual({
      status: 'ok',
      mailboxes: [
        expect.objectContaining({ name: `${imap.user}@${imap.host}:${imap.port}/INBOX`, state: 'ok' }),
      ],
    });
    const ready = (await (await fetch(`${stack.baseUrl}/health/ready`)).json()) as { checks: object };
    expect(ready.checks).not.toHaveProperty('inbound');
    const metrics = await (await fetch(`${stack.baseUrl}/metrics`)).text();
    const mailbox = `${imap.user}@${imap.host}:${imap.port}/INBOX`;
    expect(metrics).toContain(`oms_inbound_mailbox_up{mailbox="${mailbox}"} 1`);
    expect(metrics).toMatch(
      new RegExp(`oms_inbound_messages_taken\\{mailbox="${mailbox.replace(/[.]/g, '\\.')}"\\} [1-9]`),
    );
  }, 120_000);

  it("tells the order's assignee of a customer's reply instead of the rest of staff; nobody's order reaches all of staff", async () => {
    type Inbox = { items: { id: string; kind: string; orderId: string; title: string; body: string }[] };
    const admin = await stack.client(['admin'], 'admin');
    const colleague = await stack.client(['staff'], 'inbound-colleague');
    const clerkId = (await clerk.get<{ id: string }>('/api/auth/me')).body.id;
    const clerkAddress = `inbound-clerk-${randomUUID().slice(0, 8)}@staff.example`;
    expect((await admin.patch(`/api/users/${clerkId}`, { email: clerkAddress, language: 'en' })).status).toBe(
      200,
    );
    const told = async (api: ApiClient, orderId: string) =>
      (await api.get<Inbox>('/api/notifications?limit=500')).body.items.filter(
        (item) => item.orderId === orderId && item.kind === 'order.message',
      );
    const replyTo = async (order: {
      email: string;
      confirmation: { subject: string; messageId: string };
    }) => {
      const reply = rawMail({
        from: `Li Wei <${order.email}>`,
        subject: `Re: ${order.confirmation.subject}`,
        text: 'Can you add two more boxes of the green tea?',
        headers: { 'In-Reply-To': order.confirmation.messageId },
      });
      await deliver(reply.raw);
      // Taken (and its notifications planned, which happens before the move) once the inbox is empty again.
      await eventually(
        () => folderCount('INBOX'),
        (count) => count === 0,
        30_000,
      );
      return reply;
    };

    const held = await orderWithMail();
    expect((await clerk.post(`/api/orders/${held.order.id}/claim`, {})).status).toBe(200);
    await replyTo(held);
    const notices = await eventually(
      () => told(clerk, held.order.id),
      (items) => items.length > 0,
      30_000,
    );
    expect(notices).toHaveLength(1);
    expect(notices[0]!.title).toContain(held.order.number);
    expect(notices[0]!.body).toContain('Can you add two more boxes of the green tea?');
    expect(notices[0]!.body).toContain(`Li Wei <${held.email}>`);
    expect(await told(colleague, held.order.id)).toEqual([]);
    // The assignee chose e-mail for what is theirs (`assigned`, the default): it leaves through the outbox.
    const mailed = await eventually(
      () =>
        Promise.resolve(
          smtp.messages.find((m) => m.to === clerkAddress && m.subject.includes(held.order.number)),
        ),
      (mail) => mail !== undefined,
      30_000,
    );
    expect(mailed!.text).toContain('Can you add two more boxes of the green tea?');

    const nobodys = await orderWithMail();
    await replyTo(nobodys);
    for (const person of [clerk, colleague])
      expect(
        await eventually(
          () => told(person, nobodys.order.id),
          (items) => items.length > 0,
          30_000,
        ),
      ).toHaveLength(1);
  }, 120_000);

  it('joins a message naming the order in its subject when the customer writes, not when another does', async () => {
    const { order, email } = await orderWithMail();
    const fromCustomer = rawMail({
      from: email,
      subject: `Question about ${order.number}`,
      text: 'Can I add two more boxes?',
    });
    const fromStranger = rawMail({
      from: 'someone@elsewhere.example',
      subject: `Question about ${order.number}`,
      text: 'Please send me the invoice of this order.',
    });
    await deliver(fromCustomer.raw);
    await deliver(fromStranger.raw);
    expect(await stored(fromCustomer.messageId)).toMatchObject({ status: 'order', order_id: order.id });
    expect(await stored(fromStranger.messageId)).toMatchObject({ status: 'open', order_id: null });
    expect((await conversation(order)).map((m) => m.text)).toEqual(['Can I add two more boxes?']);
    expect((await openList()).map((m) => m.text)).toContain('Please send me the invoice of this order.');
  }, 120_000);

  it('files an unmatched message as feedback, which shows with channel email', async () => {
    const message = rawMail({
      from: 'Zhang Min <zhang.min@unknown.example>',
      subject: 'Your service',
      text: 'The delivery was quick, thank you. 建议增加周末送货。',
    });
    await deliver(message.raw);
    const waiting = await eventually(
      openList,
      (items) => items.some((m) => m.subject === 'Your service'),
      30_000,
    );
    const item = waiting.find((m) => m.subject === 'Your service')!;
    expect(item).toMatchObject({ from: 'Zhang Min <zhang.min@unknown.example>', suggestion: 'feedback' });
    expect(item).not.toHaveProperty('customerId');

    // Nothing in it reads as an order line: it cannot be a draft, and stays open.
    const draft = await clerk.post<{ message: string }>(`/api/inbound/${item.id}/file`, {
      as: 'order-draft',
    });
    expect(draft.status).toBe(409);
    expect(draft.body.message).toMatch(/no order lines were recognised/);
    expect((await openList()).map((m) => m.id)).toContain(item.id);
    const filed = await clerk.post(`/api/inbound/${item.id}/file`, { as: 'feedback' });
    expect(filed.status).toBe(200);
    expect((await openList()).map((m) => m.id)).not.toContain(item.id);
    expect((await clerk.post(`/api/inbound/${item.id}/close`, {})).status).toBe(409);

    expect((await clerk.post('/api/feedback', { message: 'The console is fine.' })).status).toBe(201);
    const feedback = await manager.get<{ items: { message: string; channel: string }[] }>(
      '/api/feedback?limit=50',
    );
    expect(feedback.status).toBe(200);
    expect(feedback.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          channel: 'email',
          message: expect.stringContaining('周末送货') as unknown,
        }),
        expect.objectContaining({ channel: 'console', message: 'The console is fine.' }),
      ]),
    );
  }, 120_000);

  it('files an order written in an e-mail as an uncommitted import, which becomes the order only when staff commit it', async () => {
    type Import = {
      id: string;
      status: string;
      rows: number;
      valid: number;
      orders: number;
      errors: unknown[];
      results: { externalRef: string; orderId: string | null; created: boolean }[];
    };
    const { customerId, skus } = await seedCatalogue(clerk, [{ unitPrice: 5000 }, { unitPrice: 1200 }]);
    const customer = (await clerk.get<{ email: string }>(`/api/customers/${customerId}`)).body;
    const message = rawMail({
      from: `Li Wei <${customer.email}>`,
      subject: 'New order for next week',
      text: [
        'Hello, we would like to order:',
        `- ${skus[0]} x 3`,
        `- ${skus[1]!.toLowerCase()}: 2 boxes`,
        'Our order number 2026 x 7 is for your reference.',
        '',
        'Li Wei',
      ].join('\n'),
    });
    await deliver(message.raw);
    const waiting = await eventually(
      openList,
      (items) => items.some((m) => m.subject === 'New order for next week'),
      30_000,
    );
    const item = waiting.find((m) => m.subject === 'New order for next week')!;
    expect(item).toMatchObject({ customerId, suggestion: 'order' });

    const filed = await clerk.post<{ id: string; importId: string }>(`/api/inbound/${item.id}/file`, {
      as: 'order-draft',
    });
    expect(filed.status).toBe(200);
    expect(filed.body).toMatchObject({ id: item.id, importId: expect.any(String) as unknown });
    expect((await openList()).map((m) => m.id)).not.toContain(item.id);
    expect((await clerk.post(`/api/inbound/${item.id}/file`, { as: 'order-draft' })).status).toBe(409);

    const externalRef = `email-${item.id}`;
    const preview = await clerk.get<Import>(`/api/imports/${filed.body.importId}`);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ status: 'previewed', rows: 2, valid: 2, orders: 1, errors: [] });
    // Nothing is an order before staff commit it.
    const before = await clerk.get<{ items: unknown[] }>(`/api/orders?externalRef=${externalRef}`);
    expect(before.body.items).toEqual([]);

    expect((await clerk.post(`/api/imports/${filed.body.importId}/commit`, {})).status).toBe(202);
    const committed = await eventually(
      async () => (await clerk.get<Import>(`/api/imports/${filed.body.importId}`)).body,
      (current) => current.status === 'committed',
      60_000,
    );
    expect(committed.results).toEqual([
      expect.objectContaining({ externalRef, created: true, orderId: expect.any(String) as unknown }),
    ]);
    const order = await clerk.get<
      OrderBody & { customerId: string; lines: { sku: string; quantity: number }[] }
    >(`/api/orders/${committed.results[0]!.orderId}`);
    expect(order.body.customerId).toBe(customerId);
    expect(order.body.lines.map((line) => [line.sku, line.quantity])).toEqual([
      [skus[0], 3],
      [skus[1], 2],
    ]);
  }, 120_000);

  it('takes each message exactly once when a reader dies after storing one and another takes over', async () => {
    const folder = `Restart-${randomUUID().slice(0, 8)}`;
    await postman.mailboxCreate(folder);
    const messages = Array.from({ length: 5 }, (_, i) =>
      rawMail({ from: 'batch@unknown.example', subject: `Batch ${folder} ${i}`, text: `message ${i}` }),
    );
    for (const message of messages) await deliver(message.raw, folder);
    // The same message delivered twice (to two addresses of the product, say) is one message.
    await deliver(messages[0]!.raw, folder);
    const mailbox = mailboxOf(folder);
    const warnings: string[] = [];
    const log = { info: () => undefined, warn: (message: string) => void warnings.push(message) };
    let died = false;
    const first = new InboundReader({
      em: () => stack.orm.em.fork(),
      mailboxes: [mailbox],
      owner: 'first-reader',
      pollMs: 100,
      batchSize: 3,
      log,
      afterStore: (_key, uid) => {
        // Stored, not yet moved: the reader dies here (stops taking anything, and the step fails).
        if (uid === 3 && !died) {
          died = true;
          void first.stop();
          return Promise.reject(new Error('the reader died'));
        }
        return Promise.resolve();
      },
    });
    first.start();
    await eventually(
      () => Promise.resolve(died),
      (value) => value,
      30_000,
    );
    await first.stop();
    const rows = () =>
      stack.orm.em
        .fork()
        .getConnection()
        .execute<{ uid: string; subject: string }[]>(
          `select uid, subject from mail_messages where mailbox = ? order by uid`,
          [mailbox.key],
        );
    expect((await rows()).map((r) => Number(r.uid))).toEqual([1, 2, 3]);
    expect(await folderCount(folder)).toBe(4);

    const second = new InboundReader({
      em: () => stack.orm.em.fork(),
      mailboxes: [mailbox],
      owner: 'second-reader',
      pollMs: 100,
      batchSize: 3,
      log,
    });
    second.start();
    try {
      await eventually(
        () => folderCount(folder),
        (count) => count === 0,
        30_000,
      );
    } finally {
      await second.stop();
    }
    const taken = await rows();
    expect(taken.map((r) => r.subject)).toEqual(messages.map((_, i) => `Batch ${folder} ${i}`));
    expect(warnings).toEqual(['a mailbox could not be read']);
  }, 120_000);

  it('takes a new message at once while waiting, by IMAP IDLE, without waiting for the next poll', async () => {
    const folder = `Idle-${randomUUID().slice(0, 8)}`;
    await postman.mailboxCreate(folder);
    const { key } = mailboxOf(folder);
    const reader = new InboundReader({
      em: () => stack.orm.em.fork(),
      mailboxes: [mailboxOf(folder)],
      owner: 'idle-reader',
      // Polling alone would look again only after a minute.
      pollMs: 60_000,
      log: { info: () => undefined, warn: () => undefined },
    });
    reader.start();
    try {
      // The reader's first pass found the folder empty; it waits now.
      await eventually(
        () =>
          stack.orm.em
            .fork()
            .getConnection()
            .execute<{ state: string }[]>(`select state from inbound_mailboxes where key = ?`, [key]),
        (rows) => rows[0]?.state === 'ok',
        30_000,
      );
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const message = rawMail({ from: 'idle@unknown.example', subject: `Idle ${folder}`, text: 'hello' });
      const delivered = Date.now();
      await deliver(message.raw, folder);
      const row = await eventually(
        () =>
          stack.orm.em
            .fork()
            .getConnection()
            .execute<{ status: string }[]>(`select status from mail_messages where message_id = ?`, [
              message.messageId,
            ]),
        (rows) => rows.length > 0,
        20_000,
      );
      expect(row).toEqual([{ status: 'open' }]);
      expect(Date.now() - delivered).toBeLessThan(20_000);
    } finally {
      await reader.stop();
    }
  }, 120_000);

  it('takes more than the per-sender limit in an hour as machine-written: kept and threaded, announced to nobody', async () => {
    const { order, email, confirmation } = await orderWithMail();
    const folder = `Flood-${randomUUID().slice(0, 8)}`;
    await postman.mailboxCreate(folder);
    // A customer's mail program that answers every message without saying it is a machine, and a stranger.
    const replies = Array.from({ length: 5 }, (_, i) =>
      rawMail({
        from: email,
        subject: `Re: ${confirmation.subject}`,
        text: `reply ${i}`,
        headers: { 'In-Reply-To': confirmation.messageId },
      }),
    );
    const stranger = `flood-${randomUUID().slice(0, 8)}@unknown.example`;
    const unmatched = Array.from({ length: 4 }, (_, i) =>
      rawMail({ from: stranger, subject: `Flood ${folder} ${i}`, text: `flood ${i}` }),
    );
    for (const message of [...replies, ...unmatched]) await deliver(message.raw, folder);
    const announced: string[] = [];
    const reader = new InboundReader({
      em: () => stack.orm.em.fork(),
      mailboxes: [mailboxOf(folder)],
      owner: 'flood-reader',
      pollMs: 100,
      senderLimit: 3,
      log: { info: () => undefined, warn: () => undefined },
      onJoined: (joined) => {
        announced.push(joined.text);
        return Promise.resolve();
      },
    });
    reader.start();
    try {
      await eventually(
        () => folderCount(folder),
        (count) => count === 0,
        30_000,
      );
    } finally {
      await reader.stop();
    }
    const rows = await stack.orm.em
      .fork()
      .getConnection()
      .execute<{ text: string; status: string; automatic: boolean; problem: string | null }[]>(
        `select text, status, automatic, problem from mail_messages
          where direction = 'in' and from_address in (?, ?) and created_at > now() - interval '1 hour'
          order by uid`,
        [email, stranger],
      );
    const row = (text: string) => rows.find((r) => r.text === text);
    // The first three of each sender count as people's mail; the rest are kept and threaded, announced to nobody.
    expect(announced).toEqual(['reply 0', 'reply 1', 'reply 2']);
    for (const i of [0, 1, 2]) expect(row(`reply ${i}`)).toMatchObject({ status: 'order', automatic: false });
    for (const i of [3, 4])
      expect(row(`reply ${i}`)).toMatchObject({
        status: 'order',
        automatic: true,
        problem: expect.stringContaining('more than 3 messages from this sender within an hour'),
      });
    expect((await conversation(order)).map((m) => [m.text, m.automatic])).toEqual(
      replies.map((_, i) => [`reply ${i}`, i >= 3]),
    );
    for (const i of [0, 1, 2]) expect(row(`flood ${i}`)).toMatchObject({ status: 'open', automatic: false });
    expect(row('flood 3')).toMatchObject({ status: 'automatic', automatic: true });
    const open = (await openList()).map((m) => m.subject);
    expect(open).toEqual(expect.arrayContaining([0, 1, 2].map((i) => `Flood ${folder} ${i}`)));
    expect(open).not.toContain(`Flood ${folder} 3`);
  }, 120_000);

  it('marks automatic replies and bounces as such and keeps them out of the open list', async () => {
    const { order, email, confirmation } = await orderWithMail();
    const outOfOffice = rawMail({
      from: email,
      subject: `Automatic reply: ${confirmation.subject}`,
      text: 'I am out of the office until Monday.',
      headers: { 'Auto-Submitted': 'auto-replied', 'In-Reply-To': confirmation.messageId },
    });
    const bounce = rawMail({
      from: 'MAILER-DAEMON@mx.elsewhere.example',
      subject: 'Undelivered Mail Returned to Sender',
      text: 'This is the mail system: your message could not be delivered.',
    });
    const stranger = rawMail({
      from: 'robot@elsewhere.example',
      subject: 'Auto: received',
      text: 'We received your message.',
      headers: { 'Auto-Submitted': 'auto-generated' },
    });
    for (const message of [outOfOffice, bounce, stranger]) await deliver(message.raw);
    expect(await stored(outOfOffice.messageId)).toMatchObject({
      status: 'order',
      order_id: order.id,
      automatic: true,
    });
    expect(await stored(bounce.messageId)).toMatchObject({ status: 'automatic', automatic: true });
    expect(await stored(stranger.messageId)).toMatchObject({ status: 'automatic', automatic: true });
    expect((await conversation(order)).map((m) => [m.text, m.automatic])).toEqual([
      ['I am out of the office until Monday.', true],
    ]);
    // Nobody is told of a machine's mail: once all three left the inbox, the reader is past them.
    await eventually(
      () => folderCount('INBOX'),
      (count) => count === 0,
      30_000,
    );
    const inbox = await clerk.get<{ items: { kind: string; orderId: string }[] }>(
      '/api/notifications?limit=500',
    );
    expect(inbox.body.items.filter((n) => n.orderId === order.id && n.kind === 'order.message')).toEqual([]);
    const open = (await openList()).map((m) => m.subject);
    expect(open).not.toContain('Undelivered Mail Returned to Sender');
    expect(open).not.toContain('Auto: received');
  }, 120_000);
});
