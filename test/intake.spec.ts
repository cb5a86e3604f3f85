import ExcelJS from 'exceljs';
import { randomUUID } from 'node:crypto';
import { eventually, seedCatalogue } from './support/fixtures';
import { apiClient, type ApiClient, type ApiResponse } from './support/http';
import { useStack } from './support/stack';

/**
 * Order intake (issue 27): orders carry where they came from and the sender's own reference (one order per
 * reference), a spreadsheet becomes orders through a checked preview and a commit, and machine clients use
 * API keys. Against the real API, order workflows and PostgreSQL.
 */
type Order = { id: string; number: string; source: string; externalRef: string | null; customerId: string };
type Problem = { row: number; field: string; message: string };
type Result = { externalRef: string; orderId: string | null; number: string | null; created: boolean };
type Import = {
  id: string;
  status: string;
  fileName: string;
  rows: number;
  valid: number;
  orders: number;
  processed: number;
  errors: Problem[];
  results: Result[];
};
type Key = { id: string; name: string; key?: string; roles: string[]; revokedAt: string | null };

/** Requests one API key may make per minute in this file's API. */
const KEY_LIMIT = 6;

const t = useStack(
  { staff: [['staff'], 'intake-clerk'], admin: [['admin'], 'intake-admin'] },
  { apiEnv: { OMS_API_KEY_RATE_LIMIT: String(KEY_LIMIT) } },
);

const sql = <T>(query: string, params: unknown[] = []) =>
  t.stack.orm.em.fork().getConnection().execute<T & object>(query, params) as Promise<T>;

const ordersWithRefs = (refs: string[]) =>
  sql<{ id: string; ref: string; source: string }[]>(
    `select id, snapshot ->> 'externalRef' as ref, snapshot ->> 'source' as source from orders
      where snapshot ->> 'externalRef' = any(?::text[]) order by 2`,
    [`{${refs.join(',')}}`],
  );

/** Uploads a file as the console does (multipart field `file`). */
async function upload(
  api: ApiClient,
  name: string,
  content: Uint8Array | string,
): Promise<ApiResponse<Import>> {
  const form = new FormData();
  form.append('file', new Blob([content]), name);
  const response = await fetch(`${t.stack.baseUrl}/api/imports/orders`, {
    method: 'POST',
    headers: api.headers,
    body: form,
  });
  return { status: response.status, body: (await response.json()) as Import, headers: response.headers };
}

async function committed(api: ApiClient, id: string): Promise<Import> {
  const start = await api.post<Import>(`/api/imports/${id}/commit`, {});
  expect(start.status).toBe(202);
  const done = await eventually(
    async () => (await api.get<Import>(`/api/imports/${id}`)).body,
    (view) => view.status === 'committed',
    60_000,
  );
  expect(done.status).toBe('committed');
  return done;
}

describe('orders carry their source and the sender reference', () => {
  it('answers the existing order when a reference is used again, and finds orders by reference', async () => {
    const { customerId, skus } = await seedCatalogue(t.staff);
    const externalRef = `CRM-${randomUUID()}`;
    const body = { customerId, lines: [{ sku: skus[0], quantity: 1 }], externalRef };

    const first = await t.staff.post<Order>('/api/orders', body);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ source: 'console', externalRef });
    const again = await t.staff.post<Order>('/api/orders', {
      ...body,
      lines: [{ sku: skus[0], quantity: 9 }],
    });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);

    const found = await t.staff.get<{ items: Order[] }>(
      `/api/orders?externalRef=${encodeURIComponent(externalRef)}`,
    );
    expect(found.body.items.map((order) => order.id)).toEqual([first.body.id]);
    expect(await ordersWithRefs([externalRef])).toHaveLength(1);
  });
});

