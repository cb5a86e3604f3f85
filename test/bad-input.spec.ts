import { seedCatalogue } from './support/fixtures';
import type { ApiClient } from './support/http';
import { startStack, type TestStack } from './support/stack';

/** Bad input gets a 4xx that says which field was wrong, and writes nothing. */
describe('bad input', () => {
  let stack: TestStack;
  let api: ApiClient;
  let customerId: string;
  let sku: string;

  beforeAll(async () => {
    stack = await startStack();
    api = await stack.client();
    const seeded = await seedCatalogue(api);
    customerId = seeded.customerId;
    sku = seeded.skus[0]!;
  });
  afterAll(() => stack.close());

  async function counts() {
    const connection = stack.orm.em.fork().getConnection();
    const [row] = await connection.execute<{ orders: number; customers: number; products: number }[]>(
      `select (select count(*)::int from orders) as orders, (select count(*)::int from customers) as customers,
              (select count(*)::int from products) as products`,
    );
    return row;
  }

  const orderCases: [string, unknown, RegExp][] = [
    ['malformed JSON', '{"customerId": ', /not valid JSON/],
    ['a JSON array instead of an object', '[]', /the request body must be a JSON object/],
    ['a missing customerId', { lines: [{ sku: 'X', quantity: 1 }] }, /customerId/],
    [
      'a customerId of the wrong type',
      { customerId: 42, lines: [{ sku: 'X', quantity: 1 }] },
      /customerId must be a string/,
    ],
    ['no lines', { customerId: 'c', lines: [] }, /lines must contain at least 1 elements/],
    [
      'a negative quantity',
      { customerId: 'c', lines: [{ sku: 'X', quantity: -1 }] },
      /lines\.0\.quantity must not be less than 1/,
    ],
    [
      'a fractional quantity',
      { customerId: 'c', lines: [{ sku: 'X', quantity: 1.5 }] },
      /lines\.0\.quantity must be an integer/,
    ],
    [
      'an absurd quantity',
      { customerId: 'c', lines: [{ sku: 'X', quantity: 1e12 }] },
      /lines\.0\.quantity must not be greater than/,
    ],
    [
      'a quantity as a string',
      { customerId: 'c', lines: [{ sku: 'X', quantity: '2' }] },
      /lines\.0\.quantity must be an integer/,
    ],
    [
      'an unknown field',
      { customerId: 'c', lines: [{ sku: 'X', quantity: 1 }], total: 1 },
      /property total should not exist/,
    ],
  ];

  it.each(orderCases)('refuses an order with %s (400 naming the field)', async (_name, body, message) => {
    const before = await counts();
    const response = await api.post('/api/orders', body);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(response.body.message).toMatch(message);
    expect(await counts()).toEqual(before);
  });

  it('refuses an unknown customer and an unknown SKU, naming the field', async () => {
    const before = await counts();
    const unknownCustomer = await api.post('/api/orders', {
      customerId: 'nobody',
      lines: [{ sku, quantity: 1 }],
    });
    expect(unknownCustomer.status).toBe(400);
    expect(unknownCustomer.body.message).toMatch(/^customerId names an unknown customer/);
    const unknownSku = await api.post('/api/orders', {
      customerId,
      lines: [
        { sku, quantity: 1 },
        { sku: 'NOPE', quantity: 1 },
      ],
    });
    expect(unknownSku.status).toBe(400);
    expect(unknownSku.body.message).toMatch(/^lines\.1\.sku names an unknown product "NOPE"/);
    expect(await counts()).toEqual(before);
  });

  it('refuses lines in two currencies', async () => {
    const { customerId: other, skus } = await seedCatalogue(api, [
      { unitPrice: 100 },
      { unitPrice: 100, currency: 'USD' },
    ]);
    const before = await counts();
    const response = await api.post('/api/orders', {
      customerId: other,
      lines: skus.map((s) => ({ sku: s, quantity: 1 })),
    });
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(/^lines\.1\.sku is priced in USD but the order is in CNY/);
    expect(await counts()).toEqual(before);
  });

  it('refuses bad products and customers, and a duplicate SKU with 409', async () => {
    const before = await counts();
    const cases: [string, unknown, RegExp][] = [
      [
        '/api/products',
        { sku: 'A B', name: 'x', unitPrice: 1, currency: 'CNY', stockOnHand: 1 },
        /^sku must be/,
      ],
      [
        '/api/products',
        { sku: 'OK-1', name: 'x', unitPrice: -1, currency: 'CNY', stockOnHand: 1 },
        /unitPrice must not be less than 0/,
      ],
      [
        '/api/products',
        { sku: 'OK-1', name: 'x', unitPrice: 9.99, currency: 'CNY', stockOnHand: 1 },
        /unitPrice must be an integer/,
      ],
      [
        '/api/products',
        { sku: 'OK-1', name: 'x', unitPrice: 1, currency: 'XXY', stockOnHand: 1 },
        /currency must be an ISO 4217/,
      ],
      [
        '/api/products',
        { sku: 'OK-1', name: 'x', unitPrice: 1e15, currency: 'CNY', stockOnHand: 1 },
        /unitPrice must not be greater/,
      ],
      ['/api/customers', { name: 'x', email: 'not-an-email' }, /email must be an email/],
      ['/api/customers', { email: 'a@b.example' }, /name must be/],
    ];
    for (const [path, body, message] of cases) {
      const response = await api.post(path, body);
      expect(response.status).toBe(400);
      expect(response.body.message).toMatch(message);
    }
    const duplicate = await api.post('/api/products', {
      sku,
      name: 'again',
      unitPrice: 1,
      currency: 'CNY',
      stockOnHand: 1,
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.message).toContain(sku);
    expect(await counts()).toEqual(before);
  });

  it('refuses a ship without a carrier before looking at the state', async () => {
    const order = await api.post('/api/orders', { customerId, lines: [{ sku, quantity: 1 }] });
    const response = await api.post(`/api/orders/${order.body.id as string}/ship`, { trackingNumber: 'T' });
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(/carrier/);
  });
});
