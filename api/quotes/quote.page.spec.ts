import type { Quote } from '../../db/repositories';
import { renderQuoteMail } from './quote.mail';
import { renderQuoteNotFound, renderQuotePage } from './quote.page';

const quote = (status: Quote['status']): Quote => ({
  id: '0b6f1c1e-1d4e-4a8e-9d6e-6c1f2f4b9a10',
  number: 'Q-2026-000007',
  status,
  customerId: 'c1',
  currency: 'CNY',
  lines: [
    {
      productId: 'p1',
      sku: 'TEA-1',
      name: 'Tea <script>x</script>',
      quantity: 2,
      unitPrice: 1250,
      lineTotal: 2500,
    },
  ],
  total: 2500,
  validUntil: new Date('2026-12-31T16:00:00.000Z'),
  notes: 'Notes & "quotes"',
  createdBy: { id: 'u1', username: 'clerk', roles: ['staff'] },
  createdAt: new Date('2026-12-01T00:00:00.000Z'),
  sentAt: null,
  answeredAt: null,
  orderId: null,
});

describe('the quote page', () => {
  it('shows a sent quote in the customer’s language with Accept and Decline, escaping every value', () => {
    for (const [language, accept] of [
      ['en', 'Accept the quote'],
      ['zh-CN', '接受报价'],
    ] as const) {
      const html = renderQuotePage(quote('sent'), {
        language,
        timeZone: 'Asia/Shanghai',
        token: 'tok',
        orderNumber: null,
      });
      expect(html).toContain(`<html lang="${language}">`);
      expect(html).toContain(accept);
      expect(html).toContain('action="tok/accept"');
      expect(html).toContain('Tea &lt;script&gt;x&lt;/script&gt;');
      expect(html).not.toContain('<script');
      expect(html).toContain('Notes &amp; &quot;quotes&quot;');
    }
  });

  it('has no forms once the quote is answered or expired', () => {
    for (const status of ['accepted', 'declined', 'expired', 'draft'] as const) {
      const html = renderQuotePage(quote(status), {
        language: 'en',
        timeZone: 'UTC',
        token: 't',
        orderNumber: null,
      });
      expect(html).toContain(`data-status="${status}"`);
      expect(html).not.toContain('<form');
    }
  });

  it('says a link is not valid in both languages', () => {
    const html = renderQuoteNotFound();
    expect(html).toContain('This quote link is not valid');
    expect(html).toContain('找不到这个报价单链接');
  });
});

describe('the quote e-mail', () => {
  it('carries the link, the lines and the total in the customer’s language; its HTML escapes', () => {
    const mail = renderQuoteMail(
      quote('draft'),
      { name: 'Li <Lei>', language: 'zh-CN' },
      'https://oms.example/q/abc',
      'Asia/Shanghai',
    );
    expect(mail.subject).toBe('您的报价单 Q-2026-000007');
    expect(mail.text).toContain('https://oms.example/q/abc');
    expect(mail.text).toContain('Tea <script>x</script> × 2');
    expect(mail.html).toContain('href="https://oms.example/q/abc"');
    expect(mail.html).toContain('Li &lt;Lei&gt;');
    expect(mail.html).not.toContain('<script');
    const en = renderQuoteMail(
      quote('draft'),
      { name: 'Ann', language: 'en' },
      'https://oms.example/q/abc',
      'UTC',
    );
    expect(en.subject).toBe('Your quote Q-2026-000007');
    expect(en.text).toContain('Total: CN¥25.00');
  });
});
