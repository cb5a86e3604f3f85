/**
 * Staff actions as the order's loop receives them: each update's input becomes a command in a queue, checked
 * first by the update's validator (so a refused action records nothing), then carried out by the loop one at a
 * time, its sender answered with the order once it has settled.
 */
import { FAILURE } from '../../domain/order';
import type {
  ActorInput,
  ApproveInput,
  EditInput,
  OrderSnapshot,
  ReasonInput,
  ShipInput,
  ShipPartInput,
} from '../../domain/order';
import { mayApprove } from '../../domain/approval.rules';
import { refusalOf } from '../../domain/order.state';
import { editRefusal } from '../../domain/shipment.rules';
import { refuse } from './record';
import { isShipmentOf } from '../../domain/shipment.rules';
import { shipmentCheck } from './shipments';

/** A staff action, as its update brought it. */
export type Command =
  | ({ action: 'approve' } & ApproveInput)
  | ({ action: 'reject' } & ReasonInput)
  | ({ action: 'edit' } & EditInput)
  | ({ action: 'retryPayment' } & ActorInput)
  | ({ action: 'ship' } & ShipInput)
  | ({ action: 'shipPart' } & ShipPartInput)
  | ({ action: 'complete' } & ActorInput)
  | ({ action: 'cancel' } & ReasonInput);

export interface Pending {
  command: Command;
  done: (order: OrderSnapshot) => void;
  failed: (error: unknown) => void;
}

/** Refuses an action that the order's state or the actor's role does not allow now. */
export function check(order: OrderSnapshot, command: Command): void {
  // A shipment already made (its request repeated under the same Idempotency-Key) is answered as it is.
  if (command.action === 'shipPart' && isShipmentOf(order, command.shipmentId)) return;
  // A partial shipment is a shipment: allowed when the order awaits one, like `ship`.
  const refusal = refusalOf(order, command.action === 'shipPart' ? 'ship' : command.action);
  if (refusal !== null) refuse(FAILURE.invalidTransition, refusal, order);
  if (command.action === 'shipPart') return shipmentCheck(order, command);
  if (command.action === 'edit' && command.lines) {
    const edited = editRefusal(order, command.lines);
    if (edited) refuse(FAILURE.invalidTransition, edited.message, order, edited.field);
  }
  if (command.action !== 'approve' && command.action !== 'reject') return;
  if (!mayApprove(command.actor, order.awaiting === 'manager_approval' ? 'manager' : 'staff')) {
    refuse(
      FAILURE.forbidden,
      `only a manager may ${command.action} an order of ${order.total} ${order.currency}`,
      order,
    );
  }
}

/** The actions waiting to be carried out, oldest first. */
export class CommandQueue {
  private readonly pending: Pending[] = [];

  get length(): number {
    return this.pending.length;
  }

  /** Queues an action; answers with the order once it is carried out and the order has settled. */
  submit(command: Command): Promise<OrderSnapshot> {
    return new Promise((done, failed) => this.pending.push({ command, done, failed }));
  }

  next(): Pending | undefined {
    return this.pending.shift();
  }
}
