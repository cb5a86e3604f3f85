import { parse } from 'csv-parse/sync';
import { eventually, seedCatalogue } from './support/fixtures';
import type { ApiClient } from './support/http';
import { stockOf, type OrderBody } from './support/orders';
import { startStack, type TestStack } from './support/stack';
import { whileStill } from './support/still';
import { sqlOf } from '../db/repositories/sql';
import { SALES_BUCKET_DAYS_SQL } from '../db/migrations/Migration20261126100000_sales_days';
import {
  PARTLY_SHIPPED_SALES_SQL,
  SHIPPING_TIMES_SQL,
} from '../db/migrations/Migration20261206051500_shipping_reports';

/**
 * Reports with orders that leave in several shipments (issue 24): the pipeline report measures each order's
 * time to its first shipment and from the first to the last, and the sales report counts the value of what
 * shipped of an order cancelled after part of it left. Against the real API, workflow and PostgreSQL; the
 * database is shared with other files, so the expected figures are computed here from every order's
 * snapshot (not from the summaries the reports read), and the sales order is in a currency of its own.
 */
type Shipment = { id: string; shippedAt: string };
type Order = OrderBody & {
  shipments: Shipment[];
  shipment: { shippedAt: string } | null;
  payment: { status: string; amount: number } | null;
};
type ShippingTime = { measure: string; count: number; medianMs: number | null; p90Ms: number | null };
type Pipeline = { partlyShipped: number; shipping: ShippingTime[]; stages: { stage: string }[] };
type SalesItem = {
  period: string;
  currency: string;
  orders: number;
  paidOrders: number;
  revenue: number;
  refunded: number;
  averageOrderValue: number;
  cancelledAfterShipping: number;
  cancelled: number;
  rejected: number;
};

const DAY = 86_400_000;
const utcDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** Yesterday to tomorrow in UTC: today's shipments, also should the test run across midnight. */
const PERIOD = `from=${utcDate(Date.now() - DAY)}&to=${utcDate(Date.now() + DAY)}&timeZone=UTC`;

/** PostgreSQL's percentile_cont: linear interpolation between the closest ranks. */
function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = fraction * (sorted.length - 1);
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

