/**
 * `npm run bench:import`: an order import of `--orders N` orders of `--lines L` lines (2,000 × 5 = 10,000 rows
 * by default) against the product started as `npm start` does (or `--reuse`: the running one). It times the
 * preview (upload to answer) and the commit (202 to `committed`, every order created), and meanwhile the
 * staff actions a person does while it runs: approving an order (`POST /api/orders/:id/approve`, on the
 * import's own orders as they appear) and fetching a page of orders (`GET /api/orders?limit=20`), one after
 * the other with a short pause; the same actions are first timed without an import (on orders placed for
 * it). Prints a markdown table and writes JSON to `bench-results/`. Not a test: nothing is asserted beyond
 * every order being created once.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { percentile, signIn, startTarget, type Call } from './bench';

interface ImportView {
  id: string;
  status: string;
  rows: number;
  valid: number;
  orders: number;
  processed: number;
  errorCount: number;
  results: { externalRef: string; orderId: string | null; created: boolean; error: string | null }[];
}

const argValue = (argv: string[], name: string, fallback: number) => {
  const index = argv.indexOf(name);
  return index >= 0 ? Number(argv[index + 1]) : fallback;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const begin = performance.now();
  const result = await work();
  return [result, performance.now() - begin];
}

/** Latencies of the staff actions, in ms. */
class StaffLoad {
  readonly approve: number[] = [];
  readonly list: number[] = [];
  /** Refused or failed actions, by their message. */
  readonly failures: string[] = [];

  constructor(private readonly call: Call) {}

  /** One approval (when an order is waiting) and one page of orders. */
  async once(toApprove: string | undefined): Promise<void> {
    const attempt = async (into: number[], work: () => Promise<unknown>) => {
      try {
        into.push((await timed(work))[1]);
      } catch (error) {
        this.failures.push(String(error).slice(0, 200));
      }
    };
    if (toApprove)
      await attempt(this.approve, () =>
        this.call('POST', `/orders/${toApprove}/approve`, { comment: 'bench' }),
      );
    await attempt(this.list, () => this.call('GET', '/orders?limit=20'));
  }

  figures() {
    const of = (values: number[]) => ({
      count: values.length,
      p50: Math.round(percentile(values, 50)),
      p99: Math.round(percentile(values, 99)),
      max: Math.round(Math.max(...values)),
    });
    return { approve: of(this.approve), list: of(this.list), failures: this.failures.length };
  }
}

