import { Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { createInventoryActivities } from '../activities/inventory.activities';
import { OrderRepository } from '../db/repositories';
import type { OrderInput, OrderShipment } from '../domain/order';
import { withChanges } from '../domain/order.state';
import { orderQuery, orderWorkflowId } from '../workflows/order.definitions';
import { eventually, seedCatalogue } from './support/fixtures';
import { recordHistory } from './support/histories';
import { placeOrder, stockOf } from './support/orders';
import type { ApiClient } from './support/http';
import { ownTaskQueue, startStack, type TestStack } from './support/stack';

/**
 * The order's row and its workflow exist together or not at all. The row is written only by the workflow's
 * first activity, so: a crash before the start leaves nothing; a crash after it leaves a workflow whose
 * activity is retried until the row exists.
 */
describe('orders and workflows stay paired across crashes', () => {
  let stack: TestStack;
  let api: ApiClient;

  beforeAll(async () => {
    // "No worker running" must hold for this file's orders: a task queue of its own keeps the suite's
    // second worker (OMS_TEST_WORKERS=2) from writing the row before the test looks.
    stack = await startStack({ worker: false, env: ownTaskQueue('order-consistency') });
    api = await stack.client();
  });
  afterAll(() => stack.close());

  async function rowExists(orderId: string): Promise<boolean> {
    const rows = await stack.orm.em
      .fork()
      .getConnection()
      .execute('select 1 from orders where id = ?', [orderId]);
    return rows.length > 0;
  }

  it('writes the row of an order whose creator crashed right after starting its workflow', async () => {
    const { customerId, skus } = await seedCatalogue(api);
    const orderId = '6f1c1a52-8a43-4c8e-9d1e-3c1f4d1e0a01';
    const input: OrderInput = {
      orderId,
      number: 'SO-2026-900001',
      customerId,
      currency: 'CNY',
      lines: [
        {
          productId: '00000000-0000-4000-8000-000000000001',
          sku: skus[0]!,
          name: 'P',
          quantity: 1,
          unitPrice: 100,
          lineTotal: 100,
        },
      ],
      total: 100,
      notes: null,
      createdBy: { id: 'u1', username: 'clerk', roles: ['staff'] },
      approvalRule: { version: 1, autoApproveBelow: 0, staffApprovalLimit: 1000000, currency: 'CNY' },
      requestHash: null,
    };
    // Exactly what the API does before it would answer, with no worker running: then the API "dies".
    await stack.temporal.workflow.start('orderWorkflow', {
      workflowId: orderWorkflowId(orderId),
      taskQueue: stack.config.temporal.taskQueue,
      args: [input],
    });
    expect(await rowExists(orderId)).toBe(false);

    await stack.startWorker();
    expect(await eventually(() => rowExists(orderId), Boolean)).toBe(true);
    const order = await api.get(`/api/orders/${orderId}`);
    expect(order.body).toMatchObject({ id: orderId, status: 'created', awaiting: 'approval', total: 100 });
    await stack.stopWorker();
  });

  it('leaves neither row nor workflow when the creation is refused', async () => {
    const before = await stack.orm.em.fork().getConnection().execute('select count(*)::int as n from orders');
    const refused = await api.post('/api/orders', {
      customerId: '00000000-0000-4000-8000-00000000dead',
      lines: [{ sku: 'NOPE', quantity: 1 }],
    });
    expect(refused.status).toBe(400);
    const after = await stack.orm.em.fork().getConnection().execute('select count(*)::int as n from orders');
    expect(after).toEqual(before);
  });

  it('has exactly one workflow for every order row, and one row for every order workflow', async () => {
    await stack.startWorker();
    const { customerId, skus } = await seedCatalogue(api);
    for (let i = 0; i < 3; i++) {
      const created = await api.post('/api/orders', { customerId, lines: [{ sku: skus[0], quantity: 1 }] });
      expect(created.status).toBe(201);
    }
    // A finished order whose workflow Temporal has since deleted (retention) lives on in the history
    // archive; any other row must have its workflow.
    const pairing = async () => {
      const rows = await stack.orm.em
        .fork()
        .getConnection()
        .execute<{ id: string; archived: boolean }[]>(
          `select o.id, exists (select 1 from order_archives a where a.order_id = o.id) as archived from orders o`,
        );
      const workflowIds = new Set<string>();
      for await (const workflow of stack.temporal.workflow.list({
        query: `WorkflowType = 'orderWorkflow'`,
      })) {
        workflowIds.add(workflow.workflowId);
      }
      const rowIds = new Set(rows.map((row) => orderWorkflowId(row.id)));
      return {
        rows: rows.length,
        withoutWorkflow: rows.filter((row) => !workflowIds.has(orderWorkflowId(row.id)) && !row.archived),
        withoutRow: [...workflowIds].filter((id) => !rowIds.has(id)),
      };
    };
    // Visibility is eventually consistent; wait for it to catch up before comparing.
    const result = await eventually(
      pairing,
      (p) => p.withoutWorkflow.length === 0 && p.withoutRow.length === 0,
    );
    expect(result.rows).toBeGreaterThanOrEqual(3);
    expect(result.withoutWorkflow).toEqual([]);
    expect(result.withoutRow).toEqual([]);
  });

  it('carries out a repeated action whose first run left the row ahead of the workflow', async () => {
    // An action's first run writes the row from inside the workflow's task; when Temporal loses that task
    // and the caller gives up, the workflow never took the step. Made here as that run left it: the row
    // says completed (one version on), the workflow says shipped. The repeat must reach the workflow.
    await stack.stopWorker();
    await stack.startWorker();
    try {
      const { customerId, skus } = await seedCatalogue(api);
      const placed = await placeOrder(api, customerId, [{ sku: skus[0]!, quantity: 1 }]);
      expect((await api.post(`/api/orders/${placed.id}/approve`, {})).status).toBe(200);
      const shipped = await api.post<{ status: string }>(`/api/orders/${placed.id}/ship`, {
        carrier: 'SF',
        trackingNumber: 'SF-AHEAD',
      });
      expect(shipped.body.status).toBe('shipped');
      // The lost run's write, by the mirror as that run made it (the summaries the reports read follow it).
      const handle = stack.temporal.workflow.getHandle(orderWorkflowId(placed.id));
      const before = await handle.query(orderQuery);
      expect(before.status).toBe('shipped');
      const lostAt = new Date().toISOString();
      await new OrderRepository(stack.orm.em.fork()).mirror(
        withChanges(before, lostAt, { status: 'completed', awaiting: null, completedAt: lostAt }),
      );
      expect((await api.get<{ status: string }>(`/api/orders/${placed.id}`)).body.status).toBe('completed');
      expect((await handle.query(orderQuery)).status).toBe('shipped');

      const repeated = await api.post<{ status: string }>(`/api/orders/${placed.id}/complete`, {});
      expect(repeated).toMatchObject({ status: 200, body: { status: 'completed' } });
      expect((await handle.query(orderQuery)).status).toBe('completed');
      // Once the workflow is final too, the row's word stands: refused without asking it to act.
      const again = await api.post(`/api/orders/${placed.id}/complete`, {});
      expect(again).toMatchObject({ status: 409, body: { status: 'completed' } });
    } finally {
      await stack.stopWorker();
    }
  });

  it.each([
    ['and the row it wrote says so', true, 'cancelled-after-a-lost-shipment'],
    ['before the row was written', false, null],
  ])(
    'takes in the parcel of a lost shipment nobody repeated when the order is cancelled next (%s)',
    async (_, rowWritten, fixture) => {
      // A `shipPart` whose workflow task Temporal lost after `shipGoods` (and maybe the row's write) had
      // committed, and that nobody repeated: the goods left, the workflow does not know. Made here with the
      // activities, as that run made it. The next action, a cancellation, must find the parcel: the order
      // keeps the value of what left and refunds the rest, and its row says what its workflow says.
      await stack.stopWorker();
      await stack.startWorker();
      try {
        const { customerId, skus } = await seedCatalogue(api, [{ unitPrice: 1000, stockOnHand: 10 }]);
        const sku = skus[0]!;
        const placed = await placeOrder(api, customerId, [{ sku, quantity: 10 }]);
        expect((await api.post(`/api/orders/${placed.id}/approve`, {})).status).toBe(200);
        const handle = stack.temporal.workflow.getHandle(orderWorkflowId(placed.id));
        const before = await handle.query(orderQuery);
        expect(before).toMatchObject({ status: 'processing', awaiting: 'shipment', total: 10_000 });

        const lostAt = new Date().toISOString();
        const parcel: OrderShipment = {
          id: randomUUID(),
          lines: [{ productId: before.lines[0]!.productId, sku, quantity: 4 }],
          location: 'MAIN',
          carrier: 'SF',
          trackingNumber: 'SF-LOST',
          shippedAt: lostAt,
          by: { id: 'lost-run', username: 'picker' },
        };
        const inventory = createInventoryActivities({
          em: () => stack.orm.em.fork(),
          notifyStockChanged: () => Promise.resolve(),
        });
        await inventory.shipGoods({ orderId: placed.id, shipment: parcel });
        if (rowWritten)
          await new OrderRepository(stack.orm.em.fork()).mirror(
            withChanges(before, lostAt, { shipments: [parcel] }),
          );

        const cancelled = await api.post<{ status: string; shipments: { id: string }[] }>(
          `/api/orders/${placed.id}/cancel`,
          { reason: 'Customer changed their mind' },
        );
        expect(cancelled.status).toBe(200);
        const after = await handle.query(orderQuery);
        expect(after.status).toBe('cancelled');
        expect(after.shipments).toEqual([parcel]);
        // The 4 that left are kept (40.00 of 100.00); the 6 still in the warehouse go back to stock.
        const refunds = await stack.orm.em
          .fork()
          .getConnection()
          .execute<{ amount: string }[]>(
            `select amount from payments where order_id = ? and kind = 'refund' and status = 'succeeded'`,
            [placed.id],
          );
        expect(refunds.map((row) => Number(row.amount))).toEqual([6_000]);
        expect(await stockOf(api, sku)).toMatchObject({ stockOnHand: 6, reserved: 0 });
        // The row says what the workflow says: its status, its version, its shipments.
        const [row] = await stack.orm.em
          .fork()
          .getConnection()
          .execute<{ status: string; version: number; snapshot: { shipments: OrderShipment[] } }[]>(
            `select status, version, snapshot from orders where id = ?`,
            [placed.id],
          );
        expect(row).toMatchObject({ status: 'cancelled', version: after.version });
        expect(row!.snapshot.shipments).toEqual([parcel]);

        await Worker.runReplayHistory(
          { workflowBundle: { codePath: process.env.OMS_TEST_WORKFLOW_BUNDLE! } },
          await handle.fetchHistory(),
          orderWorkflowId(placed.id),
        );
        if (fixture) recordHistory(stack, orderWorkflowId(placed.id), '', fixture);
      } finally {
        await stack.stopWorker();
      }
    },
  );
});
