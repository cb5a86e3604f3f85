import { quoteAllows, quoteStatusAt } from './quote';

describe('a quote’s status', () => {
  const until = new Date('2026-12-05T10:00:00.000Z');

  it('expires at validUntil exactly, not a millisecond earlier', () => {
    expect(quoteStatusAt('sent', until, new Date(until.getTime() - 1))).toBe('sent');
    expect(quoteStatusAt('sent', until, until)).toBe('expired');
    expect(quoteStatusAt('draft', until, new Date(until.getTime() + 1))).toBe('expired');
  });

  it('keeps an answer once given, whenever it is read', () => {
    expect(quoteStatusAt('accepted', until, new Date(until.getTime() + 1))).toBe('accepted');
    expect(quoteStatusAt('declined', until, new Date(until.getTime() + 1))).toBe('declined');
  });

  it('is answered only once sent, and sent again only while open', () => {
    expect(quoteAllows('accept', 'sent')).toBe(true);
    expect(quoteAllows('accept', 'draft')).toBe(false);
    expect(quoteAllows('decline', 'expired')).toBe(false);
    expect(quoteAllows('send', 'sent')).toBe(true);
    expect(quoteAllows('send', 'accepted')).toBe(false);
  });
});