async function run(): Promise<void> {
  const argv = process.argv.slice(2);
  const orders = argValue(argv, '--orders', 2000);
  const lines = argValue(argv, '--lines', 5);
  const baselineSamples = argValue(argv, '--baseline', 40);
  const pauseMs = argValue(argv, '--pause', 250);
  const target = await startTarget(
    {
      short: false,
      reuse: argv.includes('--reuse'),
      rounds: 0,
      ordersPerRound: 0,
      waiting: 0,
      fault: null,
      staff: 0,
      partialEvery: 0,
      messages: 0,
    },
    {},
  );
  let passed = false;
  try {
    const call = await signIn(target.apiUrl, target.password);
    // Every order waits for a staff member's approval: the staff action timed.
    await call('PUT', '/settings/approval', {
      autoApproveBelow: 0,
      staffApprovalLimit: 1e11,
      currency: 'CNY',
    });
    const tag = randomUUID().slice(0, 8);
    const customer = await call('POST', '/customers', {
      name: `Import bench ${tag}`,
      email: `ib-${tag}@example.com`,
    });
    const skus = Array.from({ length: lines }, (_, i) => `IB-${tag}-${i}`);
    for (const sku of skus)
      await call('POST', '/products', { sku, name: sku, unitPrice: 100, currency: 'CNY', stockOnHand: 1e9 });

    // Staff actions without an import.
    const quiet = new StaffLoad(call);
    for (let i = 0; i < baselineSamples; i++) {
      const order = await call('POST', '/orders', {
        customerId: customer.id,
        lines: [{ sku: skus[0], quantity: 1 }],
      });
      await quiet.once(order.id as string);
      await sleep(pauseMs);
    }

    const csv = ['externalRef,customer,sku,quantity'];
    for (let o = 0; o < orders; o++)
      for (const sku of skus) csv.push(`IB-${tag}-${o},${String(customer.id)},${sku},${1 + (o % 3)}`);
    const body = csv.join('\r\n');
    const form = new FormData();
    form.append('file', new Blob([body]), 'bench.csv');
    const token = (await (
      await fetch(`${target.apiUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: target.password }),
      })
    ).json()) as { accessToken: string };
    const [previewResponse, previewMs] = await timed(() =>
      fetch(`${target.apiUrl}/api/imports/orders`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token.accessToken}` },
        body: form,
      }),
    );
    const preview = (await previewResponse.json()) as ImportView;
    if (previewResponse.status !== 201 || preview.valid !== orders * lines)
      throw new Error(`preview answered ${previewResponse.status}: ${JSON.stringify(preview).slice(0, 500)}`);
    console.log(
      `preview of ${preview.rows} rows (${preview.orders} orders): ${(previewMs / 1000).toFixed(2)} s`,
    );

    const busy = new StaffLoad(call);
    const begin = performance.now();
    await call('POST', `/imports/${preview.id}/commit`, {});
    let view = preview;
    const approved = new Set<string>();
    let lastReport = begin;
    while (view.status !== 'committed') {
      view = (await call('GET', `/imports/${preview.id}`)) as unknown as ImportView;
      const next = view.results.find((r) => r.orderId && !approved.has(r.orderId))?.orderId ?? undefined;
      if (next) approved.add(next);
      if (view.status !== 'committed') await busy.once(next);
      if (performance.now() - lastReport > 30_000) {
        lastReport = performance.now();
        console.log(
          `  ${view.processed} of ${view.orders} orders after ${((lastReport - begin) / 1000).toFixed(0)} s`,
        );
      }
      await sleep(pauseMs);
    }
    const commitSeconds = (performance.now() - begin) / 1000;
    const created = view.results.filter((r) => r.created).length;
    const failed = view.results.filter((r) => r.error !== null).length;
    if (view.processed !== orders || created !== orders)
      throw new Error(
        `the commit handled ${view.processed}, created ${created}, failed ${failed} of ${orders}`,
      );

    const result = {
      date: new Date().toISOString(),
      rows: orders * lines,
      orders,
      linesPerOrder: lines,
      previewSeconds: Number((previewMs / 1000).toFixed(2)),
      commitSeconds: Number(commitSeconds.toFixed(1)),
      ordersPerSecond: Number((orders / commitSeconds).toFixed(1)),
      staffWithoutImport: quiet.figures(),
      staffDuringCommit: busy.figures(),
    };
    const q = result.staffWithoutImport;
    const b = result.staffDuringCommit;
    const markdown = [
      `| measure | without an import | during the commit |`,
      `| --- | --- | --- |`,
      `| approve p50 / p99 / max (ms) | ${q.approve.p50} / ${q.approve.p99} / ${q.approve.max} (${q.approve.count}) | ${b.approve.p50} / ${b.approve.p99} / ${b.approve.max} (${b.approve.count}) |`,
      `| order list p50 / p99 / max (ms) | ${q.list.p50} / ${q.list.p99} / ${q.list.max} (${q.list.count}) | ${b.list.p50} / ${b.list.p99} / ${b.list.max} (${b.list.count}) |`,
      '',
      `staff actions refused or failed: ${q.failures} without, ${b.failures} during`,
      `preview of ${result.rows} rows (${orders} orders of ${lines} lines): ${result.previewSeconds} s; ` +
        `commit to all orders created: ${result.commitSeconds} s (${result.ordersPerSecond} orders/s)`,
    ].join('\n');
    console.log(markdown);
    const folder = path.join(process.cwd(), 'bench-results');
    mkdirSync(folder, { recursive: true });
    writeFileSync(
      path.join(folder, `import-${result.date.replace(/[:.]/g, '-')}.json`),
      JSON.stringify(result, null, 2),
    );
    passed = true;
  } finally {
    await target.stop(passed);
  }
}

if (require.main === module) {
  run().catch((error: unknown) => {
    console.error('bench:import failed:', error);
    process.exit(1);
  });
}
