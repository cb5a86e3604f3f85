import { priceLines, type PricedProduct } from './order.pricing';

const product = (sku: string, unitPrice: number, currency = 'CNY'): [string, PricedProduct] => [
  sku,
  { id: `id-${sku}`, sku, name: `name ${sku}`, unitPrice, currency },
];

describe('pricing order lines', () => {
  const catalogue = new Map([
    product('A', 12990),
    product('B', 500),
    product('U', 100, 'USD'),
    product('BIG', 2 ** 52),
  ]);

  it('multiplies unit prices by quantities and adds them up in minor units', () => {
    expect(
      priceLines(
        [
          { sku: 'A', quantity: 2 },
          { sku: 'B', quantity: 3 },
        ],
        catalogue,
      ),
    ).toEqual({
      ok: true,
      currency: 'CNY',
      total: 27480,
      lines: [
        { productId: 'id-A', sku: 'A', name: 'name A', quantity: 2, unitPrice: 12990, lineTotal: 25980 },
        { productId: 'id-B', sku: 'B', name: 'name B', quantity: 3, unitPrice: 500, lineTotal: 1500 },
      ],
    });
  });

  it('names the line of an unknown SKU', () => {
    expect(
      priceLines(
        [
          { sku: 'A', quantity: 1 },
          { sku: 'Z', quantity: 1 },
        ],
        catalogue,
      ),
    ).toEqual({
      ok: false,
      field: 'lines.1.sku',
      problem: 'names an unknown product "Z"',
    });
  });

  it('refuses the same SKU on two lines', () => {
    expect(
      priceLines(
        [
          { sku: 'A', quantity: 1 },
          { sku: 'A', quantity: 1 },
        ],
        catalogue,
      ),
    ).toMatchObject({
      ok: false,
      field: 'lines.1.sku',
    });
  });

  it('refuses a second currency', () => {
    expect(
      priceLines(
        [
          { sku: 'A', quantity: 1 },
          { sku: 'U', quantity: 1 },
        ],
        catalogue,
      ),
    ).toEqual({
      ok: false,
      field: 'lines.1.sku',
      problem: 'is priced in USD but the order is in CNY',
    });
  });

  it('refuses totals beyond exact integer arithmetic', () => {
    expect(priceLines([{ sku: 'BIG', quantity: 4 }], catalogue)).toMatchObject({ ok: false, field: 'lines' });
  });

  it('refuses an empty order', () => {
    expect(priceLines([], catalogue)).toMatchObject({ ok: false, field: 'lines' });
  });
});
