import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { creditLimitGateway } from '../activities/payment.gateway';
import { HistoryService } from '../api/services/history.service';
import { orderWorkflowId } from '../workflows/order.definitions';
import { eventually, seedCatalogue } from './support/fixtures';
import type { ApiClient } from './support/http';
import { deleteFromTemporal, placeOrder, stockOf } from './support/orders';
import { ownTaskQueue, startStack, type TestStack } from './support/stack';

type Step = {
  at: string;
  kind: string;
  actor: { username: string } | null;
  status: string;
  details: Record<string, unknown>;
};

describe('the audit trail', () => {
  let stack: TestStack;
  let staff: ApiClient;
  let manager: ApiClient;
  let auditor: ApiClient;

  beforeAll(async () => {
    // The first order's charge must fail once in this file's worker (an injected gateway): a task queue of
    // its own keeps other workers (the suite's second one with OMS_TEST_WORKERS=2) from charging it.
    stack = await startStack({ worker: false, env: ownTaskQueue('audit') });
    staff = await stack.client(['staff'], 'li.clerk');
    manager = await stack.client(['manager'], 'wang.manager');
    auditor = await stack.client(['auditor'], 'zhao.auditor');
  });
  afterAll(() => stack.close());

  /** An order approved, shipped and completed by named people; its first charge attempt fails once. */
  async function completedOrder(): Promise<string> {
    let failures = 0;
    await stack.startWorker('audit-worker', {
      gateway: () => {
        const real = creditLimitGateway(stack.orm.em.fork());
        return {
          ...real,
          charge: (request) =>
            failures++ === 0 ? Promise.reject(new Error('gateway timed out')) : real.charge(request),
        };
      },
    });
    try {
      const { customerId, skus } = await seedCatalogue(staff, [{ unitPrice: 1200, stockOnHand: 10 }]);
      const order = await placeOrder(staff, customerId, [{ sku: skus[0]!, quantity: 2 }]);
      await manager.post(`/api/orders/${order.id}/approve`, { comment: 'checked by phone' });
      await staff.post(`/api/orders/${order.id}/ship`, { carrier: 'SF Express', trackingNumber: 'SF42' });
      await staff.post(`/api/orders/${order.id}/complete`, {});
      await stack.temporal.workflow.getHandle(orderWorkflowId(order.id)).result();
      // The worker's archiver writes its record once the workflow has closed: before the worker stops.
      const archived = await eventually(
        () => auditor.get(`/api/orders/${order.id}/archive`),
        (response) => response.status === 200,
      );
      expect(archived.status).toBe(200);
      return order.id;
    } finally {
      await stack.stopWorker();
    }
  }

  it('names each person, each automatic step and each retry in a completed order’s history', async () => {
    const orderId = await completedOrder();
    const history = await auditor.get<{ items: Step[] }>(`/api/orders/${orderId}/history`);
    expect(history.status).toBe(200);
    const steps = history.body.items;
    const line = (step: Step) => `${step.kind}:${step.actor?.username ?? '-'}`;
    expect(steps.map(line)).toEqual(
      expect.arrayContaining([
        'order.created:li.clerk',
        'action.approve:wang.manager',
        'stock.reserved:system',
        'activity.retried:-',
        'payment.captured:system',
        'action.ship:li.clerk',
        'stock.shipped:system',
        'action.complete:li.clerk',
        'order.closed:-',
      ]),
    );
    expect(steps.find((s) => s.kind === 'action.approve')!.details).toMatchObject({
      comment: 'checked by phone',
    });
    expect(steps.find((s) => s.kind === 'activity.retried')!.details).toMatchObject({
      activity: 'chargePayment',
      attempt: 2,
      previousFailure: 'gateway timed out',
    });
    expect(
      steps
        .filter((s) => s.kind === 'status')
        .map((s) => `${s.status}/${(s.details.awaiting as string) ?? '-'}`),
    ).toEqual([
      'created/approval',
      'processing/stock',
      'processing/payment',
      'processing/shipment',
      'shipped/delivery',
      'completed/-',
    ]);
    const times = steps.map((s) => s.at);
    expect([...times].sort()).toEqual(times);

    const verified = await auditor.post<{ ok: boolean; events: number }>(
      `/api/orders/${orderId}/history/verify`,
      {},
    );
    expect(verified.body).toMatchObject({ ok: true });
    expect(verified.body.events).toBeGreaterThan(20);
    // A worker started for the order, a charge retried after its backoff and four actions: at a load
    // average of 18 (two workers, shared cores) that took over a minute.
  }, 120_000);

  it('records automatic approvals with the rule they were made under', async () => {
    const rule = (
      await manager.get<{ autoApproveBelow: number; staffApprovalLimit: number; currency: string }>(
        '/api/settings/approval',
      )
    ).body;
    const set = await manager.put('/api/settings/approval', {
      autoApproveBelow: 5000,
      staffApprovalLimit: Math.max(5000, rule.staffApprovalLimit),
      currency: rule.currency,
    });
    expect(set.status).toBe(200);
    await stack.startWorker();
    try {
      const { customerId, skus } = await seedCatalogue(staff, [{ unitPrice: 100, stockOnHand: 10 }]);
      const order = await placeOrder(staff, customerId, [{ sku: skus[0]!, quantity: 1 }]);
      await eventually(
        () => staff.get<{ awaiting: string }>(`/api/orders/${order.id}`),
        (response) => response.body.awaiting === 'shipment',
      );
      const steps = (await auditor.get<{ items: Step[] }>(`/api/orders/${order.id}/history`)).body.items;
      const automatic = steps.find((s) => s.kind === 'approval.automatic');
      expect(automatic).toMatchObject({
        actor: { username: 'system' },
        details: { amount: 100, rule: { autoApproveBelow: 5000 } },
      });
    } finally {
      await stack.stopWorker();
      await manager.put('/api/settings/approval', {
        autoApproveBelow: rule.autoApproveBelow,
        staffApprovalLimit: rule.staffApprovalLimit,
        currency: rule.currency,
      });
    }
  });

  it('detects a tampered history on replay', async () => {
    const orderId = await completedOrder();
    const raw = await auditor.get<{
      events: {
        eventType: string;
        activityTaskScheduledEventAttributes?: { activityType: { name: string } };
      }[];
    }>(`/api/orders/${orderId}/history/raw`);
    expect(raw.body.events[0]!.eventType).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_STARTED');
    const service = stack.app.get(HistoryService);
    expect((await service.replay(historyFromJSON(raw.body))).ok).toBe(true);

    const tampered = structuredClone(raw.body);
    const charge = tampered.events.find(
      (e) => e.activityTaskScheduledEventAttributes?.activityType.name === 'chargePayment',
    )!;
    charge.activityTaskScheduledEventAttributes!.activityType.name = 'refundPayment';
    const result = await service.replay(historyFromJSON(tampered));
    expect(result.ok).toBe(false);
    expect(result.detail).toMatch(/[Nn]ondetermin/);
  });

  it('keeps serving the history after the workflow is gone from Temporal', async () => {
    const orderId = await completedOrder();
    const before = await auditor.get<{ items: Step[] }>(`/api/orders/${orderId}/history`);
    await deleteFromTemporal(stack.temporal, stack.config.temporal.namespace, orderId);
    const after = await auditor.get<{ items: Step[] }>(`/api/orders/${orderId}/history`);
    expect(after.status).toBe(200);
    expect(after.body.items).toEqual(before.body.items);
    expect((await auditor.post<{ ok: boolean }>(`/api/orders/${orderId}/history/verify`, {})).body.ok).toBe(
      true,
    );
  }, 150_000);

  it('logs a price change with who, when, before and after, and the log cannot be rewritten', async () => {
    const { skus } = await seedCatalogue(staff, [{ unitPrice: 990 }]);
    const product = await stockOf(staff, skus[0]!);
    const changed = await manager.patch(`/api/products/${product.id}`, { unitPrice: 1290 });
    expect(changed.status).toBe(200);
    const log = await auditor.get<{
      items: {
        at: string;
        actor: { username: string };
        action: string;
        before: { unitPrice: number };
        after: { unitPrice: number };
      }[];
    }>(`/api/audit?entity=product&entityId=${product.id}`);
    expect(log.body.items[0]).toMatchObject({
      action: 'product.updated',
      actor: { username: 'wang.manager' },
      before: { unitPrice: 990 },
      after: { unitPrice: 1290 },
    });
    expect(Date.now() - Date.parse(log.body.items[0]!.at)).toBeLessThan(60_000);
    expect(log.body.items[1]).toMatchObject({ action: 'product.created', actor: { username: 'li.clerk' } });
    await expect(
      stack.orm.em.fork().getConnection().execute(`update audit_log set actor = '{}'::jsonb`),
    ).rejects.toThrow(/append-only/);
    await expect(stack.orm.em.fork().getConnection().execute(`delete from audit_log`)).rejects.toThrow(
      /append-only/,
    );
  });
});
