import { deliveryIdsAnswered, isAutomatic, messageIdOf, orderNumbersIn, suggestionFor } from './inbound-mail';

const delivery = '0b7a4c3e-1f2d-4e5f-8a9b-0c1d2e3f4a5b';
const earlier = '11111111-2222-4333-8444-555555555555';

describe('threading incoming mail', () => {
  it('finds the deliveries a reply answers, nearest answer first', () => {
    expect(
      deliveryIdsAnswered(messageIdOf(delivery), [
        messageIdOf(earlier),
        '<x@customer.example>',
        messageIdOf(delivery),
      ]),
    ).toEqual([delivery, earlier]);
  });

  it("ignores other domains' Message-IDs and ids that are not the product's", () => {
    expect(deliveryIdsAnswered(`<${delivery}@elsewhere.example>`, ['<not-a-uuid@oms.local>'])).toEqual([]);
    expect(deliveryIdsAnswered(null, [])).toEqual([]);
  });

  it('reads order numbers from a subject, whatever the case, once each', () => {
    expect(orderNumbersIn('Re: so-2026-002732 and SO-2026-002732, also SO-2026-000001')).toEqual([
      'SO-2026-002732',
      'SO-2026-000001',
    ]);
    expect(orderNumbersIn('SO-26-1 is no order number')).toEqual([]);
  });
});

describe('automatic mail', () => {
  it('tells auto-replies, bounces and list mail from what a person wrote', () => {
    expect(isAutomatic({ autoSubmitted: 'auto-replied' })).toBe(true);
    expect(isAutomatic({ autoSubmitted: 'no' })).toBe(false);
    expect(isAutomatic({ precedence: 'bulk' })).toBe(true);
    expect(isAutomatic({ contentType: 'multipart/report; report-type=delivery-status' })).toBe(true);
    expect(isAutomatic({ returnPath: '<>' })).toBe(true);
    expect(isAutomatic({ from: 'MAILER-DAEMON@mx.example' })).toBe(true);
    expect(isAutomatic({ autoreplyHeader: true })).toBe(true);
    expect(isAutomatic({ from: 'li.wei@example.com', returnPath: '<li.wei@example.com>' })).toBe(false);
  });
});

describe('suggestions for unmatched mail', () => {
  it('guesses feedback and orders from their words, and nothing otherwise', () => {
    expect(suggestionFor('建议', '希望增加周末送货')).toBe('feedback');
    expect(suggestionFor('New order', 'Please send 20 boxes of A4 paper')).toBe('order');
    expect(suggestionFor('Hello', 'Are you open on Sunday?')).toBeNull();
  });
});
