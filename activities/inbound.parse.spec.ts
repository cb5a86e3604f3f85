import { readMail } from './inbound.parse';

const place = { mailbox: 'test@127.0.0.1:143/INBOX', uidValidity: 7, uid: 1, size: 100 };

const mime = (lines: string[]) => Buffer.from(lines.join('\r\n'));

describe('reading a message', () => {
  it('keeps HTML mail as plain text only, and allowed attachments with their bytes', async () => {
    const mail = await readMail(
      mime([
        'From: "Li Wei" <Li.Wei@Example.com>',
        'To: orders@oms.example',
        'Subject: =?UTF-8?B?6K6i5Y2V?= SO-2026-000001',
        'Message-ID: <a1@example.com>',
        'In-Reply-To: <r1@oms.local>',
        'References: <r0@oms.local> <r1@oms.local>',
        'Authentication-Results: mx.oms.example; dmarc=fail header.from=example.com',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="b"',
        '',
        '--b',
        'Content-Type: text/html; charset=utf-8',
        '',
        '<p>Hello <b>there</b></p><script>alert(1)</script><img src="http://tracker.example/x.gif">',
        '--b',
        'Content-Type: text/csv; name="lines.csv"',
        'Content-Disposition: attachment; filename="lines.csv"',
        '',
        'sku,quantity',
        'A4,20',
        '--b--',
        '',
      ]),
      place,
    );
    expect(mail).toMatchObject({
      fromAddress: 'li.wei@example.com',
      fromName: 'Li Wei',
      subject: '订单 SO-2026-000001',
      messageId: '<a1@example.com>',
      inReplyTo: '<r1@oms.local>',
      references: ['<r0@oms.local>', '<r1@oms.local>'],
      automatic: false,
      authentication: 'mx.oms.example; dmarc=fail header.from=example.com',
      attachments: [{ name: 'lines.csv', type: 'text/csv', size: expect.any(Number) as unknown, kept: true }],
      problem: null,
    });
    expect(mail.files.map((f) => [f.n, f.bytes.toString()])).toEqual([[0, 'sku,quantity\r\nA4,20']]);
    expect(mail.text).toContain('Hello');
    expect(mail.text).not.toMatch(/<|script|alert/);
  });

  it('refuses attachments of other types, over the size limit, or whose content is not their type, saying why', async () => {
    const part = (type: string, name: string, body: string) => [
      '--b',
      `Content-Type: ${type}; name="${name}"`,
      `Content-Disposition: attachment; filename="${name}"`,
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from(body).toString('base64'),
    ];
    const mail = await readMail(
      mime([
        'From: a@example.com',
        'Subject: files',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="b"',
        '',
        '--b',
        'Content-Type: text/plain',
        '',
        'see attached',
        ...part('application/x-msdownload', 'setup.exe', 'MZ...'),
        ...part('image/png', 'photo.png', '<script>alert(1)</script>'),
        ...part('text/plain', 'big.txt', 'x'.repeat(2000)),
        ...part('application/octet-stream', 'Report.PDF', '%PDF-1.4 ...'),
        ...part('image/svg+xml', 'logo.svg', '<svg onload="alert(1)"/>'),
        '--b--',
        '',
      ]),
      place,
      false,
      1000,
    );
    expect(mail.attachments).toEqual([
      expect.objectContaining({
        name: 'setup.exe',
        kept: false,
        refused: expect.stringMatching(/type application\/x-msdownload is not kept/) as unknown,
      }),
      expect.objectContaining({
        name: 'photo.png',
        kept: false,
        refused: expect.stringMatching(/content is not image\/png/) as unknown,
      }),
      expect.objectContaining({
        name: 'big.txt',
        kept: false,
        refused: expect.stringMatching(/larger than the 1000 bytes/) as unknown,
      }),
      { name: 'Report.PDF', size: 12, type: 'application/pdf', kept: true },
      expect.objectContaining({ name: 'logo.svg', kept: false }),
    ]);
    expect(mail.files.map((f) => f.n)).toEqual([3]);
  });

  it('knows an auto-reply by its Auto-Submitted header', async () => {
    const mail = await readMail(
      mime([
        'From: a@example.com',
        'Subject: Out of office',
        'Auto-Submitted: auto-replied',
        '',
        'Away.',
        '',
      ]),
      place,
    );
    expect(mail.automatic).toBe(true);
  });

  it('records a message over the size limit from its headers alone, saying why', async () => {
    const mail = await readMail(
      mime(['From: big@example.com', 'Subject: Scans', 'Message-ID: <big@example.com>', '', '']),
      { ...place, size: 12 * 1024 * 1024 },
      true,
    );
    expect(mail).toMatchObject({ subject: 'Scans', fromAddress: 'big@example.com', attachments: [] });
    expect(mail.problem).toMatch(/12\.0 MB, over the 10 MB limit/);
  });

  it('drops NUL characters, which PostgreSQL text cannot hold', async () => {
    const mail = await readMail(
      mime(['From: nul@example.com', 'Subject: a\u0000b', 'Content-Type: text/plain', '', 'x\u0000y', '']),
      place,
    );
    expect([mail.subject, mail.text]).toEqual(['ab', 'xy']);
  });

  it('keeps what it can of malformed MIME instead of failing', async () => {
    const mail = await readMail(
      mime([
        'From: <<<',
        'Subject: broken',
        'Content-Type: multipart/mixed; boundary="x"',
        '',
        '--x',
        'garbage',
      ]),
      place,
    );
    expect(mail.subject).toBe('broken');
    expect(mail.fromAddress).toBe('');
  });
});
