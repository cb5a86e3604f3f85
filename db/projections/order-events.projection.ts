/**
 * Live views hear of every change of an order's stage through PostgreSQL's NOTIFY, sent in the mirror write's
 * transaction so that it is delivered on commit: nobody hears of a change that was rolled back.
 */
import type { Sql } from '../repositories/sql';
import { movedStage, type OrderChange } from './order-change';

/** Channel on which every change of an order's status or awaiting is announced (LISTEN/NOTIFY). */
export const ORDER_EVENTS_CHANNEL = 'order_events';

export async function announceOrderChange(sql: Sql, change: OrderChange): Promise<void> {
  if (!movedStage(change)) return;
  const { orderId, status, awaiting } = change.order;
  const event = { type: 'order.updated', orderId, status, awaiting };
  await sql(`select pg_notify(?, ?)`, [ORDER_EVENTS_CHANNEL, JSON.stringify(event)]);
}
