import { randomUUID } from 'node:crypto';
import { ISSUE_MISSING_INVOICES } from '../db/migrations/Migration20261204910000_invoices_issued_in_pipeline';
import { sqlOf } from '../db/repositories/sql';
import type { ApiClient } from './support/http';
import { placeOrder, type OrderBody } from './support/orders';
import { pdfText as extractText } from './support/pdf-text';
import { useStack } from './support/stack';
import type { Language } from '../domain/people';

/** Invoices, packing slips and shipping labels of real orders, moved by the real workflow. */
describe('order documents', () => {
  const t = useStack({ staff: [['staff']], manager: [['manager']], auditor: [['auditor']] });

  /** A customer in the given language with an address, two products, an order of both. */
  async function order(language: Language, approve = true): Promise<OrderBody & { customerName: string }> {
    const tag = randomUUID().slice(0, 6);
    const customerName =
      language === 'en' ? `Tea <b>Lovers</b> ${tag}` : `杭州<script>茶</script>客户 ${tag}`;
    const customer = await t.staff.post<{ id: string }>('/api/customers', {
      name: customerName,
      email: `doc-${tag}@example.com`,
      phone: '13800000000',
      address: language === 'en' ? '1 Tea Street, London' : '浙江省杭州市西湖区龙井路 1 号',
      language,
    });
    expect(customer.status).toBe(201);
    for (const [index, [name, unitPrice]] of (
      [
        ['龙井茶 250g', 12990],
        ['Jasmine tea', 500],
      ] as const
    ).entries()) {
      await t.staff.post('/api/products', {
        sku: `DOC-${tag}-${index}`,
        name,
        unitPrice,
        currency: 'CNY',
        stockOnHand: 50,
      });
    }
    const placed = await placeOrder(t.staff, customer.body.id, [
      { sku: `DOC-${tag}-0`, quantity: 2 },
      { sku: `DOC-${tag}-1`, quantity: 3 },
    ]);
    if (!approve) return { ...placed, customerName };
    const approved = await t.staff.post<OrderBody>(`/api/orders/${placed.id}/approve`, {});
    expect(approved.body).toMatchObject({ status: 'processing', awaiting: 'shipment' });
    return { ...approved.body, customerName };
  }

  const invoiceNumber = (html: string) => /INV-\d{4}-(\d{6})/.exec(html)?.[0];
  const pdfText = async (response: Response) => {
    expect(response.headers.get('content-type')).toBe('application/pdf');
    return extractText(new Uint8Array(await response.arrayBuffer()));
  };
  const get = (path: string, client: ApiClient = t.staff) =>
    fetch(`${t.stack.baseUrl}${path}`, { headers: client.headers });

  it('refuses an invoice before the order is processing, naming the status', async () => {
    const waiting = await order('zh-CN', false);
    const response = await t.staff.get<{ message: string; status: string }>(
      `/api/orders/${waiting.id}/invoice`,
    );
    expect(response.status).toBe(409);
    expect(response.body.status).toBe('created');
    expect(response.body.message).toContain('created');
    expect((await t.staff.get(`/api/orders/${randomUUID()}/invoice`)).status).toBe(404);
  });

  it('issues one gap-free invoice number per order, the same on every request, even concurrent ones', async () => {
    const first = await order('zh-CN');
    const second = await order('zh-CN');
    const concurrent = await Promise.all(
      Array.from({ length: 5 }, () => get(`/api/orders/${second.id}/invoice`).then((r) => r.text())),
    );
    const numbers = new Set(concurrent.map(invoiceNumber));
    expect(numbers.size).toBe(1);
    const firstNumber = invoiceNumber(await (await get(`/api/orders/${first.id}/invoice`)).text())!;
    expect(invoiceNumber(await (await get(`/api/orders/${first.id}/invoice`, t.auditor)).text())).toBe(
      firstNumber,
    );
    const secondNumber = [...numbers][0]!;
    const sequence = (n: string) => Number(n.slice(-6));
    expect(Math.abs(sequence(secondNumber) - sequence(firstNumber))).toBe(1);
  });

  /** The invoice numbers issued so far: the counters' sum and the invoices recorded. */
  const issuedSoFar = async () => {
    const [row] = await t.stack.orm.em
      .fork()
      .getConnection()
      .execute<{ counted: number; invoices: number }[]>(
        `select (select coalesce(sum(last), 0)::int from invoice_counters) as counted,
                (select count(*)::int from invoices) as invoices`,
      );
    return row!;
  };
  const storedInvoiceNumber = async (orderId: string) => {
    const rows = await t.stack.orm.em
      .fork()
      .getConnection()
      .execute<{ number: string }[]>(`select number from invoices where order_id = ?`, [orderId]);
    return rows[0]?.number ?? null;
  };

  it('issues the invoice number as the order starts processing, before anyone reads it', async () => {
    const waiting = await order('zh-CN', false);
    expect(await storedInvoiceNumber(waiting.id)).toBeNull();
    const approved = await t.staff.post(`/api/orders/${waiting.id}/approve`, {});
    expect(approved.status).toBe(200);
    const number = await storedInvoiceNumber(waiting.id);
    expect(number).toMatch(/^INV-\d{4}-\d{6}$/);
    expect(invoiceNumber(await (await get(`/api/orders/${waiting.id}/invoice`)).text())).toBe(number);
  });

  it("writes nothing when anyone reads an invoice: an auditor's read consumes no number", async () => {
    const waiting = await order('zh-CN', false);
    const processing = await order('en');
    const before = await issuedSoFar();
    expect((await get(`/api/orders/${waiting.id}/invoice`, t.auditor)).status).toBe(409);
    for (const client of [t.auditor, t.staff]) {
      const html = await get(`/api/orders/${processing.id}/invoice`, client);
      expect(html.status).toBe(200);
      expect(invoiceNumber(await html.text())).toBe(await storedInvoiceNumber(processing.id));
    }
    expect(await issuedSoFar()).toEqual(before);
    expect(before.counted).toBe(before.invoices);
  });

  it("keeps each year's invoice numbers gap-free: 1 to the counter's last, each once", async () => {
    await order('zh-CN');
    const rows = await t.stack.orm.em
      .fork()
      .getConnection()
      .execute<{ year: number; last: number; numbers: string[] }[]>(
        `select c.year, c.last, coalesce(array_agg(i.number order by i.number)
                  filter (where i.number is not null), '{}') as numbers
           from invoice_counters c left join invoices i on i.number like 'INV-' || c.year || '-%'
          group by c.year, c.last`,
      );
    expect(rows.length).toBeGreaterThan(0);
    for (const { year, last, numbers } of rows) {
      const expected = Array.from(
        { length: last },
        (_, i) => `INV-${year}-${String(i + 1).padStart(6, '0')}`,
      );
      expect(numbers).toEqual(expected);
    }
  });

  it('numbers, at the upgrade, the invoice of an order that was processing before numbers were issued so', async () => {
    const placed = await order('zh-CN');
    const issued = await storedInvoiceNumber(placed.id);
    // As the order stood before the upgrade: processing, no number (it is the newest, so no gap is left).
    const renumbered = await t.stack.orm.em.fork().transactional(async (em) => {
      const sql = sqlOf(em);
      await sql(`lock table invoice_counters in exclusive mode`);
      const [{ year, last } = { year: 0, last: 0 }] = await sql<{ year: number; last: number }[]>(
        `select year, last from invoice_counters order by year desc limit 1`,
      );
      expect(issued).toBe(`INV-${year}-${String(last).padStart(6, '0')}`);
      await sql(`delete from invoices where order_id = ?`, [placed.id]);
      await sql(`update invoice_counters set last = last - 1 where year = ?`, [year]);
      await sql(ISSUE_MISSING_INVOICES);
      return (
        await sql<{ number: string }[]>(`select number from invoices where order_id = ?`, [placed.id])
      )[0]?.number;
    });
    expect(renumbered).toBe(issued);
    const before = await issuedSoFar();
    await t.stack.orm.em.fork().getConnection().execute(ISSUE_MISSING_INVOICES);
    expect(await issuedSoFar()).toEqual(before);
  });

  it('renders the invoice as HTML in the customer language, every value escaped, with a barcode image', async () => {
    const zh = await order('zh-CN');
    const response = await get(`/api/orders/${zh.id}/invoice`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('发票');
    expect(html).toContain(zh.number);
    expect(html).not.toContain('<script>茶');
    expect(html).toContain('杭州&lt;script&gt;茶&lt;/script&gt;客户');
    // Handlebars escapes `=` in attributes as `&#x3D;`, which a browser decodes back.
    const src = /<img class="barcode" alt="SO-[^"]+" src="data:image\/svg\+xml;base64,([^"]+)">/.exec(
      html,
    )?.[1];
    expect(Buffer.from(src!.replace(/&#x3D;/g, '='), 'base64').toString('utf8')).toMatch(/^<svg /);
    const en = await order('en');
    const english = await (await get(`/api/orders/${en.id}/invoice`)).text();
    expect(english).toContain('Invoice');
    expect(english).toContain('Tea &lt;b&gt;Lovers&lt;/b&gt;');
  });

  it.each(['zh-CN', 'en'] as const)(
    'renders a %s invoice PDF whose text holds its number, lines and total',
    async (language) => {
      const placed = await order(language);
      const html = await (await get(`/api/orders/${placed.id}/invoice`)).text();
      const text = await pdfText(await get(`/api/orders/${placed.id}/invoice?format=pdf`));
      expect(text).toContain(invoiceNumber(html)!);
      expect(text).toContain(placed.number);
      expect(text).toContain('龙井茶 250g');
      expect(text).toContain('Jasmine tea');
      // 2 × 129.90 + 3 × 5.00 = 274.80, in the customer's language.
      expect(placed.total).toBe(27480);
      expect(text).toContain('274.80');
      expect(text).toContain(language === 'en' ? 'Total' : '价税合计');
      expect(text).toContain(language === 'en' ? 'Invoice' : '发票');
    },
  );

  it('prints packing slips and shipping labels with recipient, carrier, tracking number and barcode', async () => {
    const placed = await order('zh-CN');
    const slip = await (await get(`/api/orders/${placed.id}/packing-slip`)).text();
    expect(slip).toContain('装箱单');
    expect(slip).toContain('龙井茶 250g');
    expect(slip).not.toContain('129.90');
    const before = await (await get(`/api/orders/${placed.id}/shipping-label`)).text();
    expect(before).toContain('尚未发货');
    const shipped = await t.staff.post(`/api/orders/${placed.id}/ship`, {
      carrier: '顺丰速运',
      trackingNumber: 'SF1234567890',
    });
    expect(shipped.status).toBe(200);
    const label = await (await get(`/api/orders/${placed.id}/shipping-label`)).text();
    expect(label).toContain('顺丰速运');
    expect(label).toContain('SF1234567890');
    expect(label).toContain('浙江省杭州市西湖区龙井路 1 号');
    expect(label).toContain('data:image/svg+xml;base64,');
    const labelPdf = await pdfText(
      await get(`/api/orders/${placed.id}/shipping-label?format=pdf`, t.auditor),
    );
    expect(labelPdf).toContain('SF1234567890');
    expect(labelPdf).toContain('顺丰速运');
    expect(await pdfText(await get(`/api/orders/${placed.id}/packing-slip?format=pdf`))).toContain(
      '龙井茶 250g',
    );
    expect((await t.staff.get(`/api/orders/${placed.id}/invoice?format=docx`)).status).toBe(400);
  });

  it('prints the seller settings managers keep, audited; an issued invoice keeps the seller it had', async () => {
    const issued = await order('zh-CN');
    await get(`/api/orders/${issued.id}/invoice`);
    const seller = {
      name: `龙井茶业 ${randomUUID().slice(0, 4)}`,
      address: '杭州',
      taxId: '91330100TEST',
      taxRateBp: 600,
    };
    const changed = await t.manager.put<{ name: string }>('/api/settings/seller', seller);
    expect(changed.status).toBe(200);
    expect((await t.staff.put('/api/settings/seller', seller)).status).toBe(403);
    expect(
      (await t.manager.put<{ message: string }>('/api/settings/seller', { ...seller, taxRateBp: 10001 })).body
        .message,
    ).toContain('taxRateBp');
    const audit = await t.manager.get<{ items: { action: string; after: { name: string } }[] }>(
      '/api/audit?entity=settings&entityId=seller',
    );
    expect(audit.body.items[0]).toMatchObject({
      action: 'settings.seller_changed',
      after: { name: seller.name },
    });
    expect(await (await get(`/api/orders/${issued.id}/invoice`)).text()).not.toContain(seller.name);
    const fresh = await order('zh-CN');
    const html = await (await get(`/api/orders/${fresh.id}/invoice`)).text();
    expect(html).toContain(seller.name);
    expect(html).toContain('6%');
  });

  it('records the stage transitions with the times the workflow gave them, once each', async () => {
    const placed = await order('zh-CN');
    const rows = await t.stack.orm.em
      .fork()
      .getConnection()
      .execute<{ version: number; stage: string; entered_at: Date; left_at: Date | null }[]>(
        `select version, stage, entered_at, left_at from order_transitions where order_id = ? order by version`,
        [placed.id],
      );
    expect(rows[0]!.stage).toBe('created/approval');
    expect(new Date(rows[0]!.entered_at).toISOString()).toBe(new Date(placed.createdAt).toISOString());
    const last = rows[rows.length - 1]!;
    expect(last.stage).toBe('processing/shipment');
    expect(last.left_at).toBeNull();
    const { snapshot } = (
      await t.stack.orm.em
        .fork()
        .getConnection()
        .execute<{ snapshot: { awaitingSince: string } }[]>(`select snapshot from orders where id = ?`, [
          placed.id,
        ])
    )[0]!;
    expect(new Date(last.entered_at).toISOString()).toBe(snapshot.awaitingSince);
    for (const [index, row] of rows.slice(0, -1).entries()) {
      expect(new Date(row.left_at!).toISOString()).toBe(new Date(rows[index + 1]!.entered_at).toISOString());
    }
    expect(new Set(rows.map((row) => row.stage)).size).toBe(rows.length);
  });
});