describe('importing orders from a spreadsheet', () => {
  it('previews a mixed file naming row and field, commits its valid orders once, and a re-upload creates nothing twice', async () => {
    const { customerId, skus } = await seedCatalogue(t.staff, [{ unitPrice: 1000 }, { unitPrice: 250 }]);
    const email = (await t.staff.get<{ email: string }>(`/api/customers/${customerId}`)).body.email;
    const other = await seedCatalogue(t.staff);
    const [tea, cup] = [skus[0]!, skus[1]!];
    const tag = randomUUID().slice(0, 8);
    const ref = (name: string) => `${name}-${tag}`;
    const csv = [
      'externalRef,customer,sku,quantity,notes',
      `${ref('A')},${customerId},${tea},2,"Leave at the door, please"`,
      `${ref('A')},${customerId},${cup},3,`,
      `${ref('B')},${email},${tea},1,`,
      `${ref('C')},${customerId},NO-SUCH-SKU,1,`,
      `${ref('D')},${customerId},${tea},two,`,
      `${ref('E')},${customerId},${tea},1,`,
      `${ref('E')},${other.customerId},${cup},1,`,
      `${ref('F')},${customerId},${tea},=1+1,`,
      ',,,,',
    ].join('\r\n');
    const bom = new Uint8Array([0xef, 0xbb, 0xbf]);
    const file = new Uint8Array([...bom, ...new TextEncoder().encode(csv)]);
    const refs = ['A', 'B', 'C', 'D', 'E', 'F'].map(ref);

    const preview = await upload(t.staff, 'orders.csv', file);
    expect(preview.status).toBe(201);
    expect(preview.body).toMatchObject({ status: 'previewed', rows: 8, valid: 3, orders: 2, processed: 0 });
    expect(preview.body.errors).toEqual([
      { row: 5, field: 'sku', message: expect.stringContaining('unknown product') },
      { row: 6, field: 'quantity', message: expect.stringContaining('whole number') },
      { row: 8, field: 'customer', message: expect.stringContaining('differs from row 7') },
      { row: 9, field: 'quantity', message: expect.stringContaining('formulas are not evaluated') },
    ]);
    expect(await ordersWithRefs(refs)).toEqual([]);

    const done = await committed(t.staff, preview.body.id);
    expect(done.processed).toBe(2);
    const made = await ordersWithRefs(refs);
    expect(made.map((order) => [order.ref, order.source])).toEqual([
      [ref('A'), 'import'],
      [ref('B'), 'import'],
    ]);
    expect(done.results.map((result) => [result.externalRef, result.created]).sort()).toEqual([
      [ref('A'), true],
      [ref('B'), true],
    ]);
    const a = (
      await t.staff.get<{ items: (Order & { lines: { sku: string; quantity: number }[]; notes: string })[] }>(
        `/api/orders?externalRef=${ref('A')}`,
      )
    ).body.items[0]!;
    expect(a).toMatchObject({ customerId, source: 'import', notes: 'Leave at the door, please' });
    expect(a.lines.map((line) => [line.sku, line.quantity])).toEqual([
      [tea, 2],
      [cup, 3],
    ]);

    const again = await upload(t.staff, 'orders-again.csv', file);
    expect(again.status).toBe(201);
    const redone = await committed(t.staff, again.body.id);
    expect(redone.results.every((result) => !result.created)).toBe(true);
    expect(redone.results.map((result) => result.orderId).sort()).toEqual(
      made.map((order) => order.id).sort(),
    );
    expect(await ordersWithRefs(refs)).toHaveLength(2);
  });

  it('previews 10,000 rows in one request (the time is printed, not asserted)', async () => {
    const { customerId, skus } = await seedCatalogue(
      t.staff,
      [0, 1, 2, 3].map(() => ({ unitPrice: 100 })),
    );
    const tag = randomUUID().slice(0, 8);
    const lines = ['externalRef,customer,sku,quantity'];
    for (let i = 0; i < 10_000; i++)
      lines.push(`BULK-${tag}-${Math.floor(i / 4)},${customerId},${skus[i % 4]},1`);
    const started = performance.now();
    const preview = await upload(t.staff, 'bulk.csv', lines.join('\r\n'));
    const seconds = (performance.now() - started) / 1000;
    expect(preview.status).toBe(201);
    expect(preview.body).toMatchObject({ rows: 10_000, valid: 10_000, orders: 2_500, errors: [] });
    console.log(`preview of 10,000 rows (2,500 orders): ${seconds.toFixed(2)} s`);
  });

  it('commits 100 orders while staff keep working (times printed, not asserted)', async () => {
    const { customerId, skus } = await seedCatalogue(
      t.staff,
      [0, 1, 2, 3].map(() => ({ unitPrice: 100, stockOnHand: 10_000 })),
    );
    const tag = randomUUID().slice(0, 8);
    const lines = ['externalRef,customer,sku,quantity'];
    for (let i = 0; i < 400; i++)
      lines.push(`LOAD-${tag}-${Math.floor(i / 4)},${customerId},${skus[i % 4]},1`);
    const preview = await upload(t.staff, 'load.csv', lines.join('\n'));
    expect(preview.body).toMatchObject({ valid: 400, orders: 100 });
    const started = performance.now();
    expect((await t.staff.post(`/api/imports/${preview.body.id}/commit`, {})).status).toBe(202);
    const latencies: number[] = [];
    let view = preview.body;
    while (view.status !== 'committed' && performance.now() - started < 120_000) {
      const asked = performance.now();
      expect((await t.staff.get('/api/orders?limit=20')).status).toBe(200);
      latencies.push(performance.now() - asked);
      view = (await t.staff.get<Import>(`/api/imports/${preview.body.id}`)).body;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const seconds = (performance.now() - started) / 1000;
    expect(view).toMatchObject({ status: 'committed', processed: 100 });
    expect(view.results.every((result) => result.created)).toBe(true);
    latencies.sort((a, b) => a - b);
    const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
    console.log(
      `commit of 100 orders (400 rows): ${seconds.toFixed(1)} s (${(100 / seconds).toFixed(1)} orders/s); ` +
        `staff order list meanwhile: median ${p(0.5).toFixed(0)} ms, p95 ${p(0.95).toFixed(0)} ms, ` +
        `max ${latencies.at(-1)!.toFixed(0)} ms over ${latencies.length} requests`,
    );
  });

  it('goes on with a commit after the API restarts in the middle: every order made once, the import finished', async () => {
    const { customerId, skus } = await seedCatalogue(
      t.staff,
      [0, 1].map(() => ({ unitPrice: 100, stockOnHand: 10_000 })),
    );
    const tag = randomUUID().slice(0, 8);
    const count = 160;
    const refs = Array.from({ length: count }, (_, i) => `RESUME-${tag}-${String(i).padStart(3, '0')}`);
    const lines = ['externalRef,customer,sku,quantity'];
    for (const ref of refs)
      lines.push(`${ref},${customerId},${skus[0]},1`, `${ref},${customerId},${skus[1]},2`);
    const preview = await upload(t.staff, 'resume.csv', lines.join('\n'));
    expect(preview.body).toMatchObject({ valid: count * 2, orders: count });
    const id = preview.body.id;
    expect((await t.staff.post(`/api/imports/${id}/commit`, {})).status).toBe(202);

    // Some orders made (a first batch of results written), most not yet: the API stops and starts again.
    const midway = await eventually(
      async () => (await t.staff.get<Import>(`/api/imports/${id}`)).body,
      (view) => view.processed >= 20 || view.status === 'committed',
      60_000,
    );
    expect(midway.status).toBe('committing');
    await t.stack.restartApi();
    const [atRestart] = await sql<{ status: string; done: number }[]>(
      `select status, jsonb_array_length(results) as done from order_imports where id = ?`,
      [id],
    );
    expect(atRestart!.status).toBe('committing');
    expect(atRestart!.done).toBeLessThan(count);
    expect(atRestart!.done).toBeGreaterThanOrEqual(midway.processed);

    const done = await eventually(
      async () => (await t.staff.get<Import>(`/api/imports/${id}`)).body,
      (view) => view.status === 'committed',
      120_000,
    );
    expect(done).toMatchObject({ status: 'committed', processed: count });
    // Each order once in the results, made once (the run stopped cleanly: nothing to redo), and in PostgreSQL.
    expect(done.results.map((r) => r.externalRef).sort()).toEqual(refs);
    expect(done.results.every((r) => r.created && r.orderId !== null)).toBe(true);
    expect(new Set(done.results.map((r) => r.orderId)).size).toBe(count);
    const made = await ordersWithRefs(refs);
    expect(made.map((o) => o.ref)).toEqual(refs);
    expect(made.every((o) => o.source === 'import')).toBe(true);
    expect(made.map((o) => o.id).sort()).toEqual(done.results.map((r) => r.orderId).sort());
  }, 240_000);

  it('refuses a damaged XLSX file, another encoding, a file over 5 MB and one without the required columns', async () => {
    const before = await sql<{ n: number }[]>(`select count(*)::int as n from order_imports`);
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]);
    const xlsx = await upload(t.staff, 'orders.xlsx', zip);
    expect(xlsx.status).toBe(400);
    expect(xlsx.body).toMatchObject({
      field: 'file',
      message: expect.stringContaining('not a readable XLSX'),
    });
    const latin1 = await upload(t.staff, 'orders.csv', new Uint8Array([0x41, 0x2c, 0xe9, 0x0a]));
    expect(latin1.status).toBe(415);
    const huge = await upload(t.staff, 'huge.csv', new Uint8Array(5 * 1024 * 1024 + 1).fill(0x2c));
    expect(huge.status).toBe(413);
    const headless = await upload(t.staff, 'orders.csv', 'ref,who\nA,b\n');
    expect(headless.status).toBe(400);
    expect(headless.body).toMatchObject({
      message: expect.stringContaining('externalRef, customer, sku, quantity'),
    });
    expect(await sql<{ n: number }[]>(`select count(*)::int as n from order_imports`)).toEqual(before);
  });

  it('reads the first sheet of an XLSX workbook with the same checks, rows numbered as the sheet shows them', async () => {
    const { customerId, skus } = await seedCatalogue(t.staff, [{ unitPrice: 1000 }, { unitPrice: 250 }]);
    const [tea, cup] = [skus[0]!, skus[1]!];
    const tag = randomUUID().slice(0, 8);
    const ref = (name: string) => `X${name}-${tag}`;
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Orders');
    workbook.addWorksheet('Ignored').addRow(['externalRef', 'customer', 'sku', 'quantity']);
    sheet.addRow(['externalRef', 'customer', 'sku', 'quantity', 'notes']);
    sheet.addRow([ref('A'), customerId, tea, 2, 'Leave at the door']);
    // A formula cell counts as its cached value, as text; the formula is never evaluated.
    sheet.addRow([ref('A'), customerId, cup, { formula: '1+2', result: 3 }]);
    // Row 4 stays empty: the rows below keep the numbers the spreadsheet shows.
    sheet.getRow(5).values = [ref('B'), customerId, 'NO-SUCH-SKU', 1];
    sheet.getRow(6).values = [ref('C'), customerId, tea, { formula: 'A1', result: 'two' }];
    sheet.getRow(7).values = [ref('D'), customerId, tea, 2.5];
    sheet.getRow(8).values = [ref('E'), customerId, tea, { formula: 'SUM(1,1)' }];
    sheet.getRow(9).values = [ref('F'), customerId, tea, '=1+1'];
    const file = new Uint8Array(await workbook.xlsx.writeBuffer());

    const before = await sql<{ n: number }[]>(`select count(*)::int as n from order_imports`);
    const preview = await upload(t.staff, 'orders.xlsx', file);
    expect(preview.status).toBe(201);
    expect(preview.body).toMatchObject({ status: 'previewed', rows: 7, valid: 2, orders: 1 });
    expect(preview.body.errors).toEqual([
      { row: 5, field: 'sku', message: expect.stringContaining('unknown product') },
      { row: 6, field: 'quantity', message: expect.stringContaining('whole number, not "two"') },
      { row: 7, field: 'quantity', message: expect.stringContaining('whole number, not "2.5"') },
      { row: 8, field: 'quantity', message: expect.any(String) },
      { row: 9, field: 'quantity', message: expect.stringContaining('formulas are not evaluated') },
    ]);
    expect(await sql<{ n: number }[]>(`select count(*)::int as n from order_imports`)).toEqual([
      { n: before[0]!.n + 1 },
    ]);
    expect(await ordersWithRefs([ref('A')])).toEqual([]);

    const done = await committed(t.staff, preview.body.id);
    expect(done.results).toEqual([expect.objectContaining({ externalRef: ref('A'), created: true })]);
    const order = (
      await t.staff.get<{ lines: { sku: string; quantity: number }[] }>(
        `/api/orders/${done.results[0]!.orderId}`,
      )
    ).body;
    expect(order.lines.map(({ sku, quantity }) => ({ sku, quantity }))).toEqual([
      { sku: tea, quantity: 2 },
      { sku: cup, quantity: 3 },
    ]);
  });

  it('is not open to auditors', async () => {
    const auditor = await t.stack.client(['auditor'], 'intake-auditor');
    expect((await upload(auditor, 'orders.csv', 'externalRef,customer,sku,quantity\n')).status).toBe(403);
  });

  it("keeps a file's name as written, Chinese included (browsers send it as UTF-8)", async () => {
    const preview = await upload(
      t.staff,
      '订单 12月.csv',
      'externalRef,customer,sku,quantity\nA,nobody,X,1\n',
    );
    expect(preview.status).toBe(201);
    expect(preview.body).toMatchObject({ fileName: '订单 12月.csv', rows: 1 });
    expect((await t.staff.get<Import>(`/api/imports/${preview.body.id}`)).body).toMatchObject({
      fileName: '订单 12月.csv',
    });
  });
});

