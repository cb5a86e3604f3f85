import { patched, setHandler } from '@temporalio/workflow';
import { escalationPolicyChangedSignal } from './escalation.definitions';
import { orderWorkflowV1 } from './legacy/order.workflow.v1';
import {
  approveUpdate,
  cancelUpdate,
  completeUpdate,
  editUpdate,
  orderQuery,
  recordedUpdate,
  rejectUpdate,
  retryPaymentUpdate,
  shipUpdate,
  stockChangedSignal,
  type OrderInput,
  type OrderSnapshot,
} from './order.definitions';
import { OrderProcess, type Command, type OrderMemory } from './order.process';

/** Marks histories of the lean workflow; an order whose history lacks it was started by the frozen one. */
export const LEAN_WORKFLOW_PATCH = 'lean-workflow';

/**
 * One customer order from creation to a final status; its history is the order's audit trail.
 *
 * Wiring only: the order's state and its loop live in `OrderProcess`, escalation watching in
 * `EscalationWatch`. Each staff action is an update whose validator refuses what the state or the actor's
 * role does not allow before anything is recorded, and whose handler queues the action for the order's loop
 * and answers with the order once it has settled. `memory` is set when a long wait continued as new.
 */
export async function orderWorkflow(input: OrderInput, memory?: OrderMemory): Promise<OrderSnapshot> {
  if (memory === undefined && !patched(LEAN_WORKFLOW_PATCH)) return orderWorkflowV1(input);
  const order = new OrderProcess(input, memory);

  setHandler(orderQuery, () => order.order);
  setHandler(recordedUpdate, () => order.whenRecorded());
  setHandler(stockChangedSignal, () => order.stockChanged());
  setHandler(escalationPolicyChangedSignal, (plan) => order.escalation.policyChanged(plan));

  const action = <A extends Command['action']>(name: A) => ({
    handle: (input: Omit<Extract<Command, { action: A }>, 'action'>) =>
      order.submit({ ...input, action: name } as Command),
    validate: (input: Omit<Extract<Command, { action: A }>, 'action'>) =>
      order.check({ ...input, action: name } as Command),
  });
  const approve = action('approve');
  const reject = action('reject');
  const edit = action('edit');
  const retryPayment = action('retryPayment');
  const ship = action('ship');
  const complete = action('complete');
  const cancel = action('cancel');
  setHandler(approveUpdate, approve.handle, { validator: approve.validate });
  setHandler(rejectUpdate, reject.handle, { validator: reject.validate });
  setHandler(editUpdate, edit.handle, { validator: edit.validate });
  setHandler(retryPaymentUpdate, retryPayment.handle, { validator: retryPayment.validate });
  setHandler(shipUpdate, ship.handle, { validator: ship.validate });
  setHandler(completeUpdate, complete.handle, { validator: complete.validate });
  setHandler(cancelUpdate, cancel.handle, { validator: cancel.validate });

  return order.run();
}
