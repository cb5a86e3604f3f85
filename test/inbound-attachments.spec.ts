/**
 * Attachments of mail that comes in, against a real IMAP server (Dovecot, started for this file) and the
 * real worker, API, PostgreSQL and Temporal: which are kept (type allow-list, size limit, content that is
 * its type), how a kept one is downloaded, and an attached CSV filed as an order draft.
 */
import { randomUUID } from 'node:crypto';
import { ImapFlow } from 'imapflow';
import { startImapServer, type ImapServer } from '../scripts/dovecot';
import { eventually, seedCatalogue } from './support/fixtures';
import type { ApiClient } from './support/http';
import { placeOrder } from './support/orders';
import { ownTaskQueue, startStack, type TestStack } from './support/stack';

type Attachment = { name: string; size: number; type: string; kept: boolean; refused?: string };
type InboundItem = { id: string; from: string; subject: string; attachments: Attachment[] };

/** The per-attachment limit of this file's product: small, so that a too-large one is a small message. */
const LIMIT = 64 * 1024;

/** A multipart message as a mail server would store it: a text part and base64 attachments. */
function rawMail(mail: {
  from: string;
  subject: string;
  text: string;
  attachments: { name: string; type: string; bytes: Buffer }[];
}): string {
  const boundary = `b-${randomUUID()}`;
  const head = [
    `From: ${mail.from}`,
    'To: orders@oms.example',
    `Subject: ${mail.subject}`,
    `Message-ID: <${randomUUID()}@customer.example>`,
    `Date: ${new Date().toUTCString()}`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
  ];
  const parts = [
    [`--${boundary}`, 'Content-Type: text/plain; charset=utf-8', '', mail.text],
    ...mail.attachments.map((a) => [
      `--${boundary}`,
      `Content-Type: ${a.type}; name="${a.name}"`,
      `Content-Disposition: attachment; filename="${a.name}"`,
      'Content-Transfer-Encoding: base64',
      '',
      a.bytes.toString('base64').replace(/.{76}/g, '$&\r\n'),
    ]),
  ];
  return [...head, '', ...parts.flat(), `--${boundary}--`, ''].join('\r\n');
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(64, 1),
]);

