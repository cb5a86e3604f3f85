/**
 * Money that moves on an order after its workflow has stopped writing it (a return's refund, issue 25):
 * the order's captured and refunded figures and the sales and ranking summaries follow the payment ledger,
 * so reports count revenue net of refunds. Run in the caller's transaction; it locks the order's row, as
 * the order's own mirror write does, so the two never count the same refund twice.
 */
import type { OrderStatus } from '../../domain/order';
import type { Sql } from '../repositories/sql';
import { ledgerTotals, moveRankings, moveSales } from './report-summaries';

interface OrderFigures {
  customer_id: string;
  currency: string;
  status: OrderStatus;
  created_at: Date;
  items: number;
  captured: string;
  refunded: string;
  shipped: boolean;
}

/** Brings the order's figures and summaries up to the ledger; nothing when they already match. */
export async function projectLedger(sql: Sql, orderId: string): Promise<void> {
  const [row] = await sql<OrderFigures[]>(
    // Whether anything shipped decides only a cancelled order's sales row (`salesOutcomeOf`), so the
    // snapshot's shipments are read only for a cancelled order.
    `select customer_id, currency, status, created_at, items, captured, refunded,
            case when status = 'cancelled'
                 then coalesce(jsonb_typeof(snapshot -> 'shipments') = 'array'
                               and jsonb_array_length(snapshot -> 'shipments') > 0, false)
                 else shipped_at is not null end as shipped
       from orders where id = ? for update`,
    [orderId],
  );
  if (!row) return;
  const ledger = await ledgerTotals(sql, orderId);
  const before = { captured: Number(row.captured), refunded: Number(row.refunded) };
  if (before.captured === ledger.captured && before.refunded === ledger.refunded) return;
  await sql(`update orders set captured = ?, refunded = ? where id = ?`, [
    ledger.captured,
    ledger.refunded,
    orderId,
  ]);
  const base = { createdAt: row.created_at, currency: row.currency, status: row.status };
  await moveSales(
    sql,
    { ...base, ...before, shipped: row.shipped },
    { ...base, ...ledger, shipped: row.shipped },
  );
  const lines = (
    await sql<{ product_id: string; quantity: number; line_total: string }[]>(
      `select product_id, quantity, line_total from order_lines where order_id = ?`,
      [orderId],
    )
  ).map((line) => ({
    productId: line.product_id,
    quantity: line.quantity,
    lineTotal: Number(line.line_total),
  }));
  const ranking = { ...base, customerId: row.customer_id, items: row.items, lines };
  await moveRankings(
    sql,
    { ...ranking, revenue: before.captured - before.refunded },
    { ...ranking, revenue: ledger.captured - ledger.refunded },
  );
}
