import type { EntityManager } from '@mikro-orm/postgresql';
import { sqlOf } from './sql';
import type { OrderSnapshot, OrderStatus } from '../../workflows/order.definitions';
import { Order } from '../entities';
import { isUuid } from './ids';
import { containing } from './like';
import { storable } from './storable';
import { decodeCursor, pageOf, type Page } from './pagination';

/** Channel on which every change of an order's status or awaiting is announced (LISTEN/NOTIFY). */
export const ORDER_EVENTS_CHANNEL = 'order_events';

export interface OrderFilter {
  status?: OrderStatus;
  customerId?: string;
  /** Free text over order number, customer name and notes. */
  q?: string;
  limit: number;
  cursor?: string;
}

/** Orders as mirrored from their workflows. Only the workflow's activities write here. */
/** The stage an order was in before a mirror write moved it, and since when it waited there. */
export interface LeftStage {
  status: string;
  awaiting: string | null;
  /** When the wait in that stage began (epoch milliseconds). */
  sinceMs: number | null;
}

export interface MirrorOutcome {
  written: boolean;
  left: LeftStage | null;
}

export class OrderRepository {
  constructor(private readonly em: EntityManager) {}

  /** The order, or null for an unknown or malformed id. */
  async findById(id: string): Promise<Order | null> {
    if (!isUuid(id)) return null;
    return this.em.findOne(Order, { id }, { refresh: true });
  }

  /** Newest first, filtered; `q` is matched with trigram-indexed ILIKE on number, customer name and notes. */
  async list(filter: OrderFilter): Promise<Page<Order>> {
    const where: Record<string, unknown>[] = [];
    if (filter.status) where.push({ status: filter.status });
    if (filter.customerId) where.push({ customer: isUuid(filter.customerId) ? filter.customerId : null });
    if (filter.q) {
      const pattern = containing(filter.q);
      where.push({
        $or: [
          { number: { $ilike: pattern } },
          { notes: { $ilike: pattern } },
          { customer: { name: { $ilike: pattern } } },
        ],
      });
    }
    if (filter.cursor) {
      const [createdAt, id] = decodeCursor(filter.cursor, 'time');
      where.push({ $or: [{ createdAt: { $lt: createdAt } }, { createdAt, id: { $lt: id } }] });
    }
    const rows = await this.em.find(Order, where.length ? { $and: where } : {}, {
      orderBy: { createdAt: 'desc', id: 'desc' },
      limit: filter.limit + 1,
    });
    return pageOf(rows, filter.limit, (order) => [order.createdAt.toISOString(), order.id]);
  }

  /** Orders counted by status and awaiting (for metrics). */
  async countByStage(): Promise<{ status: string; awaiting: string | null; count: number }[]> {
    return sqlOf(this.em)<{ status: string; awaiting: string | null; count: number }[]>(
      `select status, awaiting, count(*)::int as count from orders group by status, awaiting`,
    );
  }

  /** Allocates the next human-friendly order number, e.g. SO-2026-000123. */
  async nextNumber(at: Date): Promise<string> {
    const [row] = await sqlOf(this.em)<{ n: string }[]>(`select nextval('order_number_seq') as n`);
    return `SO-${at.getUTCFullYear()}-${String(row!.n).padStart(6, '0')}`;
  }

  /**
   * Writes the workflow's snapshot unless the row already holds the same or a newer version, so retried
   * or reordered activity runs can never move an order backwards; announces changes of status or awaiting
   * to live views.
   * Returns whether it wrote, and the stage (status and awaiting) the order left, if it left one.
   */
  async mirror(snapshot: OrderSnapshot): Promise<MirrorOutcome> {
    const order = storable(snapshot);
    return this.em.transactional(async (em): Promise<MirrorOutcome> => {
      const connection = sqlOf(em);
      const [previous] = await connection<LeftStage[]>(
        `select status, awaiting, (extract(epoch from awaiting_since) * 1000)::float8 as "sinceMs"
         from orders where id = ? for update`,
        [order.orderId],
      );
      const written = await connection<{ id: string }[]>(
        `insert into orders (id, number, customer_id, status, awaiting, awaiting_since, currency, total, notes,
           snapshot, carrier, tracking_number, shipped_at, completed_at, version, created_at, updated_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?)
         on conflict (id) do update set
           status = excluded.status, awaiting = excluded.awaiting, awaiting_since = excluded.awaiting_since,
           currency = excluded.currency, total = excluded.total, notes = excluded.notes,
           snapshot = excluded.snapshot, carrier = excluded.carrier, tracking_number = excluded.tracking_number,
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
          order.awaitingSince,
          order.currency,
          order.total,
          order.notes,
          JSON.stringify(order),
          order.shipment?.carrier ?? null,
          order.shipment?.trackingNumber ?? null,
          order.shipment?.shippedAt ?? null,
          order.completedAt,
          order.version,
          order.createdAt,
          order.updatedAt,
        ],
      );
      if (written.length === 0) return { written: false, left: null };
      await connection(`delete from order_lines where order_id = ?`, [order.orderId]);
      for (const [position, line] of order.lines.entries()) {
        await connection(
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
      if (previous?.status === order.status && previous.awaiting === order.awaiting)
        return { written: true, left: null };
      // Delivered on commit, so listeners never hear of a change that was rolled back.
      const event = {
        type: 'order.updated',
        orderId: order.orderId,
        status: order.status,
        awaiting: order.awaiting,
      };
      await connection(`select pg_notify(?, ?)`, [ORDER_EVENTS_CHANNEL, JSON.stringify(event)]);
      return { written: true, left: previous ?? null };
    });
  }
}
