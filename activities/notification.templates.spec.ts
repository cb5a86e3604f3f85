import type { OrderSnapshot } from '../domain/order';
import type { ReturnSnapshot } from '../domain/return';
import { CUSTOMER_KINDS, NOTIFICATION_KINDS } from '../domain/notifications';
import { LANGUAGES } from '../domain/people';
import {
  DIGEST_ITEMS,
  MAIL_EXCERPT_CHARS,
  formatWait,
  mailExcerpt,
  messageData,
  renderDigest,
  returnMessageData,
  renderMessage,
} from './notification.render';

/** A snapshot shaped exactly as the workflow produces it (a shipped, then cancelled-like order). */
const order: OrderSnapshot = {
  orderId: '7f0c2f7e-7a6b-4a8e-9b1f-2d3c4b5a6978',
  number: 'SO-2026-000123',
  customerId: 'c0ffee00-0000-4000-8000-000000000001',
  currency: 'CNY',
  lines: [
    { productId: 'p1', sku: 'TEA-001', name: 'Longjing', quantity: 2, unitPrice: 12990, lineTotal: 25980 },
    { productId: 'p2', sku: 'CUP-9', name: 'Cup', quantity: 1, unitPrice: 1500, lineTotal: 1500 },
  ],
  total: 27480,
  notes: null,
  requestHash: null,
  status: 'shipped',
  awaiting: 'delivery',
  awaitingSince: '2026-11-26T02:00:00.000Z',
  approvalRule: { version: 1, autoApproveBelow: 0, staffApprovalLimit: 1000000, currency: 'CNY' },
  approvals: [],
  approvedTotal: 27480,
  reserved: false,
  stockShortages: [],
  payment: { status: 'captured', amount: 27480, lastError: null },
  shipment: { carrier: 'SF Express', trackingNumber: 'SF1234567890', shippedAt: '2026-11-26T02:00:00.000Z' },
  shipments: [
    {
      id: 's1',
      lines: [{ productId: 'p1', sku: 'TEA-001', quantity: 2 }],
      location: 'MAIN',
      carrier: 'SF Express',
      trackingNumber: 'SF1234567890',
      shippedAt: '2026-11-26T02:00:00.000Z',
      by: { id: 'u', username: 'li' },
    },
  ],
  cancellation: {
    by: { id: 'u', username: 'li', roles: ['staff'] },
    reason: '客户要求',
    at: '2026-11-26T02:00:00.000Z',
  },
  rejection: null,
  completedAt: null,
  problem: {
    step: 'chargePayment',
    kind: 'Defect',
    message: 'the gateway failed',
    at: '2026-11-26T02:00:00Z',
  },
  version: 7,
  createdAt: '2026-11-26T01:00:00.000Z',
  updatedAt: '2026-11-26T02:00:00.000Z',
};

/** A return of the order above, refunded. */
const ret: ReturnSnapshot = {
  returnId: '0e1d2c3b-4a59-4687-8a9b-0c1d2e3f4a5b',
  number: 'RT-2026-000007',
  orderId: order.orderId,
  currency: 'CNY',
  status: 'refunded',
  resolution: 'refund',
  reason: 'Too big',
  lines: [{ productId: 'p1', sku: 'TEA-001', quantity: 1, unitPrice: 12990 }],
  received: [{ productId: 'p1', sku: 'TEA-001', quantity: 1, condition: 'resellable' }],
  refundedAmount: 12990,
  rejection: null,
  createdBy: { id: 'u', username: 'li' },
  createdAt: '2026-11-27T02:00:00.000Z',
  updatedAt: '2026-11-28T02:00:00.000Z',
  version: 4,
};

/** The data a kind is rendered with: the order's, and for `return.updated` the return's too. */
const dataFor = (
  kind: (typeof NOTIFICATION_KINDS)[number],
  language: (typeof LANGUAGES)[number],
  extra: Parameters<typeof messageData>[2] = {},
) =>
  kind === 'return.updated'
    ? returnMessageData(ret, order, language, extra.customerName ? { customerName: extra.customerName } : {})
    : messageData(order, language, extra);

