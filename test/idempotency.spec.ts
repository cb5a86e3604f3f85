import { randomUUID } from 'node:crypto';
import { seedCatalogue } from './support/fixtures';
import type { ApiClient } from './support/http';
import type { OrderBody } from './support/orders';
import { startStack, type TestStack } from './support/stack';

describe('idempotent order creation', () => {
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

  const count = async (id: string) => {
    const rows = await stack.orm.em.fork().getConnection().execute(`select 1 from orders where id = ?`, [id]);
    return rows.length;
  };

  it('creates one order for concurrent duplicates with the same key and body', async () => {
    const key = randomUUID();
    const body = { customerId, lines: [{ sku, quantity: 2 }], notes: 'once' };
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => api.post<OrderBody>('/api/orders', body, { 'Idempotency-Key': key })),
    );
    const ids = new Set(responses.map((response) => response.body.id));
    expect(ids.size).toBe(1);
    expect(responses.every((response) => [200, 201].includes(response.status))).toBe(true);
    expect(responses.filter((response) => response.status === 201).length).toBeLessThanOrEqual(1);
    const [id] = [...ids];
    expect(await count(id!)).toBe(1);
    const workflows = [];
    for await (const workflow of stack.temporal.workflow.list({ query: `WorkflowId = 'order:${id}'` }))
      workflows.push(workflow);
    expect(workflows).toHaveLength(1);

    const later = await api.post<OrderBody>('/api/orders', body, { 'Idempotency-Key': key });
    expect(later.status).toBe(200);
    expect(later.body.number).toBe(responses[0]!.body.number);
  });

  it('answers 422 when a key is reused with a different body, and writes nothing', async () => {
    const key = randomUUID();
    const first = await api.post<OrderBody>(
      '/api/orders',
      { customerId, lines: [{ sku, quantity: 1 }] },
      { 'Idempotency-Key': key },
    );
    expect(first.status).toBe(201);
    const other = await api.post(
      '/api/orders',
      { customerId, lines: [{ sku, quantity: 5 }] },
      { 'Idempotency-Key': key },
    );
    expect(other.status).toBe(422);
    expect(other.body.message).toMatch(/Idempotency-Key was already used for order SO-/);
    expect((await api.get<OrderBody>(`/api/orders/${first.body.id}`)).body.lines).toEqual([
      expect.objectContaining({ quantity: 1 }),
    ]);
  });

  it('still answers with the order once it has finished', async () => {
    const key = randomUUID();
    const body = { customerId, lines: [{ sku, quantity: 1 }] };
    const first = await api.post<OrderBody>('/api/orders', body, { 'Idempotency-Key': key });
    await api.post(`/api/orders/${first.body.id}/reject`, { reason: 'test' });
    const again = await api.post<OrderBody>('/api/orders', body, { 'Idempotency-Key': key });
    expect(again).toMatchObject({ status: 200, body: { id: first.body.id, status: 'rejected' } });
  });

  it('refuses a malformed key', async () => {
    const response = await api.post(
      '/api/orders',
      { customerId, lines: [{ sku, quantity: 1 }] },
      { 'Idempotency-Key': 'x'.repeat(201) },
    );
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(/^Idempotency-Key must be/);
  });
});
