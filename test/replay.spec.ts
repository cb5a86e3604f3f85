/**
 * Determinism over time: real order histories, recorded from the running system, replayed against today's
 * workflow code. A change to `workflows/` that would break orders already in flight fails here; intended
 * changes go behind `patched()`. Record new fixtures with `npm run fixtures:record`.
 */
import { makeWorkflowExporter } from '@temporalio/interceptors-opentelemetry';
import { Worker } from '@temporalio/worker';
import { emptyResource } from '@opentelemetry/resources';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
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

/** `OMS_RECORD_HISTORIES=1` records every scenario; a comma-separated list records only those named. */
const RECORD = process.env.OMS_RECORD_HISTORIES;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
    const cheap = (await seedCatalogue(staff, [{ unitPrice: 1, stockOnHand: 100 }])).skus[0]!;
    const awaiting = async (orderId: string, wanted: string) => {
      for (let i = 0; i < 100; i++) {
        if ((await staff.get(`/api/orders/${orderId}`)).body.awaiting === wanted) return;
        await sleep(100);
      }
      throw new Error(`order ${orderId} never awaited ${wanted}`);
    };
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
      'approved-by-the-system-then-completed': async () => {
        const { autoApproveBelow, staffApprovalLimit, currency } = (
          await manager.get<Record<string, unknown>>('/api/settings/approval')
        ).body;
        const rule = { autoApproveBelow, staffApprovalLimit, currency };
        await manager.put('/api/settings/approval', { ...rule, autoApproveBelow: 100 });
        const order = await placeOrder(staff, customerId, [{ sku: cheap, quantity: 1 }]).finally(() =>
          manager.put('/api/settings/approval', rule),
        );
        await awaiting(order.id, 'shipment');
        await staff.post(`/api/orders/${order.id}/ship`, { carrier: 'SF', trackingNumber: 'SF2' });
        await staff.post(`/api/orders/${order.id}/complete`, {});
        return order.id;
      },
      'cancelled-while-waiting-for-stock': async () => {
        const order = await placeOrder(staff, customerId, [{ sku: none, quantity: 3 }]);
        await staff.post(`/api/orders/${order.id}/approve`, {});
        await awaiting(order.id, 'stock');
        await staff.post(`/api/orders/${order.id}/cancel`, { reason: 'cannot wait' });
        return order.id;
      },
      'edited-down-while-reserved-then-shipped': async () => {
        const order = await placeOrder(staff, customerId, [{ sku: plenty, quantity: 4 }]);
        await staff.post(`/api/orders/${order.id}/approve`, {});
        await awaiting(order.id, 'shipment');
        // Reserved and paid: the edit moves the reservation and refunds the difference.
        await staff.patch(`/api/orders/${order.id}`, { lines: [{ sku: plenty, quantity: 2 }] });
        await staff.post(`/api/orders/${order.id}/ship`, { carrier: 'EMS', trackingNumber: 'E2' });
        await staff.post(`/api/orders/${order.id}/complete`, {});
        return order.id;
      },
      'payment-problem-then-resolved': async () => {
        // A gateway that fails in a way retrying cannot fix: the order shows the problem until a retry passes.
        await stack.stopWorker();
        await stack.startWorker('broken-gateway', {
          gateway: () => ({
            charge: () => Promise.reject(new TypeError('the gateway answered nonsense')),
            refund: () => Promise.resolve(),
          }),
        });
        const order = await placeOrder(staff, customerId, [{ sku: plenty, quantity: 1 }]);
        await staff.post(`/api/orders/${order.id}/approve`, {});
        for (let i = 0; i < 100 && !(await staff.get(`/api/orders/${order.id}`)).body.problem; i++)
          await sleep(100);
        await stack.stopWorker();
        await stack.startWorker();
        await staff.post(`/api/orders/${order.id}/retry-payment`, {});
        await awaiting(order.id, 'shipment');
        await staff.post(`/api/orders/${order.id}/cancel`, { reason: 'recorded' });
        return order.id;
      },
      'stock-release-failed-once-then-passed': async () => {
        // Releasing a cancelled order's stock fails once on a defect: shown, tried again, then cleared.
        let failures = 0;
        await stack.stopWorker();
        await stack.startWorker('flaky-release', {
          notifyStockChanged: () =>
            failures++ === 0
              ? Promise.reject(new TypeError('the queue was read wrongly'))
              : Promise.resolve(),
        });
        try {
          const order = await placeOrder(staff, customerId, [{ sku: plenty, quantity: 1 }]);
          await staff.post(`/api/orders/${order.id}/cancel`, { reason: 'recorded' });
          await stack.temporal.workflow.getHandle(orderWorkflowId(order.id)).result();
          return order.id;
        } finally {
          await stack.stopWorker();
          await stack.startWorker();
        }
      },
      'shipped-in-two-parts-then-completed': async () => {
        const order = await placeOrder(staff, customerId, [{ sku: plenty, quantity: 5 }]);
        await staff.post(`/api/orders/${order.id}/approve`, {});
        await staff.post(`/api/orders/${order.id}/shipments`, {
          lines: [{ sku: plenty, quantity: 3 }],
          carrier: 'SF',
          trackingNumber: 'SF-P1',
        });
        // More than is left: refused by the update validator, so nothing of it enters the history.
        await staff.post(`/api/orders/${order.id}/shipments`, {
          lines: [{ sku: plenty, quantity: 3 }],
          carrier: 'SF',
          trackingNumber: 'SF-P2',
        });
        await staff.post(`/api/orders/${order.id}/ship`, { carrier: 'EMS', trackingNumber: 'E-REST' });
        await staff.post(`/api/orders/${order.id}/complete`, {});
        return order.id;
      },
      'partly-shipped-then-cancelled': async () => {
        const order = await placeOrder(staff, customerId, [{ sku: plenty, quantity: 5 }]);
        await staff.post(`/api/orders/${order.id}/approve`, {});
        await staff.post(`/api/orders/${order.id}/shipments`, {
          lines: [{ sku: plenty, quantity: 2 }],
          carrier: 'SF',
          trackingNumber: 'SF-C1',
        });
        // The 3 not shipped are released and their value refunded; the 2 shipped stay recorded and paid.
        await staff.post(`/api/orders/${order.id}/cancel`, { reason: 'the rest is not wanted' });
        return order.id;
      },
      'partial-order-shipped-as-stock-came': async () => {
        // allowPartial: 8 of 10 reserved and shipped, the last 2 reserved on a restock and shipped.
        const short = (await seedCatalogue(staff, [{ unitPrice: 1000, stockOnHand: 8 }])).skus[0]!;
        const placed = await staff.post<{ id: string; awaiting: string }>('/api/orders', {
          customerId,
          lines: [{ sku: short, quantity: 10 }],
          allowPartial: true,
        });
        const order = placed.body;
        if (order.awaiting !== 'stock' && order.awaiting !== 'shipment')
          await staff.post(`/api/orders/${order.id}/approve`, {});
        // Units not reserved: refused by the update validator, so nothing of it enters the history.
        await staff.post(`/api/orders/${order.id}/shipments`, {
          lines: [{ sku: short, quantity: 9 }],
          carrier: 'SF',
          trackingNumber: 'SF-X',
        });
        await staff.post(`/api/orders/${order.id}/ship`, { carrier: 'SF', trackingNumber: 'SF-A1' });
        await awaiting(order.id, 'stock');
        await staff.post(`/api/products/${(await stockOf(staff, short)).id}/stock`, {
          delta: 2,
          reason: 'delivery',
        });
        await awaiting(order.id, 'shipment');
        await staff.post(`/api/orders/${order.id}/ship`, { carrier: 'EMS', trackingNumber: 'E-A2' });
        await staff.post(`/api/orders/${order.id}/complete`, {});
        return order.id;
      },
      'partial-order-partly-shipped-then-cancelled': async () => {
        const short = (await seedCatalogue(staff, [{ unitPrice: 1000, stockOnHand: 3 }])).skus[0]!;
        const placed = await staff.post<{ id: string; awaiting: string }>('/api/orders', {
          customerId,
          lines: [
            { sku: short, quantity: 5 },
            { sku: plenty, quantity: 1 },
          ],
          allowPartial: true,
        });
        const order = placed.body;
        if (order.awaiting !== 'stock' && order.awaiting !== 'shipment')
          await staff.post(`/api/orders/${order.id}/approve`, {});
        await staff.post(`/api/orders/${order.id}/shipments`, {
          lines: [{ sku: short, quantity: 3 }],
          carrier: 'SF',
          trackingNumber: 'SF-B1',
        });
        // The cup still ready is released, the 2 waiting leave the queue; the unshipped value is refunded.
        await staff.post(`/api/orders/${order.id}/cancel`, { reason: 'the rest is not wanted' });
        return order.id;
      },
      'reminded-repeatedly-under-a-changed-policy': async () => {
        const policy = (
          await manager.get<{ items: { stage: string; levels: unknown }[] }>('/api/escalation-policies')
        ).body.items.find((p) => p.stage === 'shipment')!;
        await manager.put('/api/escalation-policies/shipment', {
          levels: [{ after: 'PT1S', notify: ['staff'], repeatEvery: 'PT1S' }],
        });
        try {
          const order = await placeOrder(staff, customerId, [{ sku: plenty, quantity: 1 }]);
          await staff.post(`/api/orders/${order.id}/approve`, {});
          await awaiting(order.id, 'shipment');
          await sleep(3500);
          // The changed policy reaches the waiting order by a signal.
          await manager.put('/api/escalation-policies/shipment', {
            levels: [{ after: 'PT1S', notify: ['manager'] }],
          });
          await sleep(2000);
          await staff.post(`/api/orders/${order.id}/ship`, { carrier: 'SF', trackingNumber: 'SF3' });
          await staff.post(`/api/orders/${order.id}/complete`, {});
          return order.id;
        } finally {
          await manager.put('/api/escalation-policies/shipment', { levels: policy.levels });
        }
      },
    };
    const wanted = RECORD === '1' ? null : RECORD?.split(',');
    for (const [name, run] of Object.entries(scenarios)) {
      if (wanted && !wanted.includes(name)) continue;
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

if (RECORD) {
  describe('recording workflow histories', () => {
    it('records one history per scenario into test/fixtures/histories', recordScenarios, 300_000);
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

  // Every one of them was recorded before the tracing interceptors existed: a worker that traces must
  // replay them all the same (the interceptors add no command), or no order waiting today survives it.
  it.each(files)(
    '%s replays against the workflow code of today with its tracing interceptors',
    async (file) => {
      const history: unknown = JSON.parse(readFileSync(path.join(FIXTURES, file), 'utf8'));
      await Worker.runReplayHistory(
        {
          workflowBundle: { codePath: process.env.OMS_TEST_TRACED_WORKFLOW_BUNDLE! },
          // The sink the traced workflow code calls; a replay never calls it.
          sinks: {
            exporter: makeWorkflowExporter(new InMemorySpanExporter() as never, emptyResource() as never),
          },
        },
        history,
        file,
      );
    },
  );
});
