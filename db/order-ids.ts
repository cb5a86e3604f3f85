/** Order ids derived from a business reference, shared by the API (intake) and the activities (exchanges). */
import { v5 as uuidv5 } from 'uuid';
import type { OrderSource } from '../domain/order';

/** The namespace of order ids derived from a source and an external reference (a random UUID, fixed once). */
const EXTERNAL_REF_ORDER_NAMESPACE = '6f0d2c4e-8b1a-4e7f-a3d5-9c2b7e1f4a86';

/**
 * A stable order id for a sender's own reference: the same reference from the same source always names the
 * same order (and workflow), so a second push, a re-imported file or two concurrent requests meet one order.
 */
export function orderIdForExternalRef(source: OrderSource, externalRef: string): string {
  return uuidv5(`${source}\n${externalRef}`, EXTERNAL_REF_ORDER_NAMESPACE);
}
