import type { EntityManager } from '@mikro-orm/postgresql';
import type { OrderSnapshot } from '../../workflows/order.definitions';
import { Order } from '../entities';
import { isUuid } from './ids';

/** Orders as mirrored from their workflows. Only the workflow's activities write here. */
export class OrderRepository {
  constructor(private readonly em: EntityManager) {}

  /** The order with its lines, or null for an unknown or malformed id. */
  async findById(id: string): Promise<Order | null> {
    if (!isUuid(id)) return null;
    return this.em.findOne(Order, { id }, { populate: ['lines'], refresh: true });
  }

  /** Allocates the next human-friendly order number, e.g. SO-2026-000123. */
  async nextNumber(at: Date): Promise<string> {
    const [row] = await this.em
      .getConnection()
      .execute<{ n: string }[]>(`select nextval('order_number_seq') as n`);
    return `SO-${at.getUTCFullYear()}-${String(row!.n).padStart(6, '0')}`;
  }

  /**
   * Writes the workflow's snapshot unless the row already holds the same or a newer version, so
   * retried or reordered activity runs can never move an order backwards. Returns whether it wrote.
   */
  async mirror(order: OrderSnapshot): Promise<boolean> {
    return this.em.transactional(async (em) => {
      const connection = em.getConnection();
      const written = await connection.execute<{ id: string }[]>(
        `insert into orders (id, number, customer_id, status, awaiting, currency, total, notes, approvals,
           carrier, tracking_number, shipped_at, completed_at, version, created_at, updated_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?)
         on conflict (id) do update set
           status = excluded.status, awaiting = excluded.awaiting, currency = excluded.currency,
           total = excluded.total, notes = excluded.notes, approvals = excluded.approvals,
           carrier = excluded.carrier, tracking_number = excluded.tracking_number,
           shipped_at = excluded.shipped_at, completed_at = excluded.completed_at,
           version = excluded.version, updated_at = excluded.updated_at
         where orders.version < excluded.version
         returning id`,
        [
          order.orderId,
          order.number,
          order.customerId,
          order.status,
          order.awaiting,
          order.currency,
          order.total,
          order.notes,
          JSON.stringify(order.approvals),
          order.shipment?.carrier ?? null,
          order.shipment?.trackingNumber ?? null,
          order.shipment?.shippedAt ?? null,
          order.completedAt,
          order.version,
          order.createdAt,
          order.updatedAt,
        ],
      );
      if (written.length === 0) return false;
      await connection.execute(`delete from order_lines where order_id = ?`, [order.orderId]);
      for (const [position, line] of order.lines.entries()) {
        await connection.execute(
          `insert into order_lines (order_id, position, product_id, sku, name, quantity, unit_price, line_total)
           values (?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            order.orderId,
            position,
            line.productId,
            line.sku,
            line.name,
            line.quantity,
            line.unitPrice,
            line.lineTotal,
          ],
        );
      }
      return true;
    });
  }
}
