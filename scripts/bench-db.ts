/**
 * `npm run bench:db`: times the list, search and report queries the API runs (through the same repository
 * code), 20 warm runs each after 3 to warm up, and prints the p95 with an `EXPLAIN (ANALYZE, BUFFERS)`
 * summary of each SQL statement the call issued. Run it against a database filled by `npm run seed:large`;
 * words after `--` keep only the cases whose names contain one of them.
 */
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { ormConfig } from '../db/mikro-orm.config';
import { EscalationRepository, OrderRepository, ReportRepository, type Period } from '../db/repositories';
import { ReportQueryDto, SalesQueryDto } from '../api/dtos/report.dto';
import { ReportService } from '../api/services/report.service';
import { openDatabase } from './bench-database';

const RUNS = 20;
const WARM_UP = 3;

interface Case {
  name: string;
  call: (em: EntityManager) => Promise<unknown>;
}

const period = (from: string, to: string): Period => ({ from, to, timeZone: 'Asia/Shanghai' });
const week = period('2026-11-19', '2026-11-25');
const month = period('2026-10-27', '2026-11-25');
const year = period('2025-11-26', '2026-11-25');
const all = period('2024-11-26', '2026-11-25');

/** The last day of the generated data (`seed:large`); the reports' default periods end there. */
const LAST_DAY = '2026-11-25';

/** The service the report endpoints call: default periods and time zone, every query of the report. */
const reportsOf = (em: EntityManager) =>
  new ReportService(new ReportRepository(em), new EscalationRepository(em));

const CASES: Case[] = [
  { name: 'list: newest 50', call: (em) => new OrderRepository(em).list({ limit: 50 }) },
  {
    name: 'list: status=processing',
    call: (em) => new OrderRepository(em).list({ status: 'processing', limit: 50 }),
  },
  {
    name: 'list: one big customer',
    call: (em) =>
      new OrderRepository(em).list({ customerId: '00000001-0000-4000-8000-000000000000', limit: 50 }),
  },
  {
    name: 'list: awaiting=manager_approval',
    call: (em) => new OrderRepository(em).list({ awaiting: 'manager_approval', limit: 50 }),
  },
  {
    name: 'list: one day a year ago',
    call: (em) =>
      new OrderRepository(em).list({
        createdFrom: '2025-11-11T00:00:00+08:00',
        createdTo: '2025-11-12T00:00:00+08:00',
        limit: 50,
      }),
  },
  {
    name: 'list: total 1,000,000.00 or more',
    call: (em) => new OrderRepository(em).list({ minTotal: 100_000_000, limit: 50 }),
  },
  {
    name: 'list: total 5,000.00 or more',
    call: (em) => new OrderRepository(em).list({ minTotal: 500_000, limit: 50 }),
  },
  {
    name: 'list: total 500.00 to 501.00',
    call: (em) => new OrderRepository(em).list({ minTotal: 50_000, maxTotal: 50_100, limit: 50 }),
  },
  {
    name: 'search: order number',
    call: (em) => new OrderRepository(em).list({ q: 'SO-2026-0912345', limit: 50 }),
  },
  {
    name: 'search: number prefix',
    call: (em) => new OrderRepository(em).list({ q: 'SO-2026-01', limit: 50 }),
  },
  { name: 'search: customer name', call: (em) => new OrderRepository(em).list({ q: '华南贸易', limit: 50 }) },
  { name: 'search: notes text', call: (em) => new OrderRepository(em).list({ q: '礼品包装', limit: 50 }) },
  { name: 'search: two rare letters', call: (em) => new OrderRepository(em).list({ q: 'zq', limit: 50 }) },
  { name: 'search: two digits', call: (em) => new OrderRepository(em).list({ q: '12', limit: 50 }) },
  { name: 'search: one Latin letter', call: (em) => new OrderRepository(em).list({ q: 'a', limit: 50 }) },
  { name: 'search: one Chinese letter', call: (em) => new OrderRepository(em).list({ q: '王', limit: 50 }) },
  {
    name: 'search: notes text, rejected, total range',
    call: (em) =>
      new OrderRepository(em).list({
        q: '礼品包装',
        status: 'rejected',
        minTotal: 100_000,
        maxTotal: 200_000,
        limit: 50,
      }),
  },
  { name: 'search: rare word', call: (em) => new OrderRepository(em).list({ q: 'zzz-nothing', limit: 50 }) },
  { name: 'sales: 30 days by day', call: (em) => new ReportRepository(em).sales(month, 'day') },
  { name: 'sales: 1 year by week', call: (em) => new ReportRepository(em).sales(year, 'week') },
  { name: 'sales: 2 years by month', call: (em) => new ReportRepository(em).sales(all, 'month') },
  {
    name: 'customers: 30 days by revenue',
    call: (em) => new ReportRepository(em).customers(month, 'revenue', 20),
  },
  {
    name: 'customers: 1 year by quantity',
    call: (em) => new ReportRepository(em).customers(year, 'quantity', 20),
  },
  {
    name: 'products: 30 days by revenue',
    call: (em) => new ReportRepository(em).products(month, 'revenue', 20),
  },
  {
    name: 'products: 1 year by revenue',
    call: (em) => new ReportRepository(em).products(year, 'revenue', 20),
  },
  { name: 'pipeline: statuses now', call: (em) => new ReportRepository(em).statusCounts() },
  { name: 'pipeline: stage times 7 days', call: (em) => new ReportRepository(em).stageTimes(week) },
  { name: 'pipeline: stage times 30 days', call: (em) => new ReportRepository(em).stageTimes(month) },
  { name: 'pipeline: breaches 7 days', call: (em) => new ReportRepository(em).breaches(week) },
  { name: 'pipeline: slowest open', call: (em) => new ReportRepository(em).slowestOpen(20) },
  {
    name: 'report: sales, defaults',
    call: (em) => reportsOf(em).sales(Object.assign(new SalesQueryDto(), { to: LAST_DAY })),
  },
  {
    name: 'report: pipeline, defaults',
    call: (em) => reportsOf(em).pipeline(Object.assign(new ReportQueryDto(), { to: LAST_DAY })),
  },
];

