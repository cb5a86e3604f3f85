/**
 * Cancelling an order part of which has already left: only what has not shipped is cancelled. The order
 * ends `cancelled` with its shipments recorded; compensation releases the reservation of the units still in
 * the warehouse (the shipped ones already left it) and refunds what the order holds beyond the value of what
 * shipped, once.
 *
 * Before this module a partly shipped order refused to be cancelled. Such a refusal can be in a recorded
 * history (a cancel accepted, then carried out after a partial shipment queued before it), so the new path
 * is behind a patch marker and those histories replay as they ran.
 */
import { patched } from '@temporalio/workflow';
import { FAILURE, type OrderSnapshot } from '../../domain/order';
import { isPartlyShipped, shippedValue } from '../../domain/shipment.rules';
import { refuse } from './record';

/** Marks orders whose cancellation after a partial shipment cancels the rest (before: refused). */
export const CANCEL_UNSHIPPED_PATCH = 'cancel-unshipped';

/**
 * Lets the cancellation of a partly shipped order go ahead, or refuses it as before in histories from
 * before. Only a partly shipped order reaches the marker, so no other order's history changes.
 */
export function admitCancelOfUnshipped(order: OrderSnapshot): void {
  if (!isPartlyShipped(order) || patched(CANCEL_UNSHIPPED_PATCH)) return;
  refuse(
    FAILURE.invalidTransition,
    `cannot cancel the order: it is ${order.status} and partly shipped; cancel of what has not shipped is not supported yet`,
    order,
  );
}

/**
 * What a cancelled or rejected order keeps of the money it holds: the value of the units that shipped
 * before it was cancelled (nothing when none did). Compensation refunds the rest. Only an order that learned
 * of its shipments while being cancelled (`withFoundShipments`) can have shipped entirely: it keeps it all.
 */
export function keptOnCancel(order: OrderSnapshot): number {
  return (order.shipments ?? []).length > 0 ? shippedValue(order) : 0;
}
