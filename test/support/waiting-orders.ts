/**
 * Orders left at every wait a deploy can find them in, and the steps that finish them: the upgrade tests
 * place them on one release of the workflow code and finish them on the next.
 */
import { eventually, seedCatalogue } from './fixtures';
import type { ApiClient } from './http';
import { placeOrder, stockOf, type OrderBody } from './orders';

export interface WaitingOrders {
  waitingForApproval: OrderBody;
  waitingForShipment: OrderBody;
  /** Shipped, waiting to be completed. */
  shipped: OrderBody;
  /** Approved while its product had no stock. */
  waitingForStock: OrderBody;
  all: OrderBody[];
  /** The product the stock-waiting order needs (none on hand). */
  missingSku: string;
}

/** One order at each wait, each checked to be there. */
export async function placeOrdersAtEveryWait(staff: ApiClient, tag: string): Promise<WaitingOrders> {
  const { customerId, skus } = await seedCatalogue(staff, [
    { unitPrice: 1000, stockOnHand: 100 },
    { unitPrice: 700, stockOnHand: 0 },
  ]);
  const [plenty, none] = [skus[0]!, skus[1]!];
  const approve = async (order: OrderBody, awaiting: string) => {
    const approved = await staff.post<OrderBody>(`/api/orders/${order.id}/approve`, {});
    if (approved.body.awaiting !== awaiting)
      throw new Error(`order ${order.id} awaits ${approved.body.awaiting}, not ${awaiting}, after approval`);
  };
  const waitingForApproval = await placeOrder(staff, customerId, [{ sku: plenty, quantity: 1 }]);
  const waitingForShipment = await placeOrder(staff, customerId, [{ sku: plenty, quantity: 2 }]);
  await approve(waitingForShipment, 'shipment');
  const shipped = await placeOrder(staff, customerId, [{ sku: plenty, quantity: 3 }]);
  await approve(shipped, 'shipment');
  const shipping = await staff.post<OrderBody>(`/api/orders/${shipped.id}/ship`, {
    carrier: 'SF',
    trackingNumber: `SF-${tag}`,
  });
  if (shipping.body.status !== 'shipped') throw new Error(`order ${shipped.id} was not shipped`);
  const waitingForStock = await placeOrder(staff, customerId, [{ sku: none, quantity: 1 }]);
  await approve(waitingForStock, 'stock');
  return {
    waitingForApproval,
    waitingForShipment,
    shipped,
    waitingForStock,
    all: [waitingForApproval, waitingForShipment, shipped, waitingForStock],
    missingSku: none,
  };
}

/** Approves, restocks, ships and completes what waits; fails unless every order ends `completed`. */
export async function finishWaitingOrders(
  staff: ApiClient,
  orders: WaitingOrders,
  tag: string,
): Promise<void> {
  const approved = await staff.post<OrderBody>(`/api/orders/${orders.waitingForApproval.id}/approve`, {});
  if (approved.status !== 200) throw new Error(`approving after the upgrade answered ${approved.status}`);
  await staff.post(`/api/products/${(await stockOf(staff, orders.missingSku)).id}/stock`, {
    delta: 1,
    reason: 'delivery',
  });
  const restocked = await eventually(
    async () => (await staff.get<OrderBody>(`/api/orders/${orders.waitingForStock.id}`)).body,
    (order) => order.awaiting === 'shipment',
    30_000,
  );
  if (restocked.awaiting !== 'shipment')
    throw new Error('the stock-waiting order did not take the new stock');
  for (const { id } of [orders.waitingForApproval, orders.waitingForShipment, orders.waitingForStock]) {
    const shipped = await staff.post<OrderBody>(`/api/orders/${id}/ship`, {
      carrier: 'EMS',
      trackingNumber: `E-${tag}`,
    });
    if (shipped.body.status !== 'shipped') throw new Error(`order ${id} was not shipped after the upgrade`);
  }
  for (const { id } of orders.all) {
    const completed = await staff.post<OrderBody>(`/api/orders/${id}/complete`, {});
    if (completed.body.status !== 'completed')
      throw new Error(`order ${id} is ${completed.body.status}, not completed, after the upgrade`);
  }
}