const p95 = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.ceil(samples.length * 0.95) - 1]!;

/** The plan's shape in one line per node that matters: node type, relation/index, rows, time, buffers. */
function summarise(plan: PlanNode, depth = 0, out: string[] = []): string[] {
  const target = plan['Index Name'] ?? plan['Relation Name'] ?? '';
  const buffers = (plan['Shared Hit Blocks'] ?? 0) + (plan['Shared Read Blocks'] ?? 0);
  out.push(
    `${'  '.repeat(depth)}${plan['Node Type']}${target ? ` ${target}` : ''} rows=${plan['Actual Rows']} ` +
      `time=${plan['Actual Total Time']?.toFixed(1)}ms buffers=${buffers}`,
  );
  for (const child of plan.Plans ?? []) summarise(child, depth + 1, out);
  return out;
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Actual Total Time'?: number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

async function run(): Promise<void> {
  const db = await openDatabase();
  const queries: string[] = [];
  let capture = false;
  const orm = await MikroORM.init(
    ormConfig(db.url, {
      debug: ['query', 'query-params'],
      colors: false,
      logger: (message) => {
        // "[query] select … [took 3 ms, 1 result]": keep the statement, with its parameters inlined.
        const match = /^\[query\] (.*) \[took [^\]]*\]$/s.exec(message);
        if (capture && match) queries.push(match[1]!);
      },
    }),
  );
  const pg = new Client({ connectionString: db.url });
  await pg.connect();
  try {
    const { rows } = await pg.query<{ count: string }>('select count(*) from orders');
    console.log(`orders: ${rows[0]!.count}\n`);
    const results: { name: string; p95: number; median: number }[] = [];
    // `npm run bench:db -- customers sales`: only the cases whose names contain one of the words.
    const only = process.argv.slice(2);
    for (const test of CASES.filter((c) => only.length === 0 || only.some((word) => c.name.includes(word)))) {
      for (let i = 0; i < WARM_UP; i++) await test.call(orm.em.fork());
      const samples: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t0 = process.hrtime.bigint();
        await test.call(orm.em.fork());
        samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      queries.length = 0;
      capture = true;
      await test.call(orm.em.fork());
      capture = false;
      const result = {
        name: test.name,
        p95: p95(samples),
        median: [...samples].sort((a, b) => a - b)[RUNS / 2]!,
      };
      results.push(result);
      console.log(`== ${test.name}: p95 ${result.p95.toFixed(1)} ms (median ${result.median.toFixed(1)} ms)`);
      // Only queries have plans: not the transaction's begin, commit or `set local`.
      for (const sql of queries.filter((query) => /^\s*(select|with)\b/i.test(query))) {
        const explained = await pg.query<{ 'QUERY PLAN': [{ Plan: PlanNode; 'Execution Time': number }] }>(
          `explain (analyze, buffers, format json) ${sql}`,
        );
        const [plan] = explained.rows[0]!['QUERY PLAN'];
        console.log(`   execution ${plan.Plan ? plan['Execution Time'].toFixed(1) : '?'} ms`);
        for (const line of summarise(plan.Plan)) console.log(`   ${line}`);
      }
    }
    console.log('\n| query | p95 (ms) | median (ms) |\n| --- | ---: | ---: |');
    for (const r of results) console.log(`| ${r.name} | ${r.p95.toFixed(1)} | ${r.median.toFixed(1)} |`);
  } finally {
    await pg.end();
    await orm.close(true);
    await db.close();
  }
}

run().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
