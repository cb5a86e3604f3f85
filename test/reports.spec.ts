import { parse } from 'csv-parse/sync';
import { randomUUID } from 'node:crypto';
import { OrderRepository, ReportRepository, type Period } from '../db/repositories';
import type { EscalationState } from '../domain/escalation';
import type { OrderLine, OrderSnapshot, OrderStatus } from '../domain/order';
import type { ApiClient } from './support/http';
import { startStack, type TestStack } from './support/stack';
import { whileStill } from './support/still';
import { prng } from '../scripts/prng';

/**
 * Reports over generated orders with known answers. The orders are written the way the worker writes
 * them (OrderRepository.mirror, version by version, some writes repeated), in 2030 so no other test's
 * orders fall in the period; every expected figure is computed here from the raw rows (orders, payments
 * ledger, lines) or the generated stage times, never from the summaries the reports read.
 */

const SHANGHAI = 'Asia/Shanghai';
const FROM = '2030-03-01';
const TO = '2030-03-31';
const HOUR = 3_600_000;

const localDate = (at: Date | string | number, timeZone: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(at),
  );
function periodOf(at: Date | string, timeZone: string, groupBy: 'day' | 'week' | 'month'): string {
  const date = localDate(at, timeZone);
  if (groupBy === 'day') return date;
  if (groupBy === 'month') return `${date.slice(0, 8)}01`;
  const day = new Date(`${date}T00:00:00Z`);
  const mondayOffset = (day.getUTCDay() + 6) % 7;
  return new Date(day.getTime() - mondayOffset * 86_400_000).toISOString().slice(0, 10);
}

/** PostgreSQL's percentile_cont: linear interpolation between the closest ranks. */
function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = fraction * (sorted.length - 1);
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

interface Generated {
  id: string;
  customerId: string;
  currency: string;
  lines: OrderLine[];
  /** Each stay: stage name, entered, left (null: still there or final). */
  stays: { stage: string; entered: number; left: number | null }[];
  breachLevel: number;
}

