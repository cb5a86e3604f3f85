import { WorkflowUpdateFailedError } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import { approveUpdate, cancelUpdate, orderWorkflowId } from '../workflows/order.definitions';
import { seedCatalogue } from './support/fixtures';
import type { ApiClient } from './support/http';
import { placeOrder } from './support/orders';
import { startStack, type TestStack } from './support/stack';

/**
 * Whoever reaches Temporal directly is not trusted with the actor of a staff action: the API signs each
 * action it sends, and the worker carries out only actions whose signature it can verify, for the order and
 * the action they were signed for.
 */
describe('staff actions sent to Temporal', () => {
  let stack: TestStack;
  let staff: ApiClient;
  let manager: ApiClient;
  let customerId: string;
  let sku: string;

  beforeAll(async () => {
    stack = await startStack();
    staff = await stack.client(['staff'], 'signed-clerk');
    manager = await stack.client(['manager'], 'signed-manager');
    ({
      customerId,
      skus: [sku = ''],
    } = await seedCatalogue(staff, [{ unitPrice: 9_000_000, stockOnHand: 1000 }]));
  });
  afterAll(() => stack.close());

  /** An order above the staff approval limit, waiting for a manager. */
  async function bigOrder(): Promise<string> {
    const order = await placeOrder(staff, customerId, [{ sku, quantity: 10 }]);
    expect(order.awaiting).toBe('manager_approval');
    return order.id;
  }

  const stateOf = async (orderId: string) => {
    const { body } = await staff.get<{ status: string; awaiting: string | null }>(`/api/orders/${orderId}`);
    return { status: body.status, awaiting: body.awaiting };
  };

  /** Sends an approval to the order's workflow as someone with access to Temporal would. */
  const approveDirectly = (orderId: string, input: object) =>
    stack.temporal.workflow
      .getHandle(orderWorkflowId(orderId))
      .executeUpdate(approveUpdate, { args: [input as never] });

  it('refuses an approval sent straight to Temporal by someone who claims to be a manager', async () => {
    const orderId = await bigOrder();
    const forged = { actor: { id: randomUUID(), username: 'mallory', roles: ['manager'] } };
    await expect(approveDirectly(orderId, forged)).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await expect(
      approveDirectly(orderId, {
        ...forged,
        signature: { issuedAt: new Date().toISOString(), keyId: 'k', mac: 'AAAAAAAAAAAAAAAAAAAAAA' },
      }),
    ).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    expect(await stateOf(orderId)).toEqual({ status: 'created', awaiting: 'manager_approval' });
  });

  it('refuses a signed approval copied to another order or sent as another action', async () => {
    const first = await bigOrder();
    const second = await bigOrder();
    expect((await manager.post(`/api/orders/${first}/approve`, { comment: 'ok' })).status).toBe(200);
    // What the API sent, as anyone who can read the first order's history sees it.
    const history = await stack.temporal.workflow.getHandle(orderWorkflowId(first)).fetchHistory();
    const accepted = history.events!.find(
      (event) =>
        event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'approve',
    )!.workflowExecutionUpdateAcceptedEventAttributes!.acceptedRequest!.input!.args!.payloads![0]!;
    const signed = defaultPayloadConverter.fromPayload<object>(accepted);

    await expect(approveDirectly(second, signed)).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    expect(await stateOf(second)).toEqual({ status: 'created', awaiting: 'manager_approval' });
    // The same signed input as another action on the same order (a cancel would take it: no reason needed).
    await expect(
      stack.temporal.workflow
        .getHandle(orderWorkflowId(first))
        .executeUpdate(cancelUpdate, { args: [signed as never] }),
    ).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    expect((await stateOf(first)).status).toBe('processing');
  });

  it('still carries out the actions the API sends', async () => {
    const orderId = await bigOrder();
    const approved = await manager.post<{ status: string }>(`/api/orders/${orderId}/approve`, {});
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('processing');
  });
});