describe('reports with orders shipped in parts', () => {
  let stack: TestStack;
  let staff: ApiClient;
  let manager: ApiClient;

  beforeAll(async () => {
    stack = await startStack();
    staff = await stack.client(['staff'], 'packer');
    manager = await stack.client(['manager']);
  });
  afterAll(() => stack.close());

  const sql = <T>(query: string, params: unknown[] = []) =>
    stack.orm.em.fork().getConnection().execute<T & object>(query, params) as Promise<T>;

  const get = async (id: string) => (await staff.get<Order>(`/api/orders/${id}`)).body;

  async function placeApproved(
    customerId: string,
    lines: { sku: string; quantity: number }[],
    allowPartial: boolean,
  ): Promise<Order> {
    const placed = await staff.post<Order>('/api/orders', { customerId, lines, allowPartial });
    expect(placed.status).toBe(201);
    if (!['approval', 'manager_approval'].includes(placed.body.awaiting ?? '')) return placed.body;
    const approved = await manager.post<Order>(`/api/orders/${placed.body.id}/approve`, {});
    expect(approved.status).toBe(200);
    return approved.body;
  }

  /**
   * The shipping measures as they should be, from every order's snapshot and transitions: when it first
   * entered processing, its first shipment, and the shipment that took its last unit (`shipment`).
   */
  async function expectedShipping(from: number, to: number): Promise<ShippingTime[]> {
    const rows = await sql<{ snapshot: Order; processing_at: Date | null }[]>(
      `select o.snapshot,
              (select min(t.entered_at) from order_transitions t
                where t.order_id = o.id and t.status = 'processing') as processing_at
         from orders o where o.shipped_at is not null or jsonb_array_length(o.snapshot -> 'shipments') > 0`,
    );
    const firsts: number[] = [];
    const spreads: number[] = [];
    const lasts: number[] = [];
    for (const { snapshot, processing_at } of rows) {
      const times = (snapshot.shipments ?? []).map((s) => Date.parse(s.shippedAt));
      const last = snapshot.shipment ? Date.parse(snapshot.shipment.shippedAt) : null;
      const first = times.length > 0 ? Math.min(...times) : last!;
      const processing = processing_at ? new Date(processing_at).getTime() : null;
      const within = (at: number) => at >= from && at < to;
      if (within(first) && processing !== null) firsts.push(first - processing);
      if (last !== null && within(last)) {
        if (times.length > 1) spreads.push(last - first);
        if (processing !== null) lasts.push(last - processing);
      }
    }
    const figures = (measure: string, values: number[]): ShippingTime => ({
      measure,
      count: values.length,
      medianMs: values.length ? Math.round(percentile(values, 0.5)) : null,
      p90Ms: values.length ? Math.round(percentile(values, 0.9)) : null,
    });
    return [
      figures('processing-to-first-shipment', firsts),
      figures('first-to-last-shipment', spreads),
      figures('processing-to-last-shipment', lasts),
    ];
  }

  const partlyShippedNow = async () =>
    Number(
      (
        await sql<{ count: string }[]>(
          `select count(*) as count from orders
            where status = 'processing' and jsonb_array_length(coalesce(snapshot -> 'shipments', '[]')) > 0`,
        )
      )[0]!.count,
    );

  it('measures the time to the first shipment and from the first to the last for an order shipped in two parts', async () => {
    const { customerId, skus } = await seedCatalogue(staff, [{ unitPrice: 1000, stockOnHand: 8 }]);
    const tea = skus[0]!;
    const order = await placeApproved(customerId, [{ sku: tea, quantity: 10 }], true);
    expect(order).toMatchObject({ status: 'processing', awaiting: 'shipment' });

    // The 8 in stock leave; the order waits for the rest, processing and partly shipped.
    const first = await staff.post<Order>(`/api/orders/${order.id}/ship`, {
      carrier: 'SF',
      trackingNumber: 'SF-RPT-1',
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: 'processing', awaiting: 'stock' });
    const [from, to] = [
      Date.parse(`${utcDate(Date.now() - DAY)}T00:00:00Z`),
      Date.parse(`${utcDate(Date.now() + DAY)}T00:00:00Z`) + DAY,
    ];
    // Other files' orders count too: the report and the rows are compared at a moment none of them moved.
    const pipelineNow = () =>
      whileStill(
        async () => ({ partlyShipped: await partlyShippedNow(), shipping: await expectedShipping(from, to) }),
        () => manager.get<Pipeline>(`/api/reports/pipeline?${PERIOD}`),
      );
    const { rows: before, answer: during } = await pipelineNow();
    expect(during.status).toBe(200);
    expect(during.body.partlyShipped).toBeGreaterThanOrEqual(1);
    expect(during.body.partlyShipped).toBe(before.partlyShipped);
    // Its first shipment is measured already; not yet from first to last.
    expect(during.body.shipping).toEqual(before.shipping);

    // A restock reserves the 2 missing; a second shipment takes them: the order has shipped.
    const product = await stockOf(staff, tea);
    expect(
      (await manager.post(`/api/products/${product.id}/stock`, { delta: 2, reason: 'delivery' })).status,
    ).toBe(200);
    await eventually(
      () => get(order.id),
      (current) => current.awaiting === 'shipment',
    );
    // A moment between the two parcels, so first and last differ measurably.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = await staff.post<Order>(`/api/orders/${order.id}/ship`, {
      carrier: 'SF',
      trackingNumber: 'SF-RPT-2',
    });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ status: 'shipped', awaiting: 'delivery' });
    const [firstParcel, lastParcel] = second.body.shipments;
    expect(second.body.shipments).toHaveLength(2);
    expect(second.body.shipment?.shippedAt).toBe(lastParcel!.shippedAt);

    // The summary row: entered processing, the first parcel, the last, two shipments.
    const [row] = await sql<
      { processing_at: Date; first_shipped_at: Date; last_shipped_at: Date; shipments: number }[]
    >(
      `select processing_at, first_shipped_at, last_shipped_at, shipments from order_shipping_times where order_id = ?`,
      [order.id],
    );
    expect(row).toBeDefined();
    expect(new Date(row!.first_shipped_at).toISOString()).toBe(firstParcel!.shippedAt);
    expect(new Date(row!.last_shipped_at).toISOString()).toBe(lastParcel!.shippedAt);
    expect(row!.shipments).toBe(2);
    expect(new Date(row!.processing_at).getTime()).toBeLessThanOrEqual(Date.parse(firstParcel!.shippedAt));

    const { rows: now, answer: after } = await pipelineNow();
    expect(after.body.shipping).toEqual(now.shipping);
    const spread = after.body.shipping.find((s) => s.measure === 'first-to-last-shipment')!;
    expect(spread.count).toBeGreaterThanOrEqual(1);
    expect(after.body.partlyShipped).toBe(now.partlyShipped);
    // The stage times keep their meaning (stays per status and wait).
    expect(after.body.stages.map((s) => s.stage)).toContain('processing/shipment');

    // The CSV carries the measures and the partly shipped count as sections of the one table.
    const { rows: atCsv, answer: records } = await whileStill(
      () => expectedShipping(from, to),
      async () => {
        const csv = await fetch(`${stack.baseUrl}/api/reports/pipeline?${PERIOD}&format=csv`, {
          headers: manager.headers,
        });
        expect(csv.status).toBe(200);
        return parse<Record<string, string>>(Buffer.from(await csv.arrayBuffer()).toString('utf8'), {
          bom: true,
          columns: true,
        });
      },
    );
    expect(records.filter((r) => r.section === 'shipping').map((r) => [r.name, Number(r.count)])).toEqual(
      atCsv.map((s) => [s.measure, s.count]),
    );
    expect(records.find((r) => r.section === 'partlyShipped')).toMatchObject({ name: 'processing' });
  });

  it('counts in sales the value of what shipped of an order cancelled after its first shipment', async () => {
    // A currency no other test uses, so the sales row is this order's alone.
    const currency = 'MNT';
    const { customerId, skus } = await seedCatalogue(staff, [
      { unitPrice: 1000, stockOnHand: 100, currency },
      { unitPrice: 500, stockOnHand: 100, currency },
    ]);
    const [tea, cup] = [skus[0]!, skus[1]!];
    // 10 tea at 10.00 and 2 cups at 5.00: 110.00 paid; 8 tea (80.00) leave, then the rest is cancelled.
    const order = await placeApproved(
      customerId,
      [
        { sku: tea, quantity: 10 },
        { sku: cup, quantity: 2 },
      ],
      false,
    );
    expect(order).toMatchObject({ status: 'processing', awaiting: 'shipment', currency });
    const shipped = await staff.post(`/api/orders/${order.id}/shipments`, {
      lines: [{ sku: tea, quantity: 8 }],
      carrier: 'SF',
      trackingNumber: 'SF-RPT-KEEP',
    });
    expect(shipped.status).toBe(201);
    const cancelled = await staff.post<Order>(`/api/orders/${order.id}/cancel`, {
      reason: 'the rest is not wanted',
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({
      status: 'cancelled',
      payment: { status: 'refunded', amount: 8000 },
    });

    const sales = async () =>
      (
        await manager.get<{ items: SalesItem[] }>(`/api/reports/sales?${PERIOD}&groupBy=month`)
      ).body.items.filter((item) => item.currency === currency);
    const items = await eventually(sales, (rows) => rows.length === 1 && rows[0]!.refunded === 3000);
    // Counted as an order with the value of what shipped, its refund of the rest netted; not as cancelled.
    expect(items).toEqual([
      {
        period: expect.any(String),
        currency,
        orders: 1,
        paidOrders: 1,
        revenue: 8000,
        refunded: 3000,
        averageOrderValue: 8000,
        cancelledAfterShipping: 1,
        cancelled: 0,
        rejected: 0,
      },
    ]);
    // What the report reads agrees with the payments ledger.
    const [ledger] = await sql<{ net: string }[]>(
      `select sum(case kind when 'capture' then amount when 'refund' then -amount else 0 end) as net
         from payments where order_id = ? and status = 'succeeded'`,
      [order.id],
    );
    expect(Number(ledger!.net)).toBe(8000);

    // Its one shipment is measured to the first shipment; it never shipped its last unit.
    const [row] = await sql<{ last_shipped_at: Date | null; shipments: number }[]>(
      `select last_shipped_at, shipments from order_shipping_times where order_id = ?`,
      [order.id],
    );
    expect(row).toEqual({ last_shipped_at: null, shipments: 1 });
  });

  it('rebuilds both summaries from the orders as the migration does (what the mirror kept, nothing else)', async () => {
    // In a transaction rolled back at the end: the rebuilt rows are compared, never kept.
    class Rollback extends Error {}
    const sales = `select * from sales_buckets where orders <> 0 or captured <> 0 or refunded <> 0
                    order by bucket, currency, outcome`;
    const days = `select * from sales_bucket_days where orders <> 0 or captured <> 0 or refunded <> 0
                   order by day, currency, outcome`;
    const times = `select * from order_shipping_times order by order_id`;
    await expect(
      stack.orm.em.fork().transactional(async (em) => {
        const run = sqlOf(em);
        const kept = { times: await run(times), sales: await run(sales), days: await run(days) };
        expect(kept.times.length).toBeGreaterThanOrEqual(2);
        expect(kept.sales.some((row) => row.outcome === 'partly_shipped')).toBe(true);

        await run(`delete from order_shipping_times`);
        await run(SHIPPING_TIMES_SQL);
        expect(await run(times)).toEqual(kept.times);

        // As before the migration: partly shipped orders counted among the cancelled ones.
        await run(`insert into sales_buckets as t
                   select bucket, currency, 'cancelled', orders, paid_orders, captured, refunded
                     from sales_buckets where outcome = 'partly_shipped'
                   on conflict (bucket, currency, outcome) do update set
                     orders = t.orders + excluded.orders, paid_orders = t.paid_orders + excluded.paid_orders,
                     captured = t.captured + excluded.captured, refunded = t.refunded + excluded.refunded`);
        await run(`delete from sales_buckets where outcome = 'partly_shipped'`);
        await run(PARTLY_SHIPPED_SALES_SQL);
        await run(`delete from sales_bucket_days`);
        await run(SALES_BUCKET_DAYS_SQL);
        expect(await run(sales)).toEqual(kept.sales);
        expect(await run(days)).toEqual(kept.days);
        throw new Rollback();
      }),
    ).rejects.toBeInstanceOf(Rollback);
  });
});