describe('reports', () => {
  let stack: TestStack;
  let manager: ApiClient;
  const customers: { id: string; name: string }[] = [];
  const products: { id: string; sku: string; name: string; unitPrice: number; currency: string }[] = [];
  const generated: Generated[] = [];

  async function mirror(snapshot: OrderSnapshot) {
    await new OrderRepository(stack.orm.em.fork()).mirror(snapshot);
  }

  async function pay(order: Generated, kind: 'capture' | 'refund', amount: number) {
    await stack.orm.em
      .fork()
      .getConnection()
      .execute(
        `insert into payments (order_id, customer_id, kind, status, amount, currency, idempotency_key)
         values (?, ?, ?, 'succeeded', ?, ?, ?)`,
        [order.id, order.customerId, kind, amount, order.currency, `${order.id}:${kind}:${randomUUID()}`],
      );
  }

  /** Writes one generated order through its life, as the workflow would; some writes arrive twice. */
  async function live(
    order: Generated,
    createdAt: number,
    fate: OrderStatus | 'partially-refunded',
    random: () => number,
  ) {
    const total = order.lines.reduce((sum, line) => sum + line.lineTotal, 0);
    let version = 0;
    let at = createdAt;
    const steps: [OrderStatus, OrderSnapshot['awaiting']][] = [['created', 'approval']];
    if (fate === 'rejected') steps.push(['rejected', null]);
    else if (fate !== 'created') {
      steps.push(['processing', 'stock'], ['processing', 'shipment']);
      if (fate === 'cancelled') steps.push(['cancelled', null]);
      if (fate === 'shipped' || fate === 'completed' || fate === 'partially-refunded')
        steps.push(['shipped', 'delivery']);
      if (fate === 'completed' || fate === 'partially-refunded') steps.push(['completed', null]);
    }
    const writes: OrderSnapshot[] = [];
    for (const [index, [status, awaiting]] of steps.entries()) {
      if (index > 0) at += Math.round((0.5 + random() * 40) * HOUR);
      const previous = order.stays[order.stays.length - 1];
      if (previous) previous.left = at;
      order.stays.push({ stage: awaiting ? `${status}/${awaiting}` : status, entered: at, left: null });
      if (status === 'processing' && awaiting === 'shipment') await pay(order, 'capture', total);
      if (status === 'cancelled') await pay(order, 'refund', total);
      if (status === 'completed' && fate === 'partially-refunded')
        await pay(order, 'refund', Math.floor(total / 3));
      const escalation: EscalationState | null =
        index === 0 && order.breachLevel > 0
          ? {
              stage: 'approval',
              since: new Date(createdAt).toISOString(),
              level: order.breachLevel,
              escalatedAt: new Date(createdAt + order.breachLevel * 4 * HOUR).toISOString(),
            }
          : null;
      const snapshot: OrderSnapshot = {
        orderId: order.id,
        number: `RPT-${order.id.slice(0, 8)}`,
        customerId: order.customerId,
        currency: order.currency,
        lines: order.lines,
        total,
        notes: null,
        approvalRule: { version: 1, autoApproveBelow: 0, staffApprovalLimit: 1_000_000, currency: 'CNY' },
        requestHash: null,
        status,
        awaiting,
        awaitingSince: awaiting ? new Date(at).toISOString() : null,
        approvals: [],
        approvedTotal: null,
        reserved: false,
        stockShortages: [],
        payment: null,
        shipment: null,
        cancellation: null,
        rejection: null,
        completedAt: null,
        escalation,
        version: ++version,
        createdAt: new Date(createdAt).toISOString(),
        updatedAt: new Date(at).toISOString(),
      };
      writes.push(snapshot);
      await mirror(snapshot);
      // A retried activity repeats a write; a late one arrives after a newer version.
      if (random() < 0.3) await mirror(snapshot);
      if (writes.length > 1 && random() < 0.3) await mirror(writes[writes.length - 2]!);
    }
  }

  beforeAll(async () => {
    stack = await startStack({ worker: false });
    manager = await stack.client(['manager']);
    const tag = randomUUID().slice(0, 6);
    for (const name of [
      '杭州茶叶有限公司',
      'Acme, "Quoted" Ltd',
      '=HYPERLINK("http://evil.example","x")',
      '张三 Zhang',
    ]) {
      const created = await manager.post<{ id: string }>('/api/customers', {
        name: `${name} ${tag}`,
        email: `r-${randomUUID().slice(0, 6)}@example.com`,
      });
      customers.push({ id: created.body.id, name: `${name} ${tag}` });
    }
    for (const [index, [name, unitPrice, currency]] of (
      [
        ['龙井茶 250g', 12990, 'CNY'],
        ['普洱茶饼', 8800, 'CNY'],
        ['茶具, "套装"', 45000, 'CNY'],
        ['Jasmine tea', 1250, 'USD'],
        ['Teapot', 3900, 'USD'],
      ] as const
    ).entries()) {
      const sku = `RPT-${tag}-${index}`;
      const created = await manager.post<{ id: string }>('/api/products', {
        sku,
        name,
        unitPrice,
        currency,
        stockOnHand: 1000,
      });
      products.push({ id: created.body.id, sku, name, unitPrice, currency });
    }
    const random = prng(14);
    const fates: (OrderStatus | 'partially-refunded')[] = [
      'created',
      'processing',
      'shipped',
      'completed',
      'completed',
      'completed',
      'partially-refunded',
      'cancelled',
      'rejected',
    ];
    // Two on either side of midnight Sunday→Monday in Shanghai (still Sunday in UTC), then the rest.
    const times = [Date.parse('2030-03-03T15:30:00Z'), Date.parse('2030-03-03T16:10:00Z')];
    for (let i = 0; i < 70; i++)
      times.push(
        Date.parse('2030-03-01T00:00:00Z') +
          Math.floor(random() * 26 * 24) * HOUR +
          Math.floor(random() * HOUR),
      );
    for (const [index, createdAt] of times.entries()) {
      const currency = random() < 0.7 ? 'CNY' : 'USD';
      const pool = products.filter((product) => product.currency === currency);
      const chosen = pool.filter(() => random() < 0.6);
      const lines = (chosen.length ? chosen : [pool[0]!]).map((product) => {
        const quantity = 1 + Math.floor(random() * 4);
        return {
          productId: product.id,
          sku: product.sku,
          name: product.name,
          quantity,
          unitPrice: product.unitPrice,
          lineTotal: product.unitPrice * quantity,
        };
      });
      const order: Generated = {
        id: randomUUID(),
        // The first two belong to the formula-named and the Chinese-named customer, so both are in the CSV.
        customerId: (index < 2
          ? customers[2 - 2 * index]
          : customers[Math.floor(random() ** 2 * customers.length)])!.id,
        currency,
        lines,
        stays: [],
        breachLevel: random() < 0.2 ? 1 + Math.floor(random() * 2) : 0,
      };
      generated.push(order);
      await live(
        order,
        createdAt,
        index < 2 ? 'completed' : fates[Math.floor(random() * fates.length)]!,
        random,
      );
    }
    // Some 300 mirror writes, one after another: seconds alone, longer on a loaded machine.
  }, 180_000);
  afterAll(async () => {
    // The generated orders (all in 2030) have no workflows: remove them and what they added to the
    // summaries, so that other test files, which share this database, see only real orders.
    const connection = stack.orm.em.fork().getConnection();
    await connection.execute(
      `delete from payments where order_id in (select id from orders where created_at >= '2030-01-01')`,
    );
    // Their invoices were issued as they reached processing, numbered in 2030's own sequence: both go.
    await connection.execute(
      `delete from invoices where order_id in (select id from orders where created_at >= '2030-01-01')`,
    );
    await connection.execute(`delete from invoice_counters where year >= 2030`);
    await connection.execute(`delete from orders where created_at >= '2030-01-01'`);
    await connection.execute(`delete from sales_buckets where bucket >= '2030-01-01'`);
    for (const [table, column] of [
      ['sales_bucket_days', 'day'],
      ['customer_sales_days', 'day'],
      ['product_sales_days', 'day'],
      ['product_sales_months', 'month'],
      ['customer_sales_month_bounds', 'month'],
      ['sales_days', 'day'],
      ['stage_duration_days', 'day'],
    ])
      await connection.execute(`delete from ${table} where ${column} >= '2030-01-01'`);
    // The all-time bounds, rebuilt from what is left.
    await connection.execute(`delete from customer_sales_totals`);
    await connection.execute(`insert into customer_sales_totals
      select customer_id, currency, sum(items), sum(greatest(captured - refunded, 0)) from orders
       where status not in ('cancelled', 'rejected') group by 1, 2`);
    await connection.execute(`delete from product_sales_totals`);
    await connection.execute(`insert into product_sales_totals
      select product_id, currency, sum(quantity), sum(line_total) from order_lines where active group by 1, 2`);
    await connection.execute(`delete from order_status_counts`);
    await connection.execute(
      `insert into order_status_counts select status, count(*) from orders group by status`,
    );
    await stack.close();
  });

  /** The raw rows of the generated orders: the order row and its payments ledger. */
  async function rawOrders() {
    return stack.orm.em
      .fork()
      .getConnection()
      .execute<
        {
          id: string;
          customer_id: string;
          currency: string;
          status: OrderStatus;
          created_at: Date;
          captured: string;
          refunded: string;
          quantity: string;
        }[]
      >(
        `select o.id, o.customer_id, o.currency, o.status, o.created_at,
              coalesce((select sum(amount) from payments p where p.order_id = o.id and p.kind = 'capture' and p.status = 'succeeded'), 0) as captured,
              coalesce((select sum(amount) from payments p where p.order_id = o.id and p.kind = 'refund' and p.status = 'succeeded'), 0) as refunded,
              (select sum(quantity) from order_lines l where l.order_id = o.id) as quantity
         from orders o where o.id in (?)`,
        [generated.map((order) => order.id)],
      );
  }

  describe('sales', () => {
    async function expectedSales(timeZone: string, groupBy: 'day' | 'week' | 'month') {
      const expected = new Map<
        string,
        {
          period: string;
          currency: string;
          orders: number;
          paidOrders: number;
          revenue: number;
          refunded: number;
          cancelledAfterShipping: number;
          cancelled: number;
          rejected: number;
        }
      >();
      for (const row of await rawOrders()) {
        const period = periodOf(row.created_at, timeZone, groupBy);
        const key = `${period} ${row.currency}`;
        const entry = expected.get(key) ?? {
          period,
          currency: row.currency,
          orders: 0,
          paidOrders: 0,
          revenue: 0,
          refunded: 0,
          // None of the generated orders shipped in part (test/reports-shipments.spec.ts has such orders).
          cancelledAfterShipping: 0,
          cancelled: 0,
          rejected: 0,
        };
        const captured = Number(row.captured);
        const refunded = Number(row.refunded);
        if (row.status === 'cancelled') entry.cancelled++;
        else if (row.status === 'rejected') entry.rejected++;
        else {
          entry.orders++;
          entry.revenue += captured - refunded;
          entry.refunded += refunded;
          if (captured > refunded) entry.paidOrders++;
        }
        expected.set(key, entry);
      }
      return [...expected.values()]
        .filter((entry) => entry.period >= FROM.slice(0, groupBy === 'month' ? 8 : 10) || groupBy !== 'day')
        .sort((a, b) =>
          a.period === b.period ? a.currency.localeCompare(b.currency) : a.period.localeCompare(b.period),
        )
        .map((entry) => ({
          ...entry,
          averageOrderValue: entry.paidOrders ? Math.round(entry.revenue / entry.paidOrders) : 0,
        }));
    }

    it.each([
      ['day', SHANGHAI],
      ['week', SHANGHAI],
      ['month', SHANGHAI],
      ['day', 'UTC'],
      ['week', 'America/New_York'],
      // Whole UTC days only (the day summary, no edges), and edges that are not whole hours (UTC+5:45).
      ['month', 'UTC'],
      ['week', 'UTC'],
      ['month', 'Asia/Kathmandu'],
    ] as const)('by %s in %s equals the totals of the raw orders and payments', async (groupBy, timeZone) => {
      const response = await manager.get<{ items: unknown[]; timeZone: string }>(
        `/api/reports/sales?from=2030-02-20&to=2030-04-10&groupBy=${groupBy}&timeZone=${encodeURIComponent(timeZone)}`,
      );
      expect(response.status).toBe(200);
      expect(response.body.timeZone).toBe(timeZone);
      expect(response.body.items).toEqual(await expectedSales(timeZone, groupBy));
    });

    it('puts orders either side of midnight in Shanghai on different days and weeks, the same ones in UTC', async () => {
      const week = async (timeZone: string) =>
        (
          await manager.get<{ items: { period: string; orders: number }[] }>(
            `/api/reports/sales?from=2030-03-03&to=2030-03-04&groupBy=day&timeZone=${timeZone}`,
          )
        ).body.items;
      expect(localDate(Date.parse('2030-03-03T15:30:00Z'), SHANGHAI)).toBe('2030-03-03');
      const shanghai = await week(SHANGHAI);
      expect(shanghai.map((item) => item.period)).toEqual(
        expect.arrayContaining(['2030-03-03', '2030-03-04']),
      );
      const weeks = (
        await manager.get<{ items: { period: string }[] }>(
          `/api/reports/sales?from=2030-03-03&to=2030-03-04&groupBy=week&timeZone=${SHANGHAI}`,
        )
      ).body.items;
      expect(new Set(weeks.map((item) => item.period))).toEqual(new Set(['2030-02-25', '2030-03-04']));
      const utcWeeks = (
        await manager.get<{ items: { period: string }[] }>(
          `/api/reports/sales?from=2030-03-03&to=2030-03-03&groupBy=week&timeZone=UTC`,
        )
      ).body.items;
      expect(new Set(utcWeeks.map((item) => item.period))).toEqual(new Set(['2030-02-25']));
    });

    it('nets refunds, full and partial, and never counts cancelled or rejected orders as revenue', async () => {
      const items = (
        await manager.get<{
          items: {
            revenue: number;
            refunded: number;
            cancelled: number;
            rejected: number;
            currency: string;
          }[];
        }>(`/api/reports/sales?from=${FROM}&to=${TO}&groupBy=month&timeZone=UTC`)
      ).body.items;
      const rows = await rawOrders();
      for (const currency of ['CNY', 'USD']) {
        const mine = rows.filter((row) => row.currency === currency);
        const item = items.find((i) => i.currency === currency)!;
        const active = mine.filter((row) => row.status !== 'cancelled' && row.status !== 'rejected');
        expect(item.revenue).toBe(
          active.reduce((sum, row) => sum + Number(row.captured) - Number(row.refunded), 0),
        );
        expect(item.refunded).toBeGreaterThan(0);
        expect(item.cancelled).toBe(mine.filter((row) => row.status === 'cancelled').length);
        expect(item.rejected).toBe(mine.filter((row) => row.status === 'rejected').length);
      }
      // Two currencies, two rows: never summed into one.
      expect(new Set(items.map((i) => i.currency))).toEqual(new Set(['CNY', 'USD']));
    });

    it('answers CSV that parses back to the same rows', async () => {
      const json = await manager.get<{ items: Record<string, unknown>[] }>(
        `/api/reports/sales?from=${FROM}&to=${TO}&timeZone=UTC`,
      );
      const csv = await fetch(
        `${stack.baseUrl}/api/reports/sales?from=${FROM}&to=${TO}&timeZone=UTC&format=csv`,
        { headers: manager.headers },
      );
      expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
      const records = parse<Record<string, string>>(Buffer.from(await csv.arrayBuffer()).toString('utf8'), {
        bom: true,
        columns: true,
      });
      expect(records).toEqual(
        json.body.items.map((item) =>
          Object.fromEntries(Object.entries(item).map(([k, v]) => [k, String(v)])),
        ),
      );
    });

    it('refuses an unknown time zone, a bad date and a reversed period, naming the field', async () => {
      for (const [query, field] of [
        ['timeZone=Mars/Olympus', 'timeZone'],
        ['from=2030-02-30', 'from'],
        ['from=2030-03-10&to=2030-03-01', 'from'],
        ['groupBy=year', 'groupBy'],
      ]) {
        const response = await manager.get<{ message: string }>(`/api/reports/sales?${query}`);
        expect(response.status).toBe(400);
        expect(response.body.message).toContain(field);
      }
    });
  });

  describe('customers and products', () => {
    it('rank customers by revenue with the shares computed from the raw rows', async () => {
      const rows = (await rawOrders()).filter(
        (row) => row.status !== 'cancelled' && row.status !== 'rejected',
      );
      const response = await manager.get<{
        items: {
          id: string;
          currency: string;
          orders: number;
          quantity: number;
          revenue: number;
          revenueShare: number;
          quantityShare: number;
          rank: number;
        }[];
      }>(`/api/reports/customers?from=${FROM}&to=${TO}&timeZone=UTC&limit=500`);
      expect(response.status).toBe(200);
      const mine = response.body.items.filter((item) => customers.some((c) => c.id === item.id));
      for (const item of mine) {
        const theirs = rows.filter((row) => row.customer_id === item.id && row.currency === item.currency);
        const revenue = theirs.reduce((sum, row) => sum + Number(row.captured) - Number(row.refunded), 0);
        const all = rows.filter((row) => row.currency === item.currency);
        expect(item).toMatchObject({
          orders: theirs.length,
          revenue,
          quantity: theirs.reduce((sum, row) => sum + Number(row.quantity), 0),
          revenueShare:
            Math.round(
              (revenue / all.reduce((sum, row) => sum + Number(row.captured) - Number(row.refunded), 0)) *
                10_000,
            ) / 10_000,
        });
      }
      expect(mine.length).toBe(new Set(rows.map((row) => `${row.customer_id} ${row.currency}`)).size);
      for (const currency of ['CNY', 'USD']) {
        const ranked = mine.filter((item) => item.currency === currency);
        expect(ranked.map((item) => item.revenue)).toEqual(
          [...ranked.map((item) => item.revenue)].sort((a, b) => b - a),
        );
      }
    });

    it('rank products by quantity from the lines of orders that were not cancelled or rejected', async () => {
      const rows = await rawOrders();
      const active = new Set(
        rows.filter((row) => row.status !== 'cancelled' && row.status !== 'rejected').map((row) => row.id),
      );
      const response = await manager.get<{
        items: { id: string; name: string; quantity: number; revenue: number; rank: number }[];
      }>(`/api/reports/products?from=${FROM}&to=${TO}&timeZone=UTC&rankBy=quantity&limit=500`);
      for (const product of products) {
        const lines = generated
          .filter((order) => active.has(order.id))
          .flatMap((order) => order.lines)
          .filter((line) => line.productId === product.id);
        const item = response.body.items.find((i) => i.id === product.id);
        expect(item).toMatchObject({
          name: product.name,
          quantity: lines.reduce((sum, line) => sum + line.quantity, 0),
          revenue: lines.reduce((sum, line) => sum + line.lineTotal, 0),
        });
      }
    });

    /** The ranking computed here from the raw rows: orders placed in the local dates `from`..`to`. */
    async function expectedRanking(
      kind: 'customers' | 'products',
      period: Period,
      rankBy: 'revenue' | 'quantity',
    ) {
      const rows = (await rawOrders()).filter((row) => {
        const day = localDate(row.created_at, period.timeZone);
        return (
          day >= period.from && day <= period.to && row.status !== 'cancelled' && row.status !== 'rejected'
        );
      });
      const groups = new Map<
        string,
        { id: string; currency: string; orders: number; quantity: number; revenue: number }
      >();
      const add = (id: string, currency: string, quantity: number, revenue: number) => {
        const group = groups.get(`${id} ${currency}`) ?? { id, currency, orders: 0, quantity: 0, revenue: 0 };
        group.orders++;
        group.quantity += quantity;
        group.revenue += revenue;
        groups.set(`${id} ${currency}`, group);
      };
      for (const row of rows) {
        if (kind === 'customers')
          add(
            row.customer_id,
            row.currency,
            Number(row.quantity),
            Number(row.captured) - Number(row.refunded),
          );
        else
          for (const line of generated.find((order) => order.id === row.id)!.lines)
            add(line.productId, row.currency, line.quantity, line.lineTotal);
      }
      const other = rankBy === 'revenue' ? 'quantity' : 'revenue';
      return [...groups.values()].sort(
        (a, b) =>
          a.currency.localeCompare(b.currency) ||
          b[rankBy] - a[rankBy] ||
          b[other] - a[other] ||
          (a.id < b.id ? -1 : 1),
      );
    }

    it.each([
      ['customers', 'revenue'],
      ['customers', 'quantity'],
      ['products', 'revenue'],
      ['products', 'quantity'],
    ] as const)(
      '%s by %s from the day, month and bound summaries equal the raw rows, whichever way the ranking goes',
      async (kind, rankBy) => {
        // In Shanghai: one period holding the whole of March (the month summary, days around it), one
        // ending mid-March (whole UTC days, and orders of part-days at both ends read from the rows).
        for (const period of [
          { from: '2030-02-20', to: '2030-04-10', timeZone: SHANGHAI },
          { from: '2030-03-05', to: '2030-03-20', timeZone: SHANGHAI },
          // Most of March: the month row minus the days outside the period.
          { from: '2030-03-04', to: '2030-03-31', timeZone: SHANGHAI },
        ])
          await expectRanking(kind, rankBy, period);
      },
    );

    async function expectRanking(
      kind: 'customers' | 'products',
      rankBy: 'revenue' | 'quantity',
      period: Period,
    ) {
      const expected = await expectedRanking(kind, period, rankBy);
      expect(expected.length).toBeGreaterThan(2);
      const totals = new Map<string, { revenue: number; quantity: number }>();
      for (const row of expected) {
        const total = totals.get(row.currency) ?? { revenue: 0, quantity: 0 };
        total.revenue += row.revenue;
        total.quantity += row.quantity;
        totals.set(row.currency, total);
      }
      const limit = 2;
      const want = [...totals.keys()].flatMap((currency) =>
        expected
          .filter((row) => row.currency === currency)
          .slice(0, limit)
          .map((row, index) => ({
            ...row,
            rank: index + 1,
            revenueTotal: totals.get(currency)!.revenue,
            quantityTotal: totals.get(currency)!.quantity,
          })),
      );
      // The default (customers: by per-month bounds up to two months; products: summing every one),
      // summing every one, by per-month and by all-time bounds from one candidate up (proven or, failing
      // that, summed), and with all candidates read at once.
      for (const options of [
        {},
        { candidates: 0 },
        { candidates: 1 },
        { directMaxDays: 0, candidates: 1 },
        { directMaxDays: 0, candidates: 100_000 },
      ]) {
        const got = await new ReportRepository(stack.orm.em.fork(), options)[kind](period, rankBy, limit);
        expect(got.map(({ name: _name, ...row }) => row)).toEqual(want);
      }
    }

    it('answers CSV with Chinese names intact and a formula-like customer name kept as text', async () => {
      const response = await fetch(
        `${stack.baseUrl}/api/reports/customers?from=${FROM}&to=${TO}&timeZone=UTC&limit=500&format=csv`,
        { headers: manager.headers },
      );
      const records = parse<{ id: string; name: string }>(
        Buffer.from(await response.arrayBuffer()).toString('utf8'),
        {
          bom: true,
          columns: true,
        },
      );
      const byId = new Map(records.map((record) => [record.id, record.name]));
      expect(byId.get(customers[0]!.id)).toBe(customers[0]!.name);
      expect(byId.get(customers[2]!.id)).toBe(`'${customers[2]!.name}`);
      expect(byId.get(customers[1]!.id) ?? customers[1]!.name).toBe(customers[1]!.name);
    });
  });

  /**
   * Stage times as the report gives them: exact counts; median and 90th percentile exact or, from the
   * duration histogram, within 2.2 % of the exact percentile (plus rounding to whole ms).
   */
  function expectStageTimes(
    stages: { stage: string; count: number; medianMs: number; p90Ms: number }[],
    stays: Map<string, number[]>,
    precision: number,
  ) {
    const expected = [...stays.entries()].sort(([a], [b]) => a.localeCompare(b));
    expect(stages.map((s) => [s.stage, s.count])).toEqual(
      expected.map(([stage, times]) => [stage, times.length]),
    );
    for (const [index, [, times]] of expected.entries()) {
      const median = percentile(times, 0.5);
      const p90 = percentile(times, 0.9);
      expect(Math.abs(stages[index]!.medianMs - median)).toBeLessThanOrEqual(median * precision + 0.5);
      expect(Math.abs(stages[index]!.p90Ms - p90)).toBeLessThanOrEqual(p90 * precision + 0.5);
    }
  }

  describe('pipeline', () => {
    it('gives median and 90th percentile per stage from the times the workflow recorded', async () => {
      const { rows: counts, answer: response } = await whileStill(
        async () =>
          (
            await stack.orm.em
              .fork()
              .getConnection()
              .execute<{ status: string; count: string }[]>(
                `select status, count(*) from orders group by status order by status`,
              )
          ).map((row) => ({ status: row.status, count: Number(row.count) })),
        () =>
          manager.get<{
            stages: { stage: string; count: number; medianMs: number; p90Ms: number }[];
            statuses: { status: string; count: number }[];
          }>(`/api/reports/pipeline?from=${FROM}&to=2030-04-30&timeZone=UTC`),
      );
      expect(response.status).toBe(200);
      const stays = new Map<string, number[]>();
      for (const stay of generated.flatMap((order) => order.stays)) {
        if (stay.left === null || localDate(stay.left, 'UTC') > '2030-04-30') continue;
        stays.set(stay.stage, [...(stays.get(stay.stage) ?? []), stay.left - stay.entered]);
      }
      // A test database is small: the API answers exact percentiles.
      expectStageTimes(response.body.stages, stays, 0);
      // The counts are of every order now, other files' too: compared at a moment none of them moved.
      expect(response.body.statuses).toEqual(expect.arrayContaining(counts));
    });

    it('takes stays ending in part-days at either end of a Shanghai period from the transitions', async () => {
      const from = '2030-03-05';
      const to = '2030-03-20';
      const stays = new Map<string, number[]>();
      for (const stay of generated.flatMap((order) => order.stays)) {
        if (stay.left === null) continue;
        const day = localDate(stay.left, SHANGHAI);
        if (day < from || day > to) continue;
        stays.set(stay.stage, [...(stays.get(stay.stage) ?? []), stay.left - stay.entered]);
      }
      // Through the histogram (the way of a large database) and exactly (the way of a small one).
      for (const exactPercentilesUpTo of [0, Number.MAX_SAFE_INTEGER]) {
        const stages = await new ReportRepository(stack.orm.em.fork(), { exactPercentilesUpTo }).stageTimes({
          from,
          to,
          timeZone: SHANGHAI,
        });
        expectStageTimes(stages, stays, exactPercentilesUpTo === 0 ? 0.022 : 0);
      }
    });

    it('counts each order once per escalation level its wait reached', async () => {
      const response = await manager.get<{ breaches: { stage: string; level: number; orders: number }[] }>(
        `/api/reports/pipeline?from=${FROM}&to=2030-04-30&timeZone=UTC`,
      );
      for (const level of [1, 2]) {
        expect(response.body.breaches).toContainEqual({
          stage: 'approval',
          level,
          orders: generated.filter((order) => order.breachLevel >= level).length,
        });
      }
    });

    it('lists the open orders longest in their stage, with links, and answers CSV', async () => {
      const response = await manager.get<{ slowest: { id: string; since: string; link: string }[] }>(
        `/api/reports/pipeline`,
      );
      const since = response.body.slowest.map((order) => order.since);
      expect(since).toEqual([...since].sort());
      for (const order of response.body.slowest) expect(order.link).toBe(`/api/orders/${order.id}`);
      const csv = await fetch(`${stack.baseUrl}/api/reports/pipeline?format=csv`, {
        headers: manager.headers,
      });
      const records = parse<{ section: string }>(Buffer.from(await csv.arrayBuffer()).toString('utf8'), {
        bom: true,
        columns: true,
      });
      expect(new Set(records.map((record) => record.section))).toContain('status');
    });
  });
});
