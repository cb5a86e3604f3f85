/**
 * The start-up smoke test CI runs on each supported Node line beside the one the suite runs on: the
 * compiled launcher on a fresh data folder brings up PostgreSQL, Temporal, the worker and the API without a
 * warning; an order goes from placement to completion and its history replays; Ctrl-C stops it cleanly.
 * `node dist/scripts/smoke-start.js` after `npm run build`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expectOk, orderWhen, placeOrder, seed, signIn, startProduct, verifyHistory } from './product-run';

const say = (line: string) => console.log(`[smoke] ${line}`);

/** Lines of the product's output that warn about the runtime or a dependency (deprecations and the like). */
export function warnings(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => /(Deprecation|Experimental)Warning|\bDEP\d{4}\b|deprecated/i.test(line));
}

async function run(): Promise<void> {
  say(`Node ${process.versions.node}`);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'oms-smoke-'));
  const adminPassword = `smoke-${Date.now()}-password`;
  const product = await startProduct({ root: path.join(__dirname, '..', '..'), dataDir, adminPassword });
  let failure: Error | null = null;
  try {
    const health = await fetch(`${product.apiUrl}/health`);
    if (health.status !== 200) throw new Error(`/health answered ${health.status}`);
    const api = await signIn(product.apiUrl, 'admin', adminPassword);
    const { customerId, sku } = await seed(api, `smoke-${Date.now()}`);
    const order = await placeOrder(api, customerId, sku);
    await orderWhen(api, order.id, (o) => o.awaiting === 'approval');
    expectOk('approving', await api.post(`/api/orders/${order.id}/approve`, { comment: 'smoke' }));
    await orderWhen(api, order.id, (o) => o.awaiting === 'shipment');
    expectOk(
      'shipping',
      await api.post(`/api/orders/${order.id}/ship`, { carrier: 'SF', trackingNumber: 'SMOKE1' }),
    );
    await orderWhen(api, order.id, (o) => o.status === 'shipped');
    expectOk('completing', await api.post(`/api/orders/${order.id}/complete`, {}));
    await orderWhen(api, order.id, (o) => o.status === 'completed');
    const replay = await verifyHistory(api, order.id);
    if (!replay.ok) throw new Error(`the history did not replay: ${JSON.stringify(replay.detail)}`);
    say(`order ${order.number} completed, its ${replay.events} history events replay`);
    const warned = warnings(product.output());
    if (warned.length) throw new Error(`warnings at start:\n${warned.join('\n')}`);
    say('no warnings at start');
  } catch (error) {
    failure = error instanceof Error ? error : new Error(String(error));
  }
  const code = await product.stop();
  if (failure) {
    console.error(product.output());
    throw failure;
  }
  if (code !== 0) throw new Error(`the launcher exited with ${code} on Ctrl-C:\n${product.output()}`);
  rmSync(dataDir, { recursive: true, force: true });
  say('passed');
}

if (require.main === module) {
  run().catch((error: unknown) => {
    console.error('[smoke] failed:', error);
    process.exit(1);
  });
}
