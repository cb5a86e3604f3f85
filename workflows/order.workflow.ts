import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type * as activities from '../activities';
import {
  INVALID_TRANSITION,
  ORDER_AWAITING_KEY,
  ORDER_STATUS_KEY,
  approveUpdate,
  completeUpdate,
  orderQuery,
  recordedUpdate,
  shipUpdate,
  type InvalidTransitionDetails,
  type OrderInput,
  type OrderSnapshot,
} from './order.definitions';
import { initialSnapshot, isFinal, moved, refusalOf, type OrderAction } from './order.state';

const { mirrorOrder } = proxyActivities<ReturnType<typeof activities.createActivities>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** Rejects an update before it is written to history when the order's current state does not allow it. */
function guard(order: OrderSnapshot, action: OrderAction): void {
  const refusal = refusalOf(order, action);
  if (refusal !== null) {
    const details: InvalidTransitionDetails = { status: order.status, awaiting: order.awaiting };
    throw ApplicationFailure.create({ type: INVALID_TRANSITION, message: refusal, details: [details] });
  }
}

/** One customer order from creation to a final status; its history is the order's audit trail. */
export async function orderWorkflow(input: OrderInput): Promise<OrderSnapshot> {
  let order = initialSnapshot(input, new Date().toISOString());
  let recorded = false;

  /** Replaces the state, publishes it to visibility and mirrors it to PostgreSQL. */
  const commit = async (next: OrderSnapshot): Promise<OrderSnapshot> => {
    order = next;
    upsertSearchAttributes([
      { key: ORDER_STATUS_KEY, value: next.status },
      { key: ORDER_AWAITING_KEY, value: next.awaiting ?? 'none' },
    ]);
    await mirrorOrder(next);
    return next;
  };
  const now = () => new Date().toISOString();

  setHandler(orderQuery, () => order);
  setHandler(recordedUpdate, async () => {
    await condition(() => recorded);
    return order;
  });
  setHandler(
    approveUpdate,
    ({ actor, comment }) => {
      const approval = { by: actor, comment: comment ?? null, at: now() };
      return commit(
        moved(order, 'processing', 'shipment', approval.at, { approvals: [...order.approvals, approval] }),
      );
    },
    { validator: (_input) => guard(order, 'approve') },
  );
  setHandler(
    shipUpdate,
    ({ carrier, trackingNumber }) => {
      const shippedAt = now();
      return commit(
        moved(order, 'shipped', 'delivery', shippedAt, { shipment: { carrier, trackingNumber, shippedAt } }),
      );
    },
    { validator: (_input) => guard(order, 'ship') },
  );
  setHandler(
    completeUpdate,
    () => {
      const completedAt = now();
      return commit(moved(order, 'completed', null, completedAt, { completedAt }));
    },
    { validator: (_input) => guard(order, 'complete') },
  );

  // The row is written by the workflow itself, so no row can exist without its workflow, and a crash
  // anywhere after the start only delays this activity: it is retried until the row exists.
  await commit(order);
  recorded = true;

  await condition(() => isFinal(order.status));
  await condition(allHandlersFinished);
  return order;
}
