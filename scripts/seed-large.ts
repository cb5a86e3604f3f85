/**
 * `npm run seed:large [-- --orders 1000000]`: fills an empty database with generated orders for measuring
 * reports, list and search at scale. Deterministic (fixed seed): the same size gives the same rows.
 * Realistic skew: five big customers take a fifth of the orders, most of the rest follow a power law;
 * days follow a yearly season with peaks on 11.11 and 6.18; about three lines per order; payments with
 * refunds and partial refunds; stage transitions with their times; escalation breaches.
 *
 * Rows are streamed with COPY FROM STDIN; secondary indexes are dropped during the load and rebuilt from
 * their own definitions after it; summaries (`sales_buckets`, the ranking and stage-duration summaries) are
 * built from the loaded rows with the same definitions the migrations use.
 */
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { migrateUp } from '../db/migrate';
import { RANKING_SUMMARIES_SQL } from '../db/migrations/Migration20261126090000_rankings';
import { SALES_BUCKET_DAYS_SQL } from '../db/migrations/Migration20261126100000_sales_days';
import { CUSTOMER_MONTH_BOUNDS_SQL } from '../db/migrations/Migration20261126110000_customer_month_bounds';
import { SHIPPING_TIMES_SQL } from '../db/migrations/Migration20261206051500_shipping_reports';
import { openDatabase } from './bench-database';
import { prng } from './prng';

const SEED = 20261126;
const END = Date.parse('2026-11-26T00:00:00Z');
const DAYS = 730;
const DAY = 86_400_000;

/** A deterministic UUID from a namespace byte and a number. */
function uuid(kind: number, n: number): string {
  const hex = n.toString(16).padStart(12, '0');
  return `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${hex}`;
}

/** COPY text format: tab-separated, \N for null, backslash escapes. */
function field(value: string | number | boolean | null): string {
  if (value === null) return '\\N';
  if (typeof value !== 'string') return String(value);
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}
const row = (values: (string | number | boolean | null)[]) => `${values.map(field).join('\t')}\n`;

async function copy(client: Client, sql: string, rows: Iterable<string>): Promise<void> {
  const batch = function* () {
    let chunk: string[] = [];
    for (const line of rows) {
      chunk.push(line);
      if (chunk.length === 5000) {
        yield chunk.join('');
        chunk = [];
      }
    }
    if (chunk.length) yield chunk.join('');
  };
  await pipeline(Readable.from(batch()), client.query(copyFrom(sql)));
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', 'Smith', 'Müller', 'García'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', 'Anna', 'Tom', 'Lea'];
const GOODS = ['龙井茶', '普洱茶', '铁观音', '白茶', '茶具套装', 'Jasmine tea', 'Teapot', 'Gift box'];
const CITIES = ['杭州市西湖区', '上海市浦东新区', '北京市朝阳区', '深圳市南山区', 'Berlin', 'London'];
const NOTES = ['请尽快发货', '礼品包装，谢谢', 'Leave at the front desk', '周末送货', '发票抬头：公司'];

interface Product {
  id: string;
  sku: string;
  price: number;
  currency: string;
  name: string;
}

