import { randomUUID } from 'node:crypto';
import { OrderRepository } from '../db/repositories';
import { seedCatalogue } from './support/fixtures';
import { placeOrder, type OrderBody } from './support/orders';
import { useStack } from './support/stack';

type Page<T> = { items: T[]; nextCursor: string | null };

describe('lists, search and pagination', () => {
  const t = useStack({ api: [['staff']] });

  it('pages through a customer’s orders newest first with a cursor, each order once', async () => {
    const { customerId, skus } = await seedCatalogue(t.api);
    const placed: string[] = [];
    for (let i = 0; i < 5; i++)
      placed.push((await placeOrder(t.api, customerId, [{ sku: skus[0]!, quantity: 1 }])).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/api/orders?customerId=${customerId}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page: Page<OrderBody> = (await t.api.get<Page<OrderBody>>(query)).body;
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((order) => order.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...placed].reverse());
  });

  it('filters by status and searches number, customer name and notes', async () => {
    const tag = randomUUID().slice(0, 8);
    const customer = await t.api.post('/api/customers', {
      name: `Zhang ${tag} Trading`,
      email: `z${tag}@example.com`,
    });
    const { skus } = await seedCatalogue(t.api);
    const withNote = await t.api.post<OrderBody>('/api/orders', {
      customerId: customer.body.id,
      lines: [{ sku: skus[0], quantity: 1 }],
      notes: `rush ${tag}-note`,
    });
    const byName = await t.api.get<Page<OrderBody>>(`/api/orders?q=${encodeURIComponent(`zhang ${tag}`)}`);
    expect(byName.body.items.map((order) => order.id)).toEqual([withNote.body.id]);
    const byNote = await t.api.get<Page<OrderBody>>(`/api/orders?q=${tag}-NOTE`);
    expect(byNote.body.items.map((order) => order.id)).toEqual([withNote.body.id]);
    const byNumber = await t.api.get<Page<OrderBody>>(`/api/orders?q=${withNote.body.number}`);
    expect(byNumber.body.items.map((order) => order.id)).toEqual([withNote.body.id]);
    const created = await t.api.get<Page<OrderBody>>(
      `/api/orders?status=created&customerId=${customer.body.id as string}`,
    );
    expect(created.body.items).toHaveLength(1);
    const none = await t.api.get<Page<OrderBody>>(
      `/api/orders?status=completed&customerId=${customer.body.id as string}`,
    );
    expect(none.body.items).toHaveLength(0);
  });

  it('filters the board by awaiting, creation time and total, in lists and in search alike', async () => {
    const { customerId, skus } = await seedCatalogue(t.api, [{ unitPrice: 1000 }]);
    const placed: OrderBody[] = [];
    for (const quantity of [1, 2, 3])
      placed.push(await placeOrder(t.api, customerId, [{ sku: skus[0]!, quantity }]));
    const [first, second, third] = placed as [OrderBody, OrderBody, OrderBody];
    const ids = async (query: string) =>
      (await t.api.get<Page<OrderBody>>(`/api/orders?customerId=${customerId}&${query}`)).body.items.map(
        (order) => order.id,
      );
    expect(await ids('minTotal=2000')).toEqual([third.id, second.id]);
    expect(await ids('maxTotal=2000')).toEqual([second.id, first.id]);
    expect(await ids('minTotal=2000&maxTotal=2000')).toEqual([second.id]);
    const from = encodeURIComponent(first.createdAt);
    const to = encodeURIComponent(third.createdAt);
    expect(await ids(`createdFrom=${from}&createdTo=${to}`)).toEqual([second.id, first.id]);
    const current = await t.api.get<OrderBody>(`/api/orders/${first.id}`);
    const awaiting = current.body.awaiting ?? 'approval';
    expect(await ids(`awaiting=${awaiting}&maxTotal=1000`)).toEqual(current.body.awaiting ? [first.id] : []);
    expect(await ids(`awaiting=${awaiting === 'delivery' ? 'shipment' : 'delivery'}`)).toEqual([]);
    // Search takes the same filters.
    const number = encodeURIComponent(second.number);
    expect(await ids(`q=${number}&minTotal=2000`)).toEqual([second.id]);
    expect(await ids(`q=${number}&minTotal=2001`)).toEqual([]);
    expect(await ids(`q=${number}&createdFrom=${to}`)).toEqual([]);
  });

  describe('search for one- and two-letter texts and common names', () => {
    const texts = ['加急', '急', '鑫', 'Ω', 'ω', 'SO', '1', '-', 'x', '%', 'zq', 'Ω鑫'];
    type Search = (q: string, cursor: string | null) => Promise<Page<{ id: string }>>;

    beforeAll(async () => {
      const tag = randomUUID().slice(0, 8);
      const { skus } = await seedCatalogue(t.api);
      for (const name of [`Ω鑫 ${tag}`, `鑫 ${tag} x`]) {
        const customer = await t.api.post<{ id: string }>('/api/customers', {
          name,
          email: `x${randomUUID().slice(0, 8)}@example.com`,
        });
        for (const notes of ['加急', '请加急处理', null, '加急 x'])
          await t.api.post('/api/orders', {
            customerId: customer.body.id,
            lines: [{ sku: skus[0], quantity: 1 }],
            ...(notes ? { notes } : {}),
          });
      }
    });

    /** The first 3 pages of 2 equal the newest 6 orders a plain ILIKE scan finds in number, notes or name. */
    async function expectPlainScanAnswers(search: Search): Promise<void> {
      const connection = t.stack.orm.em.fork().getConnection();
      for (const q of texts) {
        const seen: string[] = [];
        let cursor: string | null = null;
        for (let pageNumber = 0; pageNumber < 3; pageNumber++) {
          const page: Page<{ id: string }> = await search(q, cursor);
          seen.push(...page.items.map((order) => order.id));
          cursor = page.nextCursor;
          if (!cursor) break;
        }
        const expected = await connection.execute<{ id: string }[]>(
          `select o.id from orders o join customers c on c.id = o.customer_id
            where o.number ilike ? or o.notes ilike ? or c.name ilike ?
            order by o.created_at desc, o.id desc limit 6`,
          Array(3).fill(`%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`),
        );
        expect([q, seen]).toEqual([q, expected.map((row) => row.id)]);
      }
    }

    it('through the API', () =>
      expectPlainScanAnswers(
        async (q, cursor) =>
          (
            await t.api.get<Page<OrderBody>>(
              `/api/orders?q=${encodeURIComponent(q)}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
            )
          ).body,
      ));

    it('with windows of one order and one customer, so every page takes the short-piece index and the walk', () =>
      expectPlainScanAnswers(async (q, cursor) => {
        const limits = { numberWindow: 1, notesWindow: 1, fewCustomers: 1 };
        const page = await new OrderRepository(t.stack.orm.em.fork(), limits).list({
          q,
          limit: 2,
          ...(cursor ? { cursor } : {}),
        });
        return { items: page.items.map((order) => ({ id: order.orderId })), nextCursor: page.nextCursor };
      }));
  });

  it('refuses bad board filters with 400 naming the parameter', async () => {
    for (const [query, field] of [
      ['awaiting=lunch', 'awaiting'],
      ['createdFrom=yesterday', 'createdFrom'],
      ['createdTo=2026-13-01', 'createdTo'],
      ['minTotal=-1', 'minTotal'],
      ['maxTotal=1.5', 'maxTotal'],
      ['minTotal=abc', 'minTotal'],
      ['minTotal=20&maxTotal=10', 'maxTotal'],
      ['createdFrom=2026-11-02T00:00:00Z&createdTo=2026-11-01T00:00:00Z', 'createdTo'],
    ]) {
      const response = await t.api.get(`/api/orders?${query}`);
      expect([query, response.status]).toEqual([query, 400]);
      expect(JSON.stringify(response.body)).toContain(field);
    }
  });

  it('treats search text as text: wildcards and SQL are matched literally', async () => {
    for (const q of ["%' OR 1=1 --", '%', '_', "'; drop table orders; --"]) {
      const response = await t.api.get<Page<OrderBody>>(`/api/orders?q=${encodeURIComponent(q)}`);
      expect([q, response.status, response.body.items.length]).toEqual([q, 200, 0]);
    }
    expect((await t.api.get('/api/orders?limit=1')).status).toBe(200);
  });

  it('uses the trigram and short-piece indexes for search', async () => {
    const plans = await t.stack.orm.em
      .fork()
      .getConnection()
      .execute<{ indexname: string }[]>(
        `select indexname from pg_indexes
          where indexname in ('orders_number_trgm', 'orders_notes_trgm', 'customers_name_trgm',
                              'orders_number_grams', 'orders_notes_grams')`,
      );
    expect(plans.map((row) => row.indexname).sort()).toEqual([
      'customers_name_trgm',
      'orders_notes_grams',
      'orders_notes_trgm',
      'orders_number_grams',
      'orders_number_trgm',
    ]);
  });

  it('refuses bad list parameters with 400', async () => {
    for (const query of ['limit=0', 'limit=501', 'limit=abc', 'status=lost', 'cursor=garbage']) {
      const response = await t.api.get(`/api/orders?${query}`);
      expect([query, response.status]).toEqual([query, 400]);
    }
  });

  it('lists, searches and edits customers and products', async () => {
    const { customerId, skus } = await seedCatalogue(t.api);
    const customers = await t.api.get<Page<{ id: string }>>(`/api/customers?limit=500`);
    expect(customers.body.items.map((c) => c.id)).toContain(customerId);
    const renamed = await t.api.patch(`/api/customers/${customerId}`, {
      name: 'Renamed Ltd',
      phone: '+86 10 1234',
    });
    expect(renamed.body).toMatchObject({ name: 'Renamed Ltd', phone: '+86 10 1234' });
    expect((await t.api.patch(`/api/customers/${customerId}`, { email: 'nope' })).status).toBe(400);
    expect((await t.api.patch(`/api/customers/${randomUUID()}`, { name: 'x' })).status).toBe(404);

    const products = await t.api.get<Page<{ id: string; sku: string }>>(`/api/products?q=${skus[0]!}`);
    const product = products.body.items[0]!;
    const repriced = await t.api.patch(`/api/products/${product.id}`, { unitPrice: 4242 });
    expect(repriced.body).toMatchObject({ unitPrice: 4242, sku: skus[0] });
    expect((await t.api.patch(`/api/products/${product.id}`, { stockOnHand: 5 })).status).toBe(400);
  });
});
