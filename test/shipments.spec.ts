import { randomUUID } from 'node:crypto';
import { Worker } from '@temporalio/worker';
import { orderWorkflowId } from '../workflows/order.definitions';
import { eventually, seedCatalogue } from './support/fixtures';
import type { ApiClient } from './support/http';
import { placeOrder, stockOf, type OrderBody } from './support/orders';
import { readFileSync } from 'node:fs';
import { trackingKey, trackingToken } from '../config/tracking-link';
import { LOG_FILE, startStack, type TestStack } from './support/stack';

/**
 * Partial shipments (issue 24, first slice): an order ships in parts, each with its own carrier and tracking
 * number, and is `shipped` once its last unit has left. Against the real API, workflow and PostgreSQL.
 */
type Line = { sku: string; quantity: number; shippedQuantity: number };
type Shipment = {
  id: string;
  lines: { sku: string; quantity: number }[];
  location: string;
  carrier: string;
  trackingNumber: string;
  shippedAt: string;
};
type Order = OrderBody & { lines: Line[]; shipments: Shipment[]; actions: string[]; version?: number };
type Refusal = { statusCode: number; message: string; field?: string; status?: string };

describe('shipping an order in parts', () => {
  let stack: TestStack;
  let api: ApiClient;

  beforeAll(async () => {
    stack = await startStack();
    api = await stack.client(['staff'], 'packer');
  });
  afterAll(() => stack.close());

  const sql = <T>(query: string, params: unknown[] = []) =>
    stack.orm.em.fork().getConnection().execute<T & object>(query, params) as Promise<T>;

  const shipmentRows = (orderId: string) =>
    sql<{ id: string; carrier: string; tracking_number: string; location: string }[]>(
      `select id, carrier, tracking_number, location from order_shipments where order_id = ? order by shipped_at`,
      [orderId],
    );

  /** An order of 10 tea and 2 cups, approved: stock reserved, paid, awaiting shipment. */
  async function readyOrder(): Promise<{ order: Order; tea: string; cup: string }> {
    const { customerId, skus } = await seedCatalogue(api, [
      { unitPrice: 1000, stockOnHand: 100 },
      { unitPrice: 500, stockOnHand: 100 },
    ]);
    const [tea, cup] = [skus[0]!, skus[1]!];
    const placed = await placeOrder(api, customerId, [
      { sku: tea, quantity: 10 },
      { sku: cup, quantity: 2 },
    ]);
    const approved = await api.post<Order>(`/api/orders/${placed.id}/approve`, {});
    expect(approved.body).toMatchObject({ status: 'processing', awaiting: 'shipment' });
    return { order: approved.body, tea, cup };
  }

  it('ships 8 of 10 today and the rest later, shipped only when the last unit has left', async () => {
    const { order, tea, cup } = await readyOrder();

    const first = await api.post<Shipment>(`/api/orders/${order.id}/shipments`, {
      lines: [{ sku: tea, quantity: 8 }],
      carrier: 'SF Express',
      trackingNumber: 'SF-PART-1',
    });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      id: expect.any(String),
      lines: [{ sku: tea, quantity: 8 }],
      location: 'MAIN',
      carrier: 'SF Express',
      trackingNumber: 'SF-PART-1',
      shippedAt: expect.any(String),
    });

    const partly = (await api.get<Order>(`/api/orders/${order.id}`)).body;
    expect(partly).toMatchObject({ status: 'processing', awaiting: 'shipment', shipment: null });
    expect(partly.shipments).toEqual([first.body]);
    expect(partly.lines.map((line) => [line.sku, line.quantity, line.shippedQuantity])).toEqual([
      [tea, 10, 8],
      [cup, 2, 0],
    ]);
    // An edit and a cancellation touch only the rest (what has shipped stays shipped).
    expect(partly.actions).toEqual(['edit', 'ship', 'cancel']);
    // The 8 left the warehouse; the other 2 stay reserved for this order.
    expect(await stockOf(api, tea)).toMatchObject({ stockOnHand: 92, reserved: 2, available: 90 });
    expect(await stockOf(api, cup)).toMatchObject({ stockOnHand: 100, reserved: 2 });

    const second = await api.post<Shipment>(`/api/orders/${order.id}/shipments`, {
      lines: [
        { sku: cup, quantity: 2 },
        { sku: tea, quantity: 2 },
      ],
      location: 'MAIN',
      carrier: 'EMS',
      trackingNumber: 'EMS-PART-2',
    });
    expect(second.status).toBe(201);
    expect(second.body.lines).toEqual([
      { sku: tea, quantity: 2 },
      { sku: cup, quantity: 2 },
    ]);

    const shipped = (await api.get<Order>(`/api/orders/${order.id}`)).body;
    expect(shipped).toMatchObject({
      status: 'shipped',
      awaiting: 'delivery',
      shipment: { carrier: 'EMS', trackingNumber: 'EMS-PART-2', shippedAt: second.body.shippedAt },
    });
    expect(shipped.shipments.map((s) => s.trackingNumber)).toEqual(['SF-PART-1', 'EMS-PART-2']);
    expect(shipped.lines.map((line) => line.shippedQuantity)).toEqual([10, 2]);
    expect(await stockOf(api, tea)).toMatchObject({ stockOnHand: 90, reserved: 0 });
    expect(await stockOf(api, cup)).toMatchObject({ stockOnHand: 98, reserved: 0 });
    expect(await shipmentRows(order.id)).toEqual([
      { id: first.body.id, carrier: 'SF Express', tracking_number: 'SF-PART-1', location: 'MAIN' },
      { id: second.body.id, carrier: 'EMS', tracking_number: 'EMS-PART-2', location: 'MAIN' },
    ]);

    const completed = await api.post<Order>(`/api/orders/${order.id}/complete`, {});
    expect(completed.body).toMatchObject({ status: 'completed' });

    // The order's history tells who shipped what, and which parcel left with which tracking number.
    const manager = await stack.client(['manager'], 'floor-manager');
    const history = await manager.get<{
      items: { kind: string; actor: { username: string } | null; details: Record<string, unknown> }[];
    }>(`/api/orders/${order.id}/history`);
    expect(history.body.items.filter((step) => step.kind === 'action.shipPart')).toEqual([
      expect.objectContaining({ actor: expect.objectContaining({ username: 'packer' }) }),
      expect.objectContaining({ actor: expect.objectContaining({ username: 'packer' }) }),
    ]);
    expect(
      history.body.items
        .filter((step) => step.kind === 'stock.shipped')
        .map((step) => [step.details.shipmentId, step.details.trackingNumber]),
    ).toEqual([
      [first.body.id, 'SF-PART-1'],
      [second.body.id, 'EMS-PART-2'],
    ]);
  });

  it('ships everything that is left with the single ship action, after a partial shipment', async () => {
    const { order, tea, cup } = await readyOrder();
    await api.post(`/api/orders/${order.id}/shipments`, {
      lines: [{ sku: tea, quantity: 3 }],
      carrier: 'SF Express',
      trackingNumber: 'SF-A',
    });

    const rest = await api.post<Order>(`/api/orders/${order.id}/ship`, {
      carrier: 'ZTO',
      trackingNumber: 'ZTO-REST',
    });
    expect(rest.status).toBe(200);
    expect(rest.body).toMatchObject({ status: 'shipped', awaiting: 'delivery' });
    expect(rest.body.shipments.map((s) => s.lines)).toEqual([
      [{ sku: tea, quantity: 3 }],
      [
        { sku: tea, quantity: 7 },
        { sku: cup, quantity: 2 },
      ],
    ]);
    expect(await stockOf(api, tea)).toMatchObject({ stockOnHand: 90, reserved: 0 });
    expect(await shipmentRows(order.id)).toHaveLength(2);
  });

  it('ships many orders of one product at once without a deadlock between their shipments', async () => {
    const { customerId, skus } = await seedCatalogue(api, [{ unitPrice: 100, stockOnHand: 50 }]);
    const sku = skus[0]!;
    const orders = await Promise.all(
      Array.from({ length: 8 }, () => placeOrder(api, customerId, [{ sku, quantity: 2 }])),
    );
    for (const order of orders) await api.post(`/api/orders/${order.id}/approve`, {});
    // Half by the ship action, half as a shipment of every unit: both take the same step.
    const shipped = await Promise.all(
      orders.map((order, index) =>
        index % 2 === 0
          ? api.post<Order>(`/api/orders/${order.id}/ship`, { carrier: 'SF', trackingNumber: `SF-${index}` })
          : api.post<Shipment>(`/api/orders/${order.id}/shipments`, {
              lines: [{ sku, quantity: 2 }],
              carrier: 'SF',
              trackingNumber: `SF-${index}`,
            }),
      ),
    );
    expect(shipped.map((response) => response.status)).toEqual(
      orders.map((_, i) => (i % 2 === 0 ? 200 : 201)),
    );
    expect(await stockOf(api, sku)).toMatchObject({ stockOnHand: 34, reserved: 0 });
    // No shipment's step failed and was retried on a deadlock (PostgreSQL's 40P01) on the way.
    expect(readFileSync(LOG_FILE, 'utf8')).not.toMatch(/40P01|deadlock detected/);
  });

  it('makes a shipment once per Idempotency-Key, even when the request is repeated at once', async () => {
    const { order, tea, cup } = await readyOrder();
    const body = { lines: [{ sku: tea, quantity: 3 }], carrier: 'SF', trackingNumber: 'SF-ONCE' };
    const send = (key: string, request: unknown = body) =>
      api.post<{ id: string; lines: { sku: string; quantity: number }[] }>(
        `/api/orders/${order.id}/shipments`,
        request,
        { 'idempotency-key': key },
      );
    const key = `ship-${randomUUID()}`;
    // Two at once, as a client repeats a request whose answer it lost: one shipment, both answered with it.
    const [first, second] = await Promise.all([send(key), send(key)]);
    expect([first.status, second.status].every((status) => status === 200 || status === 201)).toBe(true);
    expect(second.body.id).toBe(first.body.id);
    const again = await send(key);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await shipmentRows(order.id)).toHaveLength(1);
    const after = (await api.get<Order>(`/api/orders/${order.id}`)).body;
    expect(after.shipments).toHaveLength(1);
    expect(after.lines.map((line) => line.shippedQuantity)).toEqual([3, 0]);

    // The key with another body is a 422 and ships nothing; a malformed key is a 400 naming the header.
    const other = await send(key, { ...body, lines: [{ sku: cup, quantity: 1 }] });
    expect(other.status).toBe(422);
    expect((await send('bad key with spaces')).status).toBe(400);
    // Another key is another shipment.
    expect((await send(`ship-${randomUUID()}`)).status).toBe(201);
    expect(await shipmentRows(order.id)).toHaveLength(2);
    expect(
      (await api.get<Order>(`/api/orders/${order.id}`)).body.lines.map((l) => l.shippedQuantity),
    ).toEqual([6, 0]);
  });

  it('records a whole-order ship as one shipment of every line', async () => {
    const { order, tea, cup } = await readyOrder();
    const shipped = await api.post<Order>(`/api/orders/${order.id}/ship`, {
      carrier: 'SF Express',
      trackingNumber: 'SF-ALL',
    });
    expect(shipped.body.shipments).toEqual([
      expect.objectContaining({
        lines: [
          { sku: tea, quantity: 10 },
          { sku: cup, quantity: 2 },
        ],
        trackingNumber: 'SF-ALL',
      }),
    ]);
    expect(shipped.body.lines.map((line) => line.shippedQuantity)).toEqual([10, 2]);
  });

  it("lists partly shipped orders with the board's filter (partlyShipped), and drops them once all has shipped", async () => {
    const { order, tea, cup } = await readyOrder();
    const { customerId } = order as Order & { customerId: string };
    // Another order of the same customer, approved and not shipped at all.
    const untouched = await placeOrder(api, customerId, [{ sku: cup, quantity: 1 }]);
    await api.post(`/api/orders/${untouched.id}/approve`, {});
    const ids = async (query: string) =>
      (await api.get<{ items: Order[] }>(`/api/orders?customerId=${customerId}&${query}`)).body.items.map(
        (listed) => listed.id,
      );

    expect(await ids('partlyShipped=true')).toEqual([]);
    expect(await ids('partlyShipped=false')).toEqual([untouched.id, order.id]);

    await api.post(`/api/orders/${order.id}/shipments`, {
      lines: [{ sku: tea, quantity: 4 }],
      carrier: 'SF Express',
      trackingNumber: 'SF-BOARD-1',
    });
    expect(await ids('partlyShipped=true')).toEqual([order.id]);
    expect(await ids('partlyShipped=false')).toEqual([untouched.id]);
    // It combines with the other filters and with search, as they combine with each other.
    expect(await ids('partlyShipped=true&status=processing&awaiting=shipment')).toEqual([order.id]);
    expect(await ids(`partlyShipped=true&q=${encodeURIComponent(order.number)}`)).toEqual([order.id]);
    expect(await ids(`partlyShipped=true&q=${encodeURIComponent(untouched.number)}`)).toEqual([]);
    const listed = (
      await api.get<{ items: Order[] }>(`/api/orders?customerId=${customerId}&partlyShipped=true`)
    ).body.items[0]!;
    expect(listed.lines.map((line) => line.shippedQuantity)).toEqual([4, 0]);

    // The shipment that takes the last unit makes it shipped: no longer partly shipped.
    await api.post(`/api/orders/${order.id}/ship`, { carrier: 'EMS', trackingNumber: 'EMS-BOARD-2' });
    expect(await ids('partlyShipped=true')).toEqual([]);
    expect(await ids('partlyShipped=false')).toEqual([untouched.id, order.id]);

    // Anything but true or false is a 400 naming the filter; a saved view keeps it.
    const refused = await api.get<Refusal>('/api/orders?partlyShipped=yes');
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/partlyShipped/);
    const view = await api.post<{ filters: Record<string, unknown> }>('/api/views', {
      name: `Partly shipped ${order.number}`,
      filters: { partlyShipped: true, customerId },
    });
    expect(view.status).toBe(201);
    expect(view.body.filters).toEqual({ partlyShipped: true, customerId });
  });

  describe('documents and tracking per shipment', () => {
    let order: Order;
    let tea: string;
    let cup: string;
    let first: Shipment;
    let second: Shipment;

    beforeAll(async () => {
      ({ order, tea, cup } = await readyOrder());
      first = (
        await api.post<Shipment>(`/api/orders/${order.id}/shipments`, {
          lines: [{ sku: tea, quantity: 8 }],
          carrier: 'SF Express',
          trackingNumber: 'SF-DOC-1',
        })
      ).body;
      second = (
        await api.post<Shipment>(`/api/orders/${order.id}/shipments`, {
          lines: [
            { sku: tea, quantity: 2 },
            { sku: cup, quantity: 1 },
          ],
          carrier: 'EMS',
          trackingNumber: 'EMS-DOC-2',
        })
      ).body;
    });

    const document = (shipment: Shipment, kind: string, query = '') =>
      api.get<string>(`/api/orders/${order.id}/shipments/${shipment.id}/${kind}${query}`);

    /** The quantity column of the packing slip's rows, by SKU. */
    const packed = (html: string) =>
      [...html.matchAll(/<tr><td>([^<]+)<\/td><td>[^<]*<\/td><td class="n">(\d+)<\/td><\/tr>/g)].map(
        ([, sku, quantity]) => [sku, Number(quantity)],
      );

    it("prints a packing slip of that shipment's lines only, in the customer's language", async () => {
      const slip = await document(first, 'packing-slip');
      expect(slip.status).toBe(200);
      expect(slip.body).toContain('<html lang="zh-CN">');
      expect(slip.body).toContain('装箱单');
      expect(packed(slip.body)).toEqual([[tea, 8]]);
      const other = await document(second, 'packing-slip');
      expect(packed(other.body)).toEqual([
        [tea, 2],
        [cup, 1],
      ]);
      // The order's own packing slip still lists every line.
      const whole = await api.get<string>(`/api/orders/${order.id}/packing-slip`);
      expect(packed(whole.body)).toEqual([
        [tea, 10],
        [cup, 2],
      ]);

      await api.patch(`/api/customers/${order.customerId as string}`, { language: 'en' });
      const english = await document(second, 'packing-slip');
      expect(english.body).toContain('<html lang="en">');
      expect(english.body).toContain('Packing slip');
      expect(packed(english.body)).toEqual([
        [tea, 2],
        [cup, 1],
      ]);
      await api.patch(`/api/customers/${order.customerId as string}`, { language: 'zh-CN' });
    });

    it("prints a shipping label with that shipment's carrier and tracking number, HTML or PDF", async () => {
      const label = await document(first, 'shipping-label');
      expect(label.status).toBe(200);
      expect(label.body).toContain('SF Express');
      expect(label.body).toContain('SF-DOC-1');
      expect(label.body).not.toContain('EMS-DOC-2');
      const other = await document(second, 'shipping-label');
      expect(other.body).toContain('EMS-DOC-2');
      expect(other.body).not.toContain('SF-DOC-1');

      const pdf = await fetch(
        `${stack.baseUrl}/api/orders/${order.id}/shipments/${first.id}/shipping-label?format=pdf`,
        { headers: api.headers },
      );
      expect(pdf.status).toBe(200);
      expect(pdf.headers.get('content-type')).toBe('application/pdf');
      expect(pdf.headers.get('content-disposition')).toMatch(/-shipping-label-1\.pdf"$/);
    });

    it('shows each shipment on the tracking page: when, carrier, tracking number and units per item', async () => {
      const page = await fetch(
        `${stack.baseUrl}/track/${trackingToken(trackingKey(stack.config), order.id)}`,
      );
      expect(page.status).toBe(200);
      const html = await page.text();
      const parcels = [
        ...html.matchAll(/<dl class="shipment" data-tracking-number="([^"]+)">([\s\S]*?)<\/dl>/g),
      ];
      expect(parcels.map(([, trackingNumber]) => trackingNumber)).toEqual(['SF-DOC-1', 'EMS-DOC-2']);
      const [one, two] = parcels.map(([, , body]) => body!);
      expect(one).toContain(`<time datetime="${first.shippedAt}">`);
      expect(one).toContain('SF Express');
      expect([...one!.matchAll(/data-item="(\d+)">[^<]* × (\d+)</g)].map(([, i, q]) => [i, q])).toEqual([
        ['1', '8'],
      ]);
      expect([...two!.matchAll(/data-item="(\d+)">[^<]* × (\d+)</g)].map(([, i, q]) => [i, q])).toEqual([
        ['1', '2'],
        ['2', '1'],
      ]);
      // Still nothing about the products themselves: the page keeps SKUs and names to itself.
      expect(html).not.toContain(tea);
      expect(html).not.toContain('Product 0');
    });
  });

  it('edits what has not shipped of a partly shipped order: stock, money and the shipped units follow', async () => {
    // 10 tea at 10.00 and 2 cups at 5.00 (110.00 paid); 6 tea leave; then the tea's price goes up.
    const { order, tea, cup } = await readyOrder();
    const first = await api.post<Shipment>(`/api/orders/${order.id}/shipments`, {
      lines: [{ sku: tea, quantity: 6 }],
      carrier: 'SF Express',
      trackingNumber: 'SF-EDIT-1',
    });
    expect(first.status).toBe(201);
    const teaProduct = await stockOf(api, tea);
    expect((await api.patch(`/api/products/${teaProduct.id}`, { unitPrice: 1200 })).status).toBe(200);

    // The rest of the tea goes down to 2 (8 in all), the cups up to 3: the tea keeps the price it was sold at.
    const edited = await api.patch<Order>(`/api/orders/${order.id}`, {
      lines: [
        { sku: tea, quantity: 8 },
        { sku: cup, quantity: 3 },
      ],
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ status: 'processing', awaiting: 'shipment', total: 9500 });
    expect(edited.body.lines.map((line) => [line.sku, line.quantity, line.shippedQuantity])).toEqual([
      [tea, 8, 6],
      [cup, 3, 0],
    ]);
    // Reserved: what is left to ship, 2 tea and 3 cups; the difference (15.00) refunded.
    expect(await stockOf(api, tea)).toMatchObject({ stockOnHand: 94, reserved: 2 });
    expect(await stockOf(api, cup)).toMatchObject({ stockOnHand: 100, reserved: 3 });
    const paid = await eventually(
      () => api.get<Order>(`/api/orders/${order.id}`),
      (answer) => answer.body.payment?.amount === 9500,
    );
    expect(paid.body.payment).toMatchObject({ status: 'captured', amount: 9500 });

    // The rest leaves with the single ship action: shipped, 8 tea and 3 cups in all.
    const rest = await api.post<Order>(`/api/orders/${order.id}/ship`, {
      carrier: 'SF Express',
      trackingNumber: 'SF-EDIT-2',
    });
    expect(rest.body.status).toBe('shipped');
    expect(rest.body.shipments.map((shipment) => shipment.lines)).toEqual([
      [{ sku: tea, quantity: 6 }],
      [
        { sku: tea, quantity: 2 },
        { sku: cup, quantity: 3 },
      ],
    ]);
    expect(await stockOf(api, tea)).toMatchObject({ stockOnHand: 92, reserved: 0 });
    expect(await stockOf(api, cup)).toMatchObject({ stockOnHand: 97, reserved: 0 });
    const handle = stack.temporal.workflow.getHandle(orderWorkflowId(order.id));
    await Worker.runReplayHistory(
      { workflowBundle: { codePath: process.env.OMS_TEST_WORKFLOW_BUNDLE! } },
      await handle.fetchHistory(),
      handle.workflowId,
    );
  });

  describe('cancelling a partly shipped order', () => {
    const ledger = (orderId: string) =>
      sql<{ kind: string; status: string; amount: string }[]>(
        `select kind, status, amount from payments where order_id = ? order by id`,
        [orderId],
      );

    it('cancels only what has not shipped: releases its stock and refunds its value, once', async () => {
      // 10 tea at 10.00 and 2 cups at 5.00: 110.00 paid; 8 tea (80.00) leave before the cancellation.
      const { order, tea, cup } = await readyOrder();
      const shipped = await api.post<Shipment>(`/api/orders/${order.id}/shipments`, {
        lines: [{ sku: tea, quantity: 8 }],
        carrier: 'SF Express',
        trackingNumber: 'SF-KEEP',
      });
      expect(shipped.status).toBe(201);

      const cancelled = await api.post<Order>(`/api/orders/${order.id}/cancel`, {
        reason: 'the rest is not wanted',
      });
      expect(cancelled.status).toBe(200);
      expect(cancelled.body).toMatchObject({
        status: 'cancelled',
        awaiting: null,
        payment: { status: 'refunded', amount: 8000 },
      });
      // What left stays recorded on the order.
      expect(cancelled.body.shipments).toEqual([shipped.body]);
      expect(cancelled.body.lines.map((line) => line.shippedQuantity)).toEqual([8, 0]);

      // The 2 tea and 2 cups still in the warehouse are free again; the 8 shipped are gone.
      expect(await stockOf(api, tea)).toMatchObject({ stockOnHand: 92, reserved: 0, available: 92 });
      expect(await stockOf(api, cup)).toMatchObject({ stockOnHand: 100, reserved: 0, available: 100 });
      // Exactly the unshipped value (2 × 10.00 + 2 × 5.00) went back, in one refund.
      const refunds = (await ledger(order.id)).filter((row) => row.kind === 'refund');
      expect(refunds).toEqual([{ kind: 'refund', status: 'succeeded', amount: '3000' }]);

      // A second cancellation is refused and refunds nothing more.
      const again = await api.post<Refusal>(`/api/orders/${order.id}/cancel`, { reason: 'twice' });
      expect(again.status).toBe(409);
      expect((await ledger(order.id)).filter((row) => row.kind === 'refund')).toHaveLength(1);

      // The history tells it: the shipment, the cancellation, the release and the refund of 30.00.
      const manager = await stack.client(['manager'], 'floor-manager');
      const history = await manager.get<{ items: { kind: string; details: Record<string, unknown> }[] }>(
        `/api/orders/${order.id}/history`,
      );
      const kinds = history.body.items.map((step) => step.kind);
      expect(kinds).toEqual(expect.arrayContaining(['stock.shipped', 'action.cancel', 'stock.released']));
      expect(kinds.indexOf('stock.shipped')).toBeLessThan(kinds.indexOf('action.cancel'));
      expect(history.body.items.filter((step) => step.kind === 'payment.refunded')).toEqual([
        expect.objectContaining({ details: expect.objectContaining({ amount: 3000 }) }),
      ]);

      // The shipment that left keeps its documents after the cancellation.
      const slip = await api.get<string>(`/api/orders/${order.id}/shipments/${shipped.body.id}/packing-slip`);
      expect(slip.status).toBe(200);
      const whole = await api.get<Refusal>(`/api/orders/${order.id}/packing-slip`);
      expect(whole.status).toBe(409);
    });
  });

  describe('refuses, writing nothing,', () => {
    let order: Order;
    let tea: string;
    let cup: string;
    const attempt = (body: object, id = order.id) =>
      api.post<Refusal>(`/api/orders/${id}/shipments`, {
        carrier: 'SF Express',
        trackingNumber: 'SF-X',
        ...body,
      });

    beforeAll(async () => {
      ({ order, tea, cup } = await readyOrder());
      const first = await attempt({ lines: [{ sku: tea, quantity: 6 }] });
      expect(first.status).toBe(201);
    });

    /** The order, its stock and its shipment rows are as they were after the first shipment. */
    async function nothingChanged(): Promise<void> {
      const now = (await api.get<Order>(`/api/orders/${order.id}`)).body;
      expect(now).toMatchObject({ status: 'processing', awaiting: 'shipment' });
      expect(now.shipments).toHaveLength(1);
      expect(now.lines.map((line) => line.shippedQuantity)).toEqual([6, 0]);
      expect(await stockOf(api, tea)).toMatchObject({ stockOnHand: 94, reserved: 4 });
      expect(await shipmentRows(order.id)).toHaveLength(1);
    }

    it('more units of a line than are left to ship (409, naming the field and the status)', async () => {
      const refused = await attempt({ lines: [{ sku: tea, quantity: 5 }] });
      expect(refused.status).toBe(409);
      expect(refused.body.message).toMatch(/lines\.0\.quantity 5 of .* is more than is left to ship \(4\)/);
      expect(refused.body.status).toBe('processing');
      await nothingChanged();
    });

    it('a line the order does not have (400, naming the field)', async () => {
      const refused = await attempt({
        lines: [
          { sku: cup, quantity: 1 },
          { sku: 'NOT-ON-THIS-ORDER', quantity: 1 },
        ],
      });
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ field: 'lines.1.sku' });
      expect(refused.body.message).toMatch(/^lines\.1\.sku "NOT-ON-THIS-ORDER" is not a line of this order/);
      await nothingChanged();
    });

    it('the same line twice (400)', async () => {
      const refused = await attempt({
        lines: [
          { sku: tea, quantity: 1 },
          { sku: tea, quantity: 1 },
        ],
      });
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ field: 'lines.1.sku' });
      await nothingChanged();
    });

    it('a zero or negative quantity, or no lines (400, naming the field)', async () => {
      for (const quantity of [0, -2]) {
        const refused = await attempt({ lines: [{ sku: tea, quantity }] });
        expect(refused.status).toBe(400);
        expect(refused.body.message).toMatch(/^lines\.0\.quantity/);
      }
      expect((await attempt({ lines: [] })).status).toBe(400);
      await nothingChanged();
    });

    it('a stock location other than MAIN (400, naming the field)', async () => {
      const refused = await attempt({ lines: [{ sku: tea, quantity: 1 }], location: 'EAST' });
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ field: 'location' });
      await nothingChanged();
    });

    it('an edit that takes away shipped units, or leaves nothing to ship (409, naming the field)', async () => {
      const fewer = await api.patch<Refusal>(`/api/orders/${order.id}`, {
        lines: [
          { sku: tea, quantity: 5 },
          { sku: cup, quantity: 2 },
        ],
      });
      expect(fewer.status).toBe(409);
      expect(fewer.body).toMatchObject({ field: 'lines.0.quantity', status: 'processing' });
      expect(fewer.body.message).toContain('has shipped 6 units');
      const gone = await api.patch<Refusal>(`/api/orders/${order.id}`, {
        lines: [{ sku: cup, quantity: 2 }],
      });
      expect(gone.status).toBe(409);
      expect(gone.body).toMatchObject({ field: 'lines' });
      const nothingLeft = await api.patch<Refusal>(`/api/orders/${order.id}`, {
        lines: [{ sku: tea, quantity: 6 }],
      });
      expect(nothingLeft.status).toBe(409);
      expect(nothingLeft.body.message).toContain('leaves nothing to ship');
      await nothingChanged();
    });

    it("a shipment's documents asked for under another order, or a shipment that does not exist (404)", async () => {
      const own = (await api.get<Order>(`/api/orders/${order.id}`)).body.shipments[0]!;
      const other = await readyOrder();
      for (const kind of ['packing-slip', 'shipping-label']) {
        const foreign = await api.get<Refusal>(`/api/orders/${other.order.id}/shipments/${own.id}/${kind}`);
        expect(foreign.status).toBe(404);
        expect(foreign.body.message).toMatch(/^shipment/);
        const unknown = await api.get<Refusal>(
          `/api/orders/${order.id}/shipments/00000000-0000-4000-8000-000000000000/${kind}`,
        );
        expect(unknown.status).toBe(404);
        const noOrder = await api.get<Refusal>(
          `/api/orders/00000000-0000-4000-8000-000000000000/shipments/${own.id}/${kind}`,
        );
        expect(noOrder.status).toBe(404);
      }
      await nothingChanged();
    });

    it('a shipment of an order not yet approved, or cancelled (409, naming the status)', async () => {
      const { customerId } = await seedCatalogue(api, []);
      const unapproved = await placeOrder(api, customerId, [{ sku: tea, quantity: 1 }]);
      const early = await attempt({ lines: [{ sku: tea, quantity: 1 }] }, unapproved.id);
      expect(early.status).toBe(409);
      expect(early.body).toMatchObject({ status: 'created' });
      expect(early.body.message).toMatch(/it is created, awaiting approval/);

      const cancelled = await api.post<Order>(`/api/orders/${unapproved.id}/cancel`, { reason: 'no' });
      expect(cancelled.body.status).toBe('cancelled');
      const late = await attempt({ lines: [{ sku: tea, quantity: 1 }] }, unapproved.id);
      expect(late.status).toBe(409);
      expect(late.body).toMatchObject({ status: 'cancelled' });
      expect(await shipmentRows(unapproved.id)).toEqual([]);
    });

    it('an unknown order (404)', async () => {
      const refused = await attempt(
        { lines: [{ sku: tea, quantity: 1 }] },
        '00000000-0000-4000-8000-000000000000',
      );
      expect(refused.status).toBe(404);
    });
  });
});
