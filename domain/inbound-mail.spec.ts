import {
  deliveryIdsAnswered,
  isAutomatic,
  messageIdDomainOf,
  messageIdOf,
  orderLineCandidates,
  orderNumbersIn,
  recognisedOrderLines,
  suggestionFor,
} from './inbound-mail';

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

  it('gives Message-IDs the domain of the configured From, and threads replies to the earlier oms.local ones', () => {
    expect(messageIdDomainOf('OMS <Orders@Shop.Example.COM>')).toBe('shop.example.com');
    expect(messageIdDomainOf('orders@shop.example')).toBe('shop.example');
    expect(messageIdDomainOf('Order Management <oms@localhost>')).toBe('oms.local');
    expect(messageIdDomainOf('nobody')).toBe('oms.local');
    expect(messageIdOf(delivery, 'shop.example')).toBe(`<${delivery}@shop.example>`);
    expect(deliveryIdsAnswered(`<${delivery}@SHOP.example>`, [messageIdOf(earlier)], 'shop.example')).toEqual(
      [delivery, earlier],
    );
    expect(deliveryIdsAnswered(`<${delivery}@elsewhere.example>`, [], 'shop.example')).toEqual([]);
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

describe('reading an order out of an e-mail', () => {
  const catalogue = ['TEA-001', 'CUP-002', '茶-1', 'A4.PAPER'];
  const known = (sku: string) => catalogue.find((entry) => entry.toLowerCase() === sku.toLowerCase());
  const read = (text: string) => recognisedOrderLines(orderLineCandidates(text), known);

  it('takes SKU and quantity written either way round, on the line they are on', () => {
    const text = [
      'Hello, please send us:',
      '- TEA-001 x 2',
      '3 × CUP-002',
      '茶-1 数量 5',
      '1) a4.paper: 10 boxes',
      'Thanks, Li Wei',
    ].join('\n');
    expect(read(text)).toEqual([
      { line: 2, sku: 'TEA-001', quantity: 2 },
      { line: 3, sku: 'CUP-002', quantity: 3 },
      { line: 4, sku: '茶-1', quantity: 5 },
      { line: 5, sku: 'A4.PAPER', quantity: 10 },
    ]);
  });

  it('reads several items on one line and adds up a product named twice', () => {
    expect(read('Could I have TEA-001 x 2, CUP-002 x 1 and another TEA-001 * 3?')).toEqual([
      { line: 1, sku: 'TEA-001', quantity: 5 },
      { line: 1, sku: 'CUP-002', quantity: 1 },
    ]);
  });

  it('takes nothing that is not in the catalogue, and no number that is not a quantity', () => {
    expect(read('Order 2026 x 3 boxes, call me on 138 x 1234.\nRoom 12: 5')).toEqual([]);
    expect(read('TEA-001 x 0')).toEqual([]);
  });

  it('does not read the quoted e-mail a reply answers', () => {
    const text = ['CUP-002 x 4', '', 'On Fri, 4 Dec 2026 the shop wrote:', 'TEA-001 x 2'].join('\n');
    expect(read(text)).toEqual([{ line: 1, sku: 'CUP-002', quantity: 4 }]);
    expect(read('> TEA-001 x 2\nCUP-002 x 1')).toEqual([{ line: 2, sku: 'CUP-002', quantity: 1 }]);
  });
});
