/**
 * Rehearses the upgrade an existing installation makes: the version before the move to Node 24, NestJS 12
 * and MikroORM 7 creates a data folder with orders in every kind of state, then this build starts on the
 * same folder. Passes when every order is still there as it was, the waiting ones complete, and every
 * order's history replays against today's workflow code.
 *
 * `npm run build && node dist/scripts/upgrade-rehearsal.js [old-ref]`. The old version is `old-ref`, or by
 * default the last commit whose package.json still allowed Node 20 (`"node": ">=20.3"`), i.e. the version
 * before this upgrade; it is cloned from this repository into a scratch folder, installed and built there
 * (a few minutes). OMS_OLD_DIR names an already built tree of it instead; OMS_OLD_NODE the Node binary to
 * run it with (an installation on Node 20 moves up by running the old build on 20: /usr/bin/node here).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  expectOk,
  orderWhen,
  placeOrder,
  seed,
  signIn,
  startProduct,
  verifyHistory,
  type Api,
  type OrderView,
} from './product-run';

const say = (line: string) => console.log(`[rehearsal] ${line}`);
const root = path.join(__dirname, '..', '..');

function git(...args: string[]): string {
  return execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
}

/** The version before the upgrade: the parent of the commit that stopped allowing Node 20. */
function oldRef(): string {
  const given = process.argv[2];
  if (given) return git('rev-parse', '--verify', `${given}^{commit}`);
  const raised = git('log', '--format=%H', '-S"node": ">=20.3"', '--', 'package.json').split('\n')[0];
  if (!raised) throw new Error('no commit changed "node": ">=20.3" in package.json: name the old version');
  return git('rev-parse', `${raised}^`);
}

/** A built tree of the old version: OMS_OLD_DIR, or a fresh clone installed and built with OMS_OLD_NODE. */
function oldTree(ref: string, node: string): string {
  const given = process.env.OMS_OLD_DIR;
  if (given) {
    if (!existsSync(path.join(given, 'dist', 'scripts', 'start.js')))
      throw new Error(`${given} is not built`);
    return given;
  }
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'oms-old-')), 'oms');
  say(`cloning ${ref.slice(0, 10)} into ${dir}, installing and building it`);
  execFileSync('git', ['clone', '--quiet', root, dir], { stdio: 'inherit' });
  execFileSync('git', ['checkout', '--quiet', ref], { cwd: dir, stdio: 'inherit' });
  const { NODE_OPTIONS: _options, ...inherited } = process.env;
  const env = { ...inherited, PATH: `${path.dirname(node)}:${process.env.PATH ?? ''}` };
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dir, env, stdio: 'inherit' });
  execFileSync('npm', ['run', 'build'], { cwd: dir, env, stdio: 'inherit' });
  return dir;
}

type Kind = 'completed' | 'waiting for approval' | 'awaiting shipment' | 'shipped';

async function advance(api: Api, order: OrderView, to: Kind): Promise<OrderView> {
  const id = order.id;
  await orderWhen(api, id, (o) => o.awaiting === 'approval');
  if (to === 'waiting for approval') return orderWhen(api, id, () => true);
  expectOk('approving', await api.post(`/api/orders/${id}/approve`, { comment: 'before the upgrade' }));
  await orderWhen(api, id, (o) => o.awaiting === 'shipment');
  if (to === 'awaiting shipment') return orderWhen(api, id, () => true);
  expectOk(
    'shipping',
    await api.post(`/api/orders/${id}/ship`, { carrier: 'SF', trackingNumber: `T-${id}` }),
  );
  await orderWhen(api, id, (o) => o.status === 'shipped');
  if (to === 'shipped') return orderWhen(api, id, () => true);
  expectOk('completing', await api.post(`/api/orders/${id}/complete`, {}));
  return orderWhen(api, id, (o) => o.status === 'completed');
}

