import type { UpdateDefinition } from '@temporalio/common';
import { patched, setHandler } from '@temporalio/workflow';
import { escalationPolicyChangedSignal } from './escalation.definitions';
import { orderWorkflowV1 } from './legacy/v1/order.workflow';
import {
  approveUpdate,
  cancelUpdate,
  completeUpdate,
  editUpdate,
  orderQuery,
  recordedUpdate,
  rejectUpdate,
  retryPaymentUpdate,
  shipPartUpdate,
  shipUpdate,
  stockChangedSignal,
} from './order.definitions';
import { type OrderInput, type OrderSnapshot } from '../domain/order';
import type { Command } from './order/commands';
import { OrderLifecycle, type OrderMemory } from './order/lifecycle';
import { signatureCheck } from './order/signed-commands';

/** The staff actions, each an update that the order's loop carries out. */
const STAFF_ACTIONS = [
  approveUpdate,
  rejectUpdate,
  editUpdate,
  retryPaymentUpdate,
  shipUpdate,
  shipPartUpdate,
  completeUpdate,
  cancelUpdate,
];

/** Marks histories of the lean workflow; an order whose history lacks it was started by the frozen one. */
export const LEAN_WORKFLOW_PATCH = 'lean-workflow';

/**
 * One customer order from creation to a final status; its history is the order's audit trail.
 *
 * Wiring only: the order's life is `OrderLifecycle` (`order/lifecycle.ts`), escalation watching
 * `EscalationWatch`. Each staff action is an update whose validator refuses what the state or the actor's
 * role does not allow before anything is recorded, and whose handler has the worker check the API's
 * signature of the action (its actor above all; `order/signed-commands.ts`), queues it for the order's loop
 * and answers with the order once it has settled. `memory` is set when a long wait continued as new.
 */
export async function orderWorkflow(input: OrderInput, memory?: OrderMemory): Promise<OrderSnapshot> {
  if (memory === undefined && !patched(LEAN_WORKFLOW_PATCH))
    return orderWorkflowV1(input, { checkSignature: signatureCheck });
  const order = new OrderLifecycle(input, memory);

  setHandler(orderQuery, () => order.order);
  setHandler(recordedUpdate, () => order.whenRecorded());
  setHandler(stockChangedSignal, () => order.stockChanged());
  setHandler(escalationPolicyChangedSignal, (plan) => order.escalation.policyChanged(plan));

  for (const update of STAFF_ACTIONS) {
    // Each staff action's update is defined under the action's name (order.definitions.ts).
    const command = (input: object) => ({ ...input, action: update.name }) as Command;
    const handler = (input: object) => {
      const check = signatureCheck(update.name, input, () => order.order);
      return check ? check.then(() => order.submit(command(input))) : order.submit(command(input));
    };
    setHandler(update as UpdateDefinition<OrderSnapshot, [object]>, handler, {
      validator: (input: object) => order.check(command(input)),
    });
  }

  return order.run();
}
