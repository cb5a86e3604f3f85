import type { OrderInput } from '../domain/order';
import { orderQuery, orderWorkflowId } from '../workflows/order.definitions';
import { eventually, seedCatalogue } from './support/fixtures';
import { placeOrder } from './support/orders';
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
      await stack.orm.em
        .fork()
        .getConnection()
        .execute(
          `update orders set status = 'completed', awaiting = null, version = version + 1,
             snapshot = jsonb_set(jsonb_set(snapshot, '{status}', '"completed"'), '{version}', to_jsonb(version + 1))
           where id = ?`,
          [placed.id],
        );
      const handle = stack.temporal.workflow.getHandle(orderWorkflowId(placed.id));
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
});
