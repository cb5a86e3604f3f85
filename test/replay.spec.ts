/**
 * Determinism over time: real order histories, recorded from the running system, replayed against today's
 * workflow code. A change to `workflows/` that would break orders already in flight fails here; intended
 * changes go behind `patched()`. Record new fixtures with `npm run fixtures:record`.
 */
import { Worker } from '@temporalio/worker';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { findTemporalBinary } from '../scripts/temporal-server';
import { orderWorkflowId } from '../workflows/order.definitions';
import { seedCatalogue } from './support/fixtures';
import { placeOrder, stockOf } from './support/orders';
import { startStack } from './support/stack';

/** Newly recorded histories go here; older recordings stay in subfolders and must keep replaying. */
const FIXTURES = path.join(__dirname, 'fixtures', 'histories');

/** Each scenario drives one order through a distinct path and names the fixture it becomes. */
async function recordScenarios(): Promise<void> {
  const stack = await startStack();
  const staff = await stack.client(['staff'], 'clerk');
  const manager = await stack.client(['manager'], 'boss');
  try {
    const { customerId, skus } = await seedCatalogue(staff, [
      { unitPrice: 1000, stockOnHand: 100 },
      { unitPrice: 500, stockOnHand: 0 },
    ]);
    const [plenty, none] = [skus[0]!, skus[1]!];
    const scenarios: Record<string, () => Promise<string>> = {
      'completed-after-approval': async () => {
        const order = await placeOrder(staff, customerId, [{ sku: plenty, quantity: 2 }]);
        await staff.post(`/api/orders/${order.id}/approve`, { comment: 'ok' });
        await staff.post(`/api/orders/${order.id}/ship`, { carrier: 'SF', trackingNumber: 'SF1' });
        await staff.post(`/api/orders/${order.id}/complete`, {});
        return order.id;
      },
      'cancelled-with-refund': async () => {
        const order = await placeOrder(staff, customerId, [{ sku: plenty, quantity: 1 }]);
        await staff.post(`/api/orders/${order.id}/approve`, {});
        await staff.post(`/api/orders/${order.id}/cancel`, { reason: 'customer asked' });
        return order.id;
      },
      'waited-for-stock-then-restocked': async () => {
        const order = await placeOrder(staff, customerId, [{ sku: none, quantity: 1 }]);
        await staff.post(`/api/orders/${order.id}/approve`, {});
        await staff.post(`/api/products/${(await stockOf(staff, none)).id}/stock`, {
          delta: 1,
          reason: 'delivery',
        });
        for (
          let i = 0;
          i < 50 && (await staff.get(`/api/orders/${order.id}`)).body.awaiting !== 'shipment';
          i++
        ) {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        await staff.post(`/api/orders/${order.id}/ship`, { carrier: 'EMS', trackingNumber: 'E1' });
        await staff.post(`/api/orders/${order.id}/complete`, {});
        return order.id;
      },
      'edited-back-to-manager-then-rejected': async () => {
        const order = await placeOrder(staff, customerId, [{ sku: plenty, quantity: 5 }]);
        await staff.post(`/api/orders/${order.id}/approve`, {});
        await staff.patch(`/api/orders/${order.id}`, {
          lines: [{ sku: plenty, quantity: 90 }],
          notes: 'bigger',
        });
        await manager.post(`/api/orders/${order.id}/reject`, { reason: 'too large' });
        return order.id;
      },
      'escalated-then-approved': async () => {
        const policy = (
          await manager.get<{ items: { stage: string; levels: unknown }[] }>('/api/escalation-policies')
        ).body.items.find((p) => p.stage === 'approval')!;
        await manager.put('/api/escalation-policies/approval', {
          levels: [{ after: 'PT1S', notify: ['manager'] }],
        });
        try {
          const order = await placeOrder(staff, customerId, [{ sku: plenty, quantity: 1 }]);
          // Past the one-second level: the reminder fires before the approval.
          await new Promise((resolve) => setTimeout(resolve, 2500));
          await staff.post(`/api/orders/${order.id}/approve`, {});
          await staff.post(`/api/orders/${order.id}/cancel`, { reason: 'escalation recorded' });
          return order.id;
        } finally {
          await manager.put('/api/escalation-policies/approval', { levels: policy.levels });
        }
      },
      'payment-declined-then-retried': async () => {
        const limited = await staff.post('/api/customers', {
          name: 'Limited',
          email: 'limited@example.com',
          creditLimit: 100,
        });
        const order = await placeOrder(staff, limited.body.id as string, [{ sku: plenty, quantity: 1 }]);
        await staff.post(`/api/orders/${order.id}/approve`, {});
        await staff.patch(`/api/customers/${limited.body.id as string}`, { creditLimit: null });
        await staff.post(`/api/orders/${order.id}/retry-payment`, {});
        await staff.post(`/api/orders/${order.id}/cancel`, { reason: 'done testing' });
        return order.id;
      },
    };
    for (const [name, run] of Object.entries(scenarios)) {
      const orderId = await run();
      const handle = stack.temporal.workflow.getHandle(orderWorkflowId(orderId));
      await handle.result();
      // The CLI writes the history in Temporal's canonical JSON, as the UI's export does.
      const json = execFileSync(
        findTemporalBinary(process.env.OMS_TEMPORAL_BIN) ?? 'temporal',
        [
          'workflow',
          'show',
          '--workflow-id',
          handle.workflowId,
          '--address',
          stack.config.temporal.address,
          '--output',
          'json',
        ],
        { encoding: 'utf8' },
      );
      writeFileSync(path.join(FIXTURES, `${name}.json`), json);
    }
  } finally {
    await stack.close();
  }
}

if (process.env.OMS_RECORD_HISTORIES) {
  describe('recording workflow histories', () => {
    it('records one history per scenario into test/fixtures/histories', recordScenarios, 120_000);
  });
}

describe('recorded order histories', () => {
  const files = readdirSync(FIXTURES, { recursive: true, encoding: 'utf8' }).filter((file) =>
    file.endsWith('.json'),
  );

  it('are there to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
  });

  it.each(files)('%s replays against the workflow code of today', async (file) => {
    const history: unknown = JSON.parse(readFileSync(path.join(FIXTURES, file), 'utf8'));
    await Worker.runReplayHistory(
      { workflowBundle: { codePath: process.env.OMS_TEST_WORKFLOW_BUNDLE! } },
      history,
      file,
    );
  });
});