/** Takes an order that was in flight at the upgrade to completion, from wherever it waits. */
async function finish(api: Api, id: string): Promise<void> {
  let order = await orderWhen(api, id, () => true);
  if (order.awaiting === 'approval') {
    expectOk('approving', await api.post(`/api/orders/${id}/approve`, { comment: 'after the upgrade' }));
    order = await orderWhen(api, id, (o) => o.awaiting === 'shipment');
  }
  if (order.awaiting === 'shipment') {
    expectOk(
      'shipping',
      await api.post(`/api/orders/${id}/ship`, { carrier: 'SF', trackingNumber: `U-${id}` }),
    );
    order = await orderWhen(api, id, (o) => o.status === 'shipped');
  }
  if (order.status === 'shipped') expectOk('completing', await api.post(`/api/orders/${id}/complete`, {}));
  await orderWhen(api, id, (o) => o.status === 'completed');
}

async function run(): Promise<void> {
  const ref = oldRef();
  const oldNode = process.env.OMS_OLD_NODE ?? process.execPath;
  const oldVersion = execFileSync(oldNode, ['--version'], { encoding: 'utf8' }).trim();
  const oldDir = oldTree(ref, oldNode);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'oms-upgrade-'));
  const adminPassword = `rehearsal-${Date.now()}`;

  say(`old version ${ref.slice(0, 10)} (${oldDir}) on Node ${oldVersion}, data in ${dataDir}`);
  const before = new Map<string, OrderView>();
  const old = await startProduct({ root: oldDir, dataDir, adminPassword, node: oldNode });
  try {
    const api = await signIn(old.apiUrl, 'admin', adminPassword);
    const { customerId, sku } = await seed(api, `upgrade-${Date.now()}`);
    const kinds: Kind[] = ['completed', 'completed', 'waiting for approval', 'awaiting shipment', 'shipped'];
    for (const kind of kinds) {
      const order = await advance(api, await placeOrder(api, customerId, sku), kind);
      before.set(order.id, order);
      say(`  ${order.number}: ${kind} (${order.status}/${order.awaiting ?? '-'})`);
    }
  } finally {
    const code = await old.stop();
    say(`old version stopped (exit ${code})`);
  }

  say(`this version on Node ${process.versions.node}, same data folder`);
  const product = await startProduct({ root, dataDir, adminPassword });
  const problems: string[] = [];
  try {
    // The migrations the old version recorded are the ones this version has: none is applied again.
    if (!product.output().includes('database schema is up to date'))
      problems.push(`migrations ran again at the upgrade:\n${product.output().slice(0, 4000)}`);
    const api = await signIn(product.apiUrl, 'admin', adminPassword);
    for (const [id, was] of before) {
      const { status, body } = await api.get<OrderView>(`/api/orders/${id}`);
      if (status !== 200) problems.push(`${was.number}: ${status} after the upgrade`);
      else if (body.status !== was.status || body.awaiting !== was.awaiting)
        problems.push(
          `${was.number}: was ${was.status}/${was.awaiting}, now ${body.status}/${body.awaiting}`,
        );
    }
    const waiting = [...before.values()].filter((order) => order.status !== 'completed');
    for (const order of waiting) await finish(api, order.id);
    say(`${waiting.length} orders waiting or in flight at the upgrade completed`);
    const { customerId, sku } = await seed(api, `after-${Date.now()}`);
    const fresh = await placeOrder(api, customerId, sku);
    await finish(api, fresh.id);
    say(`an order placed after the upgrade completed (${fresh.number})`);
    for (const id of [...before.keys(), fresh.id]) {
      const replay = await verifyHistory(api, id);
      if (!replay.ok) problems.push(`${id}: its history does not replay: ${JSON.stringify(replay.detail)}`);
    }
    say(`histories verified: ${before.size + 1}`);
  } finally {
    const code = await product.stop();
    say(`this version stopped (exit ${code})`);
  }
  if (problems.length) throw new Error(problems.join('\n'));
  say(`passed: ${before.size} orders made by ${ref.slice(0, 10)} kept, finished and replayed`);
}

if (require.main === module) {
  run().catch((error: unknown) => {
    console.error('[rehearsal] failed:', error);
    process.exit(1);
  });
}