describe('attachments of mail that comes in', () => {
  let imap: ImapServer;
  let stack: TestStack;
  let clerk: ApiClient;
  let postman: ImapFlow;

  beforeAll(async () => {
    imap = await startImapServer();
    stack = await startStack({
      worker: false,
      env: {
        ...ownTaskQueue('inbound-attachments'),
        OMS_MAIL_FROM: 'OMS <orders@oms.example>',
        OMS_INBOUND_IMAP_URL: imap.url('INBOX'),
        OMS_INBOUND_POLL_MS: '200',
        OMS_INBOUND_ATTACHMENT_MAX_BYTES: String(LIMIT),
      },
    });
    await stack.startWorker();
    clerk = await stack.client(['staff'], 'attachments-clerk');
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
    await imap?.stop();
  });

  const waitingWith = async (subject: string) => {
    const items = await eventually(
      async () => (await clerk.get<{ items: InboundItem[] }>('/api/inbound?status=open')).body.items,
      (list) => list.some((m) => m.subject === subject),
      30_000,
    );
    return items.find((m) => m.subject === subject)!;
  };
  const download = (path: string, as: ApiClient = clerk) =>
    fetch(`${stack.baseUrl}${path}`, { headers: as.headers });

  it('keeps allowed attachments for download, records the others as refused, and files the message all the same', async () => {
    const subject = `Scans ${randomUUID().slice(0, 8)}`;
    await postman.append(
      'INBOX',
      rawMail({
        from: 'Wang Fang <wang.fang@unknown.example>',
        subject,
        text: 'Please see the invoice and the photos. 谢谢',
        attachments: [
          { name: '发票.pdf', type: 'application/pdf', bytes: PDF },
          { name: 'setup.exe', type: 'application/x-msdownload', bytes: Buffer.from('MZ\u0090\u0000') },
          { name: 'huge.png', type: 'image/png', bytes: Buffer.concat([PNG, Buffer.alloc(LIMIT)]) },
          { name: 'photo.png', type: 'image/png', bytes: Buffer.from('<script>alert(1)</script>') },
          { name: 'page.html', type: 'text/html', bytes: Buffer.from('<script>alert(1)</script>') },
        ],
      }),
    );
    const item = await waitingWith(subject);
    expect(item.attachments).toEqual([
      { name: '发票.pdf', size: PDF.length, type: 'application/pdf', kept: true },
      expect.objectContaining({
        name: 'setup.exe',
        kept: false,
        refused: expect.stringContaining('application/x-msdownload is not kept') as unknown,
      }),
      expect.objectContaining({
        name: 'huge.png',
        kept: false,
        refused: 'larger than the 64 KB kept per attachment',
      }),
      expect.objectContaining({
        name: 'photo.png',
        kept: false,
        refused: expect.stringContaining('content is not image/png') as unknown,
      }),
      expect.objectContaining({ name: 'page.html', type: 'text/html', kept: false }),
    ]);

    // Only the kept one's bytes are in the database, in their own table.
    const rows = await stack.orm.em
      .fork()
      .getConnection()
      .execute<{ n: number; size: number }[]>(
        `select n, length(bytes) as size from mail_attachments where message_id = ? order by n`,
        [item.id],
      );
    expect(rows.map((r) => [r.n, Number(r.size)])).toEqual([[0, PDF.length]]);

    const pdf = await download(`/api/inbound/${item.id}/attachments/0`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toMatch(
      /^attachment; filename="\?\?\.pdf"; filename\*=UTF-8''%E5%8F%91%E7%A5%A8\.pdf$/,
    );
    expect(pdf.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await pdf.arrayBuffer())).toEqual(PDF);
    for (const n of [1, 3, 4, 5, 99]) {
      const refused = await download(`/api/inbound/${item.id}/attachments/${n}`);
      expect([n, refused.status]).toEqual([n, 404]);
    }
    expect((await download(`/api/inbound/${item.id}/attachments/first`)).status).toBe(400);
    const auditor = await stack.client(['auditor'], 'attachments-auditor');
    expect((await download(`/api/inbound/${item.id}/attachments/0`, auditor)).status).toBe(403);

    const filed = await clerk.post(`/api/inbound/${item.id}/file`, { as: 'feedback' });
    expect(filed.status).toBe(200);
    // Filed, its attachment is still there for whoever follows it up.
    expect((await download(`/api/inbound/${item.id}/attachments/0`)).status).toBe(200);
  }, 120_000);

  it("keeps an attachment of a customer's message on an order, downloadable by whoever sees the order", async () => {
    const { customerId, skus } = await seedCatalogue(clerk, [{ unitPrice: 1000 }]);
    const customer = (await clerk.get<{ email: string }>(`/api/customers/${customerId}`)).body;
    const order = await placeOrder(clerk, customerId, [{ sku: skus[0]!, quantity: 1 }]);
    await postman.append(
      'INBOX',
      rawMail({
        from: customer.email,
        subject: `Broken cup ${order.number}`,
        text: 'The cup arrived broken, photo attached.',
        attachments: [{ name: 'cup.png', type: 'image/png', bytes: PNG }],
      }),
    );
    const messages = await eventually(
      async () =>
        (
          await clerk.get<{ items: { id: string; direction: string; attachments: Attachment[] }[] }>(
            `/api/orders/${order.id}/messages`,
          )
        ).body.items,
      (items) => items.some((m) => m.direction === 'in'),
      30_000,
    );
    const message = messages.find((m) => m.direction === 'in')!;
    expect(message.attachments).toEqual([
      { name: 'cup.png', size: PNG.length, type: 'image/png', kept: true },
    ]);
    const auditor = await stack.client(['auditor'], 'attachments-auditor-2');
    const photo = await download(`/api/orders/${order.id}/messages/${message.id}/attachments/0`, auditor);
    expect(photo.status).toBe(200);
    expect(photo.headers.get('content-type')).toBe('image/png');
    expect(photo.headers.get('content-disposition')).toBe('attachment; filename=cup.png');
    expect(Buffer.from(await photo.arrayBuffer())).toEqual(PNG);
    // Not through another order.
    const other = await placeOrder(clerk, customerId, [{ sku: skus[0]!, quantity: 1 }]);
    expect((await download(`/api/orders/${other.id}/messages/${message.id}/attachments/0`)).status).toBe(404);
  }, 120_000);

  it('files an attached CSV as an uncommitted import whose preview names its rows, and never commits it', async () => {
    type Import = {
      id: string;
      status: string;
      fileName: string;
      rows: number;
      valid: number;
      orders: number;
      errors: { row: number; field: string; message: string }[];
    };
    const { customerId, skus } = await seedCatalogue(clerk, [{ unitPrice: 5000 }, { unitPrice: 1200 }]);
    const customer = (await clerk.get<{ email: string }>(`/api/customers/${customerId}`)).body;
    const tag = randomUUID().slice(0, 8);
    const csv = [
      'externalRef,customer,sku,quantity,notes',
      `MAIL-${tag}-1,${customer.email},${skus[0]},3,By e-mail`,
      `MAIL-${tag}-1,${customer.email},${skus[1]},2,`,
      `MAIL-${tag}-2,${customer.email},NO-SUCH-SKU,1,`,
    ].join('\r\n');
    const subject = `Orders for next week ${tag}`;
    await postman.append(
      'INBOX',
      rawMail({
        from: `Li Wei <${customer.email}>`,
        subject,
        // Nothing in the text reads as an order line: the draft can only come from the attachment.
        text: 'Hello, our orders are attached.\r\nLi Wei',
        attachments: [
          { name: 'notes.txt', type: 'text/plain', bytes: Buffer.from('not the order') },
          { name: 'orders.csv', type: 'application/vnd.ms-excel', bytes: Buffer.from(csv) },
        ],
      }),
    );
    const item = await waitingWith(subject);
    expect(item.attachments.map((a) => [a.name, a.type, a.kept])).toEqual([
      ['notes.txt', 'text/plain', true],
      ['orders.csv', 'text/csv', true],
    ]);

    const filed = await clerk.post<{ id: string; importId: string }>(`/api/inbound/${item.id}/file`, {
      as: 'order-draft',
    });
    expect(filed.status).toBe(200);
    expect(filed.body).toMatchObject({ id: item.id, importId: expect.any(String) as unknown });
    const preview = await clerk.get<Import>(`/api/imports/${filed.body.importId}`);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({
      status: 'previewed',
      fileName: 'orders.csv',
      rows: 3,
      valid: 2,
      orders: 1,
      errors: [expect.objectContaining({ row: 4, field: 'sku' })],
    });
    // Nothing is an order before staff commit it.
    const before = await clerk.get<{ items: unknown[] }>(`/api/orders?externalRef=MAIL-${tag}-1`);
    expect(before.body.items).toEqual([]);
    expect((await clerk.post(`/api/inbound/${item.id}/file`, { as: 'order-draft' })).status).toBe(409);
  }, 120_000);

  it('answers 400 for an attached CSV the import refuses, and the message stays open', async () => {
    const subject = `Bad sheet ${randomUUID().slice(0, 8)}`;
    await postman.append(
      'INBOX',
      rawMail({
        from: 'someone@unknown.example',
        subject,
        text: 'TEA-001 x 2',
        attachments: [{ name: 'order.csv', type: 'text/csv', bytes: Buffer.from('sku;qty\r\nA;1\r\n') }],
      }),
    );
    const item = await waitingWith(subject);
    const filed = await clerk.post<{ message: string; field: string }>(`/api/inbound/${item.id}/file`, {
      as: 'order-draft',
    });
    expect(filed.status).toBe(400);
    expect(filed.body.message).toMatch(/externalRef/);
    expect(
      (await clerk.get<{ items: InboundItem[] }>('/api/inbound?status=open')).body.items.map((m) => m.id),
    ).toContain(item.id);
  }, 120_000);
});