async function run(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--orders');
  const orderCount = at >= 0 ? Number(args[at + 1]) : 1_000_000;
  if (!Number.isInteger(orderCount) || orderCount < 1)
    throw new Error('--orders must be a positive whole number');
  const db = await openDatabase();
  const client = new Client({ connectionString: db.url });
  try {
    console.log(`[seed] migrations: ${(await migrateUp(db.url)).join(', ') || 'up to date'}`);
    await client.connect();
    const [{ count }] = (await client.query<{ count: string }>('select count(*) from orders')).rows as [
      { count: string },
    ];
    if (Number(count) > 0) throw new Error(`the database already holds ${count} orders; seed an empty one`);
    const started = Date.now();
    const random = prng(SEED);
    const customerCount = Math.max(10, Math.round(orderCount / 50));
    const productCount = 2000;

    // Foreign keys are checked by triggers; the generator writes consistent rows, so skip them while loading.
    await client.query(`set session_replication_role = replica`);
    await client.query(`set max_parallel_workers_per_gather = 0`);
    const tables = [
      'orders',
      'order_lines',
      'payments',
      'order_transitions',
      'escalation_breaches',
      'customers',
    ];
    const { rows: indexes } = await client.query<{ name: string; definition: string }>(
      `select i.indexname as name, i.indexdef as definition from pg_indexes i
        where i.schemaname = 'public' and i.tablename = any($1)
          and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`,
      [tables],
    );
    for (const index of indexes) await client.query(`drop index "${index.name}"`);

    const customers: string[] = [];
    await copy(
      client,
      `copy customers (id, name, email, phone, address, language, created_at, updated_at) from stdin`,
      (function* () {
        for (let i = 0; i < customerCount; i++) {
          const id = uuid(1, i);
          customers.push(id);
          const name =
            i < 5
              ? `${['华东', '华南', '北方', 'Global', 'Euro'][i]}贸易集团 ${i + 1}`
              : `${SURNAMES[i % SURNAMES.length]}${GIVEN[(i * 7) % GIVEN.length]} ${i}`;
          const created = new Date(END - DAYS * DAY - (customerCount - i) * 1000).toISOString();
          yield row([
            id,
            name,
            `customer${i}@example.com`,
            `1380000${String(i % 10000).padStart(4, '0')}`,
            `${CITIES[i % CITIES.length]} ${i % 300} 号`,
            i % 5 === 0 ? 'en' : 'zh-CN',
            created,
            created,
          ]);
        }
      })(),
    );
    const products: Product[] = [];
    await copy(
      client,
      `copy products (id, sku, name, unit_price, currency, stock_on_hand, reserved, created_at, updated_at) from stdin`,
      (function* () {
        for (let i = 0; i < productCount; i++) {
          const product: Product = {
            id: uuid(2, i),
            sku: `GEN-${String(i).padStart(5, '0')}`,
            name: `${GOODS[i % GOODS.length]} ${i}`,
            price: 500 + Math.floor(random() * 50_000),
            currency: i % 10 === 0 ? 'USD' : 'CNY',
          };
          products.push(product);
          const created = new Date(END - DAYS * DAY).toISOString();
          yield row([
            product.id,
            product.sku,
            product.name,
            product.price,
            product.currency,
            1_000_000,
            0,
            created,
            created,
          ]);
        }
      })(),
    );
    const byCurrency = {
      CNY: products.filter((p) => p.currency === 'CNY'),
      USD: products.filter((p) => p.currency === 'USD'),
    };

    // Day weights: a yearly wave with peaks on 11.11 and 6.18, more on weekdays.
    const weights: number[] = [];
    for (let d = 0; d < DAYS; d++) {
      const date = new Date(END - (DAYS - d) * DAY);
      const md = `${date.getUTCMonth() + 1}.${date.getUTCDate()}`;
      const peak = md === '11.11' ? 6 : md === '6.18' ? 4 : md === '11.10' || md === '11.12' ? 2 : 1;
      const season = 1 + 0.4 * Math.sin(((date.getUTCMonth() + 1) / 12) * 2 * Math.PI);
      const weekday = date.getUTCDay() === 0 || date.getUTCDay() === 6 ? 0.8 : 1;
      weights.push(season * weekday * peak * (0.6 + (0.4 * d) / DAYS));
    }
    const cumulative: number[] = [];
    weights.reduce((sum, w, i) => (cumulative[i] = sum + w), 0);
    const totalWeight = cumulative[DAYS - 1]!;
    const pickDay = () => {
      const target = random() * totalWeight;
      let lo = 0;
      let hi = DAYS - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cumulative[mid]! < target) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };

    // Orders sorted by time, so numbers rise with it.
    const times: number[] = [];
    for (let i = 0; i < orderCount; i++) {
      const day = pickDay();
      // Busier in the day (UTC+8 business hours), quieter at night.
      const hour = random() < 0.8 ? 1 + random() * 12 : random() * 24;
      times.push(END - (DAYS - day) * DAY + Math.floor(hour * 3_600_000));
    }
    times.sort((a, b) => a - b);

    const lines: string[] = [];
    const payments: string[] = [];
    const transitions: string[] = [];
    const breaches: string[] = [];
    let paymentKey = 0;
    const flush = async () => {
      await copy(
        client,
        `copy order_lines (order_id, position, product_id, sku, name, quantity, unit_price, line_total, created_at, currency, active) from stdin`,
        lines.splice(0),
      );
      await copy(
        client,
        `copy payments (order_id, customer_id, kind, status, amount, currency, reason, idempotency_key, created_at) from stdin`,
        payments.splice(0),
      );
      await copy(
        client,
        `copy order_transitions (order_id, version, status, awaiting, stage, entered_at, left_at) from stdin`,
        transitions.splice(0),
      );
      await copy(
        client,
        `copy escalation_breaches (order_id, stage, since, level, at) from stdin`,
        breaches.splice(0),
      );
    };
    const hours = (h: number) => Math.floor(h * 3_600_000);
    const pickCustomer = () => {
      if (random() < 0.2) return customers[Math.floor(random() * 5)]!;
      return customers[5 + Math.floor(random() ** 2.5 * (customerCount - 5))]!;
    };

    const batchSize = 50_000;
    for (let start = 0; start < orderCount; start += batchSize) {
      const orderRows: string[] = [];
      for (let i = start; i < Math.min(orderCount, start + batchSize); i++) {
        const id = uuid(3, i);
        const created = times[i]!;
        const createdIso = new Date(created).toISOString();
        const currency = random() < 0.9 ? 'CNY' : 'USD';
        const pool = byCurrency[currency];
        const lineCount = 1 + Math.floor(random() * 4) + (random() < 0.6 ? 1 : 0);
        const orderLines: { p: Product; q: number }[] = [];
        for (let l = 0; l < lineCount; l++) {
          const p = pool[Math.floor(random() ** 1.5 * pool.length)]!;
          if (orderLines.some((x) => x.p === p)) continue;
          orderLines.push({ p, q: 1 + Math.floor(random() ** 2 * 4) });
        }
        const total = orderLines.reduce((sum, x) => sum + x.p.price * x.q, 0);
        const ageDays = (END - created) / DAY;
        const roll = random();
        // Fate by age: old orders are mostly done; recent ones still move.
        const status =
          roll < 0.03
            ? 'rejected'
            : roll < 0.1
              ? 'cancelled'
              : ageDays > 14
                ? 'completed'
                : roll < 0.3
                  ? 'created'
                  : roll < 0.55
                    ? 'processing'
                    : roll < 0.8
                      ? 'shipped'
                      : 'completed';
        // The stages it went through, with lognormal-ish stays.
        const path: [string, string | null, number][] = [
          ['created', 'approval', hours(0.2 + random() ** 3 * 30)],
        ];
        if (status !== 'rejected' && !(status === 'created')) {
          if (!(status === 'cancelled' && random() < 0.5)) {
            path.push(['processing', 'stock', hours(random() < 0.9 ? 0.01 : random() * 72)]);
            path.push(['processing', 'payment', hours(0.005 + random() * 0.05)]);
            path.push(['processing', 'shipment', hours(2 + random() ** 2 * 60)]);
            if (status !== 'cancelled' && status !== 'processing') {
              path.push(['shipped', 'delivery', hours(24 + random() ** 2 * 200)]);
            }
          }
        }
        const final =
          status === 'processing' ? null : status === 'shipped' ? null : status === 'created' ? null : status;
        if (status === 'processing') path.splice(path.length - Math.floor(random() * 2), Infinity);
        let t = created;
        let version = 1;
        const entered: [string, string | null, number][] = [];
        for (const [s, a, stay] of path) {
          entered.push([s, a, t]);
          t += stay;
        }
        if (final) entered.push([final, null, t]);
        entered.forEach(([s, a, when], index) => {
          const next = entered[index + 1];
          transitions.push(
            row([
              id,
              version++,
              s,
              a,
              a ? `${s}/${a}` : s,
              new Date(when).toISOString(),
              next ? new Date(next[2]).toISOString() : null,
            ]),
          );
        });
        const last = entered[entered.length - 1]!;
        const updated = last[2];
        const paid =
          entered.some(([s, a]) => s === 'processing' && a === 'shipment') ||
          status === 'completed' ||
          status === 'shipped';
        let captured = 0;
        let refunded = 0;
        const customerId = pickCustomer();
        if (paid || (status === 'cancelled' && entered.length > 2)) {
          captured = total;
          const at = new Date(entered.find(([, a]) => a === 'payment')?.[2] ?? created).toISOString();
          payments.push(
            row([id, customerId, 'authorization', 'succeeded', total, currency, null, `g${paymentKey}`, at]),
          );
          payments.push(
            row([id, customerId, 'capture', 'succeeded', total, currency, null, `g${paymentKey++}`, at]),
          );
          if (status === 'cancelled') refunded = total;
          else if (random() < 0.03 && total > 200) refunded = Math.floor(total * (0.1 + random() * 0.4));
          if (refunded > 0) {
            payments.push(
              row([
                id,
                customerId,
                'refund',
                'succeeded',
                refunded,
                currency,
                'generated',
                `g${paymentKey++}`,
                new Date(updated).toISOString(),
              ]),
            );
          }
        }
        if (path[0]![2] > hours(4)) {
          const since = new Date(created).toISOString();
          breaches.push(row([id, 'approval', since, 1, new Date(created + hours(4)).toISOString()]));
          if (path[0]![2] > hours(8))
            breaches.push(row([id, 'approval', since, 2, new Date(created + hours(8)).toISOString()]));
        }
        const active = status !== 'cancelled' && status !== 'rejected';
        orderLines.forEach(({ p, q }, position) => {
          lines.push(
            row([id, position, p.id, p.sku, p.name, q, p.price, p.price * q, createdIso, currency, active]),
          );
        });
        const number = `SO-${new Date(created).getUTCFullYear()}-${String(i + 1).padStart(7, '0')}`;
        const notes = random() < 0.1 ? NOTES[Math.floor(random() * NOTES.length)]! : null;
        const [, awaiting] = final ? [null, null] : last;
        const snapshot = {
          orderId: id,
          number,
          customerId,
          currency,
          lines: orderLines.map(({ p, q }) => ({
            productId: p.id,
            sku: p.sku,
            name: p.name,
            quantity: q,
            unitPrice: p.price,
            lineTotal: p.price * q,
          })),
          total,
          notes,
          approvalRule: { version: 1, autoApproveBelow: 0, staffApprovalLimit: 1_000_000, currency: 'CNY' },
          requestHash: null,
          status,
          awaiting,
          awaitingSince: awaiting ? new Date(updated).toISOString() : null,
          approvals: [],
          approvedTotal: status === 'created' || status === 'rejected' ? null : total,
          reserved: status === 'processing',
          stockShortages: [],
          payment: captured
            ? {
                status: refunded === captured ? 'refunded' : 'captured',
                amount: captured - refunded,
                lastError: null,
              }
            : null,
          shipment:
            status === 'shipped' || status === 'completed'
              ? { carrier: 'SF Express', trackingNumber: `SF${i}`, shippedAt: createdIso }
              : null,
          cancellation: null,
          rejection: null,
          completedAt: status === 'completed' ? new Date(updated).toISOString() : null,
          escalation: null,
          version: version - 1,
          createdAt: createdIso,
          updatedAt: new Date(updated).toISOString(),
        };
        orderRows.push(
          row([
            id,
            number,
            customerId,
            status,
            awaiting,
            snapshot.awaitingSince,
            currency,
            total,
            notes,
            JSON.stringify(snapshot),
            snapshot.shipment?.carrier ?? null,
            snapshot.shipment?.trackingNumber ?? null,
            snapshot.shipment?.shippedAt ?? null,
            snapshot.completedAt,
            version - 1,
            createdIso,
            snapshot.updatedAt,
            captured,
            refunded,
            orderLines.reduce((sum, x) => sum + x.q, 0),
          ]),
        );
      }
      await copy(
        client,
        `copy orders (id, number, customer_id, status, awaiting, awaiting_since, currency, total, notes, snapshot,
           carrier, tracking_number, shipped_at, completed_at, version, created_at, updated_at, captured, refunded, items) from stdin`,
        orderRows,
      );
      await flush();
      console.log(
        `[seed] ${Math.min(orderCount, start + batchSize)} orders (${Math.round((Date.now() - started) / 1000)} s)`,
      );
    }
    await client.query(`select setval('order_number_seq', $1)`, [orderCount + 1]);
    console.log(`[seed] summaries`);
    await client.query(`insert into order_status_counts select status, count(*) from orders group by status`);
    await client.query(`insert into sales_buckets
      select date_bin('15 minutes', created_at, timestamptz '2000-01-01 00:00:00+00'), currency,
        case when status in ('cancelled', 'rejected') then status else 'active' end,
        count(*), count(*) filter (where captured > refunded), sum(captured), sum(refunded)
      from orders group by 1, 2, 3 order by 1, 2, 3`);
    await client.query(SALES_BUCKET_DAYS_SQL);
    // Ranking summaries and the stage duration histogram, with the migration's own definition.
    await client.query(RANKING_SUMMARIES_SQL);
    await client.query(CUSTOMER_MONTH_BOUNDS_SQL);
    // The pipeline's shipping measures: each shipped order's one shipment (`shipped_at`), with the migration's SQL.
    await client.query(SHIPPING_TIMES_SQL);
    for (const index of indexes) {
      const t0 = Date.now();
      await client.query(index.definition);
      console.log(`[seed] index ${index.name} (${Math.round((Date.now() - t0) / 1000)} s)`);
    }
    await client.query(`set session_replication_role = origin`);
    await client.query(`vacuum analyze`);
    console.log(`[seed] done: ${orderCount} orders in ${Math.round((Date.now() - started) / 1000)} s`);
  } finally {
    await client.end().catch(() => undefined);
    await db.close();
  }
}

run().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
