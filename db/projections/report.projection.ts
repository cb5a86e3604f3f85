/**
 * The report summaries, kept by every mirror write in its own transaction: the sales bucket and its day, the
 * ranking summaries (per day and customer, product and currency; per-month and all-time bounds), the status
 * counts, the stage transition (keyed by snapshot version, so a retried write adds none) with its duration
 * histogram, escalation breaches, and when its shipments left (first and last). Reports read only these (`db/repositories/report.repository.ts`).
 */
import type { Sql } from '../repositories/sql';
import { movedStage, type OrderChange } from './order-change';
import {
  moveRankings,
  moveSales,
  hasShipped,
  moveStatusCount,
  recordBreaches,
  recordShipping,
  recordTransition,
} from './report-summaries';

export async function projectReports(sql: Sql, change: OrderChange): Promise<void> {
  const { previous, order, oldLines, ledger, items } = change;
  // Whether anything has shipped decides only a cancelled order's sales row. A cancelled order can learn
  // of shipments a lost run wrote (`withFoundShipments`): its previous row answers for what it was.
  await moveSales(
    sql,
    previous
      ? {
          createdAt: previous.created_at,
          currency: previous.currency,
          status: previous.status,
          captured: Number(previous.captured),
          refunded: Number(previous.refunded),
          shipped: previous.shipped,
        }
      : null,
    {
      createdAt: order.createdAt,
      currency: order.currency,
      status: order.status,
      ...ledger,
      shipped: hasShipped(order),
    },
  );
  await moveRankings(
    sql,
    previous
      ? {
          customerId: previous.customer_id,
          currency: previous.currency,
          createdAt: previous.created_at,
          status: previous.status,
          revenue: Number(previous.captured) - Number(previous.refunded),
          items: previous.items,
          lines: oldLines.map((line) => ({
            productId: line.product_id,
            quantity: line.quantity,
            lineTotal: Number(line.line_total),
          })),
        }
      : null,
    {
      customerId: order.customerId,
      currency: order.currency,
      createdAt: order.createdAt,
      status: order.status,
      revenue: ledger.captured - ledger.refunded,
      items,
      lines: order.lines,
    },
  );
  await recordBreaches(sql, order);
  await moveStatusCount(sql, previous?.status ?? null, order.status);
  if (movedStage(change)) await recordTransition(sql, order);
  await recordShipping(sql, order);
}
