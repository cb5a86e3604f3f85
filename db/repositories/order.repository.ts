import type { EntityManager } from '@mikro-orm/postgresql';
import { sqlOf } from './sql';
import type { Awaiting, OrderSnapshot, OrderStatus } from '../../workflows/order.definitions';
import { Order } from '../entities';
import { isUuid } from './ids';
import { containing } from './like';
import { storable } from './storable';
import { decodeCursor, pageOf, type Page } from './pagination';
import {
  ledgerTotals,
  moveRankings,
  moveSales,
  moveStatusCount,
  outcomeOf,
  recordBreaches,
  recordTransition,
} from './report-summaries';

/** Channel on which every change of an order's status or awaiting is announced (LISTEN/NOTIFY). */
export const ORDER_EVENTS_CHANNEL = 'order_events';

export interface OrderFilter {
  status?: OrderStatus;
  customerId?: string;
  /** Free text over order number, customer name and notes. */
  q?: string;
  awaiting?: Awaiting;
  /** Created at or after this instant (ISO 8601). */
  createdFrom?: string;
  /** Created before this instant (ISO 8601). */
  createdTo?: string;
  /** Total within these bounds, minor units, inclusive. */
  minTotal?: number;
  maxTotal?: number;
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
    if (filter.q) return this.search({ ...filter, q: filter.q });
    const where: Record<string, unknown>[] = [];
    if (filter.status) where.push({ status: filter.status });
    if (filter.customerId) where.push({ customer: isUuid(filter.customerId) ? filter.customerId : null });
    if (filter.awaiting) where.push({ awaiting: filter.awaiting });
    if (filter.createdFrom) where.push({ createdAt: { $gte: new Date(filter.createdFrom) } });
    if (filter.createdTo) where.push({ createdAt: { $lt: new Date(filter.createdTo) } });
    if (filter.minTotal !== undefined) where.push({ total: { $gte: filter.minTotal } });
    if (filter.maxTotal !== undefined) where.push({ total: { $lte: filter.maxTotal } });
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

  /**
   * Search as a union of three small, index-driven queries, each already cut to one page: number and notes
   * through their trigram indexes, customer name through the customers' trigram index and then each
   * matching customer's newest orders (customer, created_at index). One `OR` across the join instead
   * makes PostgreSQL walk every order for a rare word (seconds on a million orders).
   */
  private async search(filter: OrderFilter & { q: string }): Promise<Page<Order>> {
    const pattern = containing(filter.q);
    const limit = filter.limit + 1;
    const conditions: string[] = [];
    const params: unknown[] = [];
    if (filter.status) {
      conditions.push('o.status = ?');
      params.push(filter.status);
    }
    if (filter.customerId) {
      conditions.push('o.customer_id = ?');
      params.push(isUuid(filter.customerId) ? filter.customerId : null);
    }
    if (filter.awaiting) {
      conditions.push('o.awaiting = ?');
      params.push(filter.awaiting);
    }
    if (filter.createdFrom) {
      conditions.push('o.created_at >= ?::timestamptz');
      params.push(filter.createdFrom);
    }
    if (filter.createdTo) {
      conditions.push('o.created_at < ?::timestamptz');
      params.push(filter.createdTo);
    }
    if (filter.minTotal !== undefined) {
      conditions.push('o.total >= ?');
      params.push(filter.minTotal);
    }
    if (filter.maxTotal !== undefined) {
      conditions.push('o.total <= ?');
      params.push(filter.maxTotal);
    }
    if (filter.cursor) {
      const [createdAt, id] = decodeCursor(filter.cursor, 'time');
      conditions.push('(o.created_at, o.id) < (?::timestamptz, ?::uuid)');
      params.push(createdAt, id);
    }
    const and = conditions.map((condition) => ` and ${condition}`).join('');
    const page = `order by o.created_at desc, o.id desc limit ${limit}`;
    const ids = await sqlOf(this.em)<{ id: string }[]>(
      `select id from (
         (select o.id, o.created_at from orders o where o.number ilike ?${and} ${page})
         union
         (select o.id, o.created_at from orders o where o.notes ilike ?${and} ${page})
         union
         (select o.id, o.created_at from customers c
            cross join lateral (select o.id, o.created_at from orders o where o.customer_id = c.id${and} ${page}) o
           where c.name ilike ?)
       ) o ${page}`,
      [pattern, ...params, pattern, ...params, ...params, pattern],
    );
    const rows = ids.length
      ? await this.em.find(
          Order,
          { id: { $in: ids.map((row) => row.id) } },
          { orderBy: { createdAt: 'desc', id: 'desc' } },
        )
      : [];
    return pageOf(rows, filter.limit, (order) => [order.createdAt.toISOString(), order.id]);
  }