describe('API keys for machine clients', () => {
  async function newKey(name: string): Promise<{ key: string; id: string; client: ApiClient }> {
    const created = await t.admin.post<Key>('/api/api-keys', { name, roles: ['staff'] });
    expect(created.status).toBe(201);
    const key = created.body.key!;
    expect(key).toMatch(/^oms_[A-Za-z0-9_-]{43}$/);
    return { key, id: created.body.id, client: apiClient(t.stack.baseUrl, key) };
  }

  it('places an order named as the key, and is refused at once after it is revoked', async () => {
    const { customerId, skus } = await seedCatalogue(t.staff);
    const name = `shop-${randomUUID().slice(0, 8)}`;
    const { key, id, client: shop } = await newKey(name);
    const shopRef = `SHOP-${randomUUID()}`;

    const listed = await t.admin.get<{ items: Key[] }>('/api/api-keys');
    const shown = listed.body.items.find((item) => item.id === id);
    expect(shown).toMatchObject({ name, roles: ['staff'], revokedAt: null });
    expect(JSON.stringify(listed.body)).not.toContain(key);
    const [stored] = await sql<{ key_hash: string }[]>(`select key_hash from api_keys where id = ?`, [id]);
    expect(stored!.key_hash).not.toContain(key.slice(4));

    const placed = await shop.post<Order>('/api/orders', {
      customerId,
      lines: [{ sku: skus[0], quantity: 1 }],
      externalRef: shopRef,
    });
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({ source: 'api', externalRef: shopRef });
    // Orders are held by people, not by keys.
    expect((await shop.post(`/api/orders/${placed.body.id}/claim`, {})).status).toBe(403);
    const customer = await shop.post<{ id: string }>('/api/customers', {
      name: 'Walk-in',
      email: 'w@example.com',
    });
    expect(customer.status).toBe(201);
    const audit = await t.admin.get<{ items: { actor: { id: string; username: string } }[] }>(
      `/api/audit?entity=customer&entityId=${customer.body.id}`,
    );
    expect(audit.body.items.map((item) => item.actor)).toEqual([
      expect.objectContaining({ id, username: `api-key:${name}` }),
    ]);

    expect((await t.admin.call('DELETE', `/api/api-keys/${id}`)).status).toBe(204);
    const refused = await shop.get('/api/orders?limit=1');
    expect(refused.status).toBe(401);
    expect(
      (await t.admin.get<{ items: Key[] }>('/api/api-keys')).body.items.find((item) => item.id === id),
    ).toMatchObject({ revokedAt: expect.any(String) });
  });

  it('answers 429 with Retry-After once a key has made its requests for the minute', async () => {
    const { client: busy } = await newKey(`busy-${randomUUID().slice(0, 8)}`);
    for (let i = 0; i < KEY_LIMIT; i++) expect((await busy.get('/api/orders?limit=1')).status).toBe(200);
    const over = await busy.get('/api/orders?limit=1');
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('may be created by admins only, and never with the admin role', async () => {
    expect((await t.staff.post('/api/api-keys', { name: 'x', roles: ['staff'] })).status).toBe(403);
    const admin = await t.admin.post('/api/api-keys', { name: 'x', roles: ['admin'] });
    expect(admin.status).toBe(400);
    expect(admin.body).toMatchObject({ field: 'roles' });
  });
});