describe('notification templates', () => {
  const cases = (kinds: readonly (typeof NOTIFICATION_KINDS)[number][]) =>
    kinds.flatMap((kind) => LANGUAGES.map((language) => [kind, language] as const));
  const noBlanks = /\{\{|undefined|null|NaN|\[object/;

  const orderKinds = NOTIFICATION_KINDS.filter((kind) => kind !== 'return.escalated');

  it.each(LANGUAGES)(
    'return.escalated renders for staff in %s, naming the return and its order',
    (language) => {
      const message = renderMessage('return.escalated', language, {
        order: { number: 'SO-2026-000123' },
        ret: { number: 'RT-2026-000007', orderNumber: 'SO-2026-000123', awaitingText: 'approval' },
        waited: '4 hours',
      });
      for (const part of [message.subject, message.text, message.html]) {
        expect(part).toContain('RT-2026-000007');
        expect(part).not.toMatch(noBlanks);
      }
      expect(message.text).toContain('SO-2026-000123');
    },
  );

  it.each(cases(orderKinds))('%s renders for staff in %s from real order data', (kind, language) => {
    const data = dataFor(kind, language, {
      waitedMs: 4 * 3600_000,
      mail: {
        from: 'Li Wei <li.wei@example.com>',
        subject: 'Two more boxes?',
        excerpt: 'Can I add two more?',
      },
    });
    const message = renderMessage(kind, language, data);
    expect(message.subject).toContain('SO-2026-000123');
    for (const part of [message.subject, message.text, message.html]) expect(part).not.toMatch(noBlanks);
    expect(message.text).toContain('SO-2026-000123');
    expect(message.html).toMatch(
      new RegExp(`^<!doctype html><html lang="${language}">.*SO-2026-000123.*</html>$`, 's'),
    );
    if (language === 'zh-CN') expect(message.subject).toMatch(/[\u4e00-\u9fff]/);
    else expect(message.subject).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it.each(cases(CUSTOMER_KINDS))('%s renders for the customer in %s, addressed by name', (kind, language) => {
    const data = dataFor(kind, language, { customerName: '王小明' });
    const message = renderMessage(kind, language, data, 'customer');
    for (const part of [message.subject, message.text, message.html]) expect(part).not.toMatch(noBlanks);
    expect(message.text).toContain('王小明');
    expect(message.html).toContain('王小明');
    if (kind === 'order.created') {
      expect(message.text).toContain('Longjing');
      expect(message.html).toContain('<td>Cup</td><td>1</td>');
    }
    if (kind === 'order.shipped') expect(message.html).toContain('<code>SF1234567890</code>');
    if (kind === 'return.updated') {
      expect(message.subject).toContain('RT-2026-000007');
      expect(message.text).toMatch(/Longjing × 1/);
      expect(message.text).toMatch(/129\.90/);
    }
  });

  it.each(cases(CUSTOMER_KINDS))('%s carries the tracking link in %s when one is given', (kind, language) => {
    const trackingUrl = 'https://shop.example/track/7f0c2f7e-7a6b-4a8e-9b1f-2d3c4b5a6978.abc_DEF-123';
    const data = { ...dataFor(kind, language, { customerName: '王小明' }), trackingUrl };
    const message = renderMessage(kind, language, data, 'customer');
    expect(message.text).toContain(trackingUrl);
    expect(message.html).toContain(`<a href="${trackingUrl}">`);
    const without = renderMessage(
      kind,
      language,
      dataFor(kind, language, { customerName: '王' }),
      'customer',
    );
    expect(without.text).not.toContain('/track/');
    expect(without.html).not.toContain('<a ');
  });

  it.each(LANGUAGES)(
    'says in %s that the units already shipped of a cancelled order stay shipped',
    (language) => {
      // The fixture order has shipped 2 of its 3 units.
      const partly = renderMessage('order.cancelled', language, messageData(order, language));
      const none = renderMessage(
        'order.cancelled',
        language,
        messageData({ ...order, shipments: [], shipment: null }, language),
      );
      for (const part of [partly.text, partly.html])
        expect(part).toMatch(language === 'en' ? /2 of 3 units/ : /2 件（共 3 件）/);
      for (const part of [none.text, none.html]) expect(part).not.toMatch(/2 of 3|共 3 件/);
      expect(none.text).toMatch(language === 'en' ? /any payment refunded/ : /已收款项将退回/);
    },
  );

  it('escapes values in HTML bodies but not in plain text', () => {
    const hostile = { ...order, shipment: { ...order.shipment!, carrier: '<script>x</script>' } };
    const message = renderMessage('order.shipped', 'en', messageData(hostile, 'en'));
    expect(message.html).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(message.html).not.toContain('<script>');
    expect(message.text).toContain('<script>x</script>');
  });

  it('refuses a customer message for a kind customers do not receive', () => {
    expect(() => renderMessage('order.rejected', 'en', messageData(order, 'en'), 'customer')).toThrow(
      /customers are not told about order.rejected/,
    );
  });

  it('quotes a customer’s e-mail to staff escaped in HTML, and only its start', () => {
    const mail = {
      from: 'Mallory <m@example.com>',
      subject: '<img src=x>',
      excerpt: mailExcerpt(`<script>alert(1)</script> ${'word '.repeat(200)}`),
    };
    const message = renderMessage('order.message', 'en', messageData(order, 'en', { mail }));
    expect(message.html).toContain('&lt;script&gt;');
    expect(message.html).not.toContain('<script>');
    expect(message.html).not.toContain('<img');
    expect(message.text).toContain('Mallory <m@example.com> wrote about order SO-2026-000123');
    expect(mail.excerpt.length).toBeLessThanOrEqual(MAIL_EXCERPT_CHARS + 1);
    expect(mail.excerpt.endsWith('word…')).toBe(true);
    expect(mailExcerpt('  short  ')).toBe('short');
    expect(() => renderMessage('order.message', 'en', messageData(order, 'en'))).toThrow(
      /"subject" not defined/,
    );
  });

  it('says how long an order waited in the reader’s language', () => {
    expect(formatWait(90_061_000, 'en')).toBe('1 day 1 hour 1 minute');
    expect(formatWait(2 * 3600_000 + 5 * 60_000, 'zh-CN')).toBe('2 小时 5 分钟');
    expect(formatWait(3_000, 'en')).toBe('3 seconds');
  });

  it('formats money from minor units in the reader’s language', () => {
    expect(messageData(order, 'en').order.amount).toBe('CN¥274.80');
    expect(messageData(order, 'zh-CN').order.amount).toBe('¥274.80');
    expect(messageData({ ...order, currency: 'JPY', total: 5000 }, 'en').order.amount).toBe('¥5,000');
  });

  it('fails loudly when a template variable is missing from the data', () => {
    expect(() => renderMessage('order.shipped', 'en', { order: { number: 'SO-1' } })).toThrow(/not defined/);
    expect(() => renderMessage('order.escalated', 'en', messageData(order, 'en'))).toThrow(
      /"waited" not defined/,
    );
    expect(() => renderMessage('order.completed', 'zh-CN', messageData(order, 'zh-CN'), 'customer')).toThrow(
      /"name" not defined/,
    );
    expect(() => renderMessage('order.created', 'en', { order: { number: 'SO-1' } })).toThrow(
      /"amount" not defined/,
    );
  });

  it.each(LANGUAGES)('renders the daily digest in %s, escaped, counting what it leaves out', (language) => {
    const items = Array.from({ length: DIGEST_ITEMS }, (_, i) => ({
      title: i === 0 ? '<b>Order SO-1</b>' : `Order SO-${i + 1}`,
      createdAt: '2026-11-26T01:30:00.000Z',
    }));
    const digest = renderDigest(language, '李雷', items, DIGEST_ITEMS + 7, 'Asia/Shanghai');
    for (const part of [digest.subject, digest.text, digest.html]) expect(part).not.toMatch(noBlanks);
    expect(digest.subject).toContain(String(DIGEST_ITEMS + 7));
    expect(digest.text).toContain('李雷');
    expect(digest.text).toContain('<b>Order SO-1</b>');
    expect(digest.html).toContain('&lt;b&gt;Order SO-1&lt;/b&gt;');
    expect(digest.text).toMatch(/09:30/);
    expect(digest.text).toContain(' 7 ');
    expect(digest.html).toMatch(new RegExp(`^<!doctype html><html lang="${language}">.*</html>$`, 's'));
  });
});