  /** Allocates the next human-friendly order number, e.g. SO-2026-000123. */
  async nextNumber(at: Date): Promise<string> {
    const [row] = await sqlOf(this.em)<{ n: string }[]>(`select nextval('order_number_seq') as n`);
    return `SO-${at.getUTCFullYear()}-${String(row!.n).padStart(6, '0')}`;
  }

  /**
   * Writes the workflow's snapshot unless the row already holds the same or a newer version, so retried
   * or reordered activity runs can never move an order backwards; announces changes of status or awaiting
   * to live views. In the same transaction it keeps the report summaries: the sales bucket, the ranking
   * summaries (per day and customer, product and currency; all-time bounds), the stage transition (keyed
   * by snapshot version, so a retried write adds none) with its duration histogram, and escalation breaches.
   * Returns whether it wrote, and the stage (status and awaiting) the order left, if it left one.
   */
  async mirror(snapshot: OrderSnapshot): Promise<MirrorOutcome> {
    const order = storable(snapshot);
    return this.em.transactional(async (em): Promise<MirrorOutcome> => {
      const connection = sqlOf(em);
      const [previous] = await connection<
        {
          status: OrderStatus;
          awaiting: string | null;
          customer_id: string;
          currency: string;
          captured: string;
          refunded: string;
          items: number;
          created_at: Date;
          sinceMs: number | null;
        }[]
      >(
        `select status, awaiting, customer_id, currency, captured, refunded, items, created_at,
                (extract(epoch from awaiting_since) * 1000)::float8 as "sinceMs"
           from orders where id = ? for update`,
        [order.orderId],
      );
      const ledger = await ledgerTotals(connection, order.orderId);
      const items = order.lines.reduce((sum, line) => sum + line.quantity, 0);
      const written = await connection<{ id: string }[]>(
        `insert into orders (id, number, customer_id, status, awaiting, awaiting_since, currency, total, notes,
           snapshot, carrier, tracking_number, shipped_at, completed_at, version, created_at, updated_at,
           captured, refunded, items)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         on conflict (id) do update set
           status = excluded.status, awaiting = excluded.awaiting, awaiting_since = excluded.awaiting_since,
           currency = excluded.currency, total = excluded.total, notes = excluded.notes,
           snapshot = excluded.snapshot, carrier = excluded.carrier, tracking_number = excluded.tracking_number,
           shipped_at = excluded.shipped_at, completed_at = excluded.completed_at,
           version = excluded.version, updated_at = excluded.updated_at,
           captured = excluded.captured, refunded = excluded.refunded, items = excluded.items
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
          ledger.captured,
          ledger.refunded,
          items,
        ],
      );
      if (written.length === 0) return { written: false, left: null };
      const oldLines = await connection<{ product_id: string; quantity: number; line_total: string }[]>(
        `delete from order_lines where order_id = ? returning product_id, quantity, line_total`,
        [order.orderId],
      );
      for (const [position, line] of order.lines.entries()) {
        await connection(
          `insert into order_lines (order_id, position, product_id, sku, name, quantity, unit_price, line_total,
             created_at, currency, active)
           values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            order.orderId,
            position,
            line.productId,
            line.sku,
            line.name,
            line.quantity,
            line.unitPrice,
            line.lineTotal,
            order.createdAt,
            order.currency,
            outcomeOf(order.status) === 'active',
          ],
        );
      }
      // The report summaries move in the same transaction as the row they summarise.
      await moveSales(
        connection,
        previous
          ? {
              createdAt: previous.created_at,
              currency: previous.currency,
              status: previous.status,
              captured: Number(previous.captured),
              refunded: Number(previous.refunded),
            }
          : null,
        { createdAt: order.createdAt, currency: order.currency, status: order.status, ...ledger },
      );
      await moveRankings(
        connection,
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
      await recordBreaches(connection, order);
      await moveStatusCount(connection, previous?.status ?? null, order.status);
      if (previous?.status === order.status && previous.awaiting === order.awaiting)
        return { written: true, left: null };
      await recordTransition(connection, order);
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
