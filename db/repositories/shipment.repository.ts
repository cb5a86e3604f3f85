import type { EntityManager } from '@mikro-orm/postgresql';
import type { OrderShipment } from '../../domain/order';
import { LocationRepository, LocationShortError } from './location.repository';
import { arrayLiteral, sqlOf, type Sql } from './sql';
import { StockRepository } from './stock.repository';

/** Raised inside the shipment's transaction when the order's reservation does not hold its units. */
class NotReservedError extends Error {
  constructor(readonly skus: string[]) {
    super(`not reserved: ${skus.join(', ')}`);
  }
}

export type ShipmentWritten =
  | { ok: true; shippedAt: string }
  | { ok: false; notReserved: string[] }
  | { ok: false; location: string; notHeld: string[] };

/** Shipments: written by the order workflow's activity, with the stock their goods take, once each. */
export class ShipmentRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * Writes the shipment and takes its units out of stock and out of the order's reservation, in one
   * transaction. Idempotent by the shipment's id: a repeated run changes nothing and answers when the
   * shipment was written first (its `shippedAt`), so the order records the row as it is.
   */
  async record(orderId: string, shipment: OrderShipment): Promise<ShipmentWritten> {
    try {
      const shippedAt = await this.em.transactional(async (em) => {
        const connection = sqlOf(em);
        const inserted = await connection<{ id: string }[]>(
          `insert into order_shipments (id, order_id, location, carrier, tracking_number, shipped_at, shipped_by)
           values (?, ?, ?, ?, ?, ?, ?::jsonb) on conflict (id) do nothing returning id`,
          [
            shipment.id,
            orderId,
            shipment.location,
            shipment.carrier,
            shipment.trackingNumber,
            shipment.shippedAt,
            JSON.stringify(shipment.by),
          ],
        );
        if (inserted.length === 0) {
          const [earlier] = await connection<{ shipped_at: Date | string }[]>(
            `select shipped_at from order_shipments where id = ? and order_id = ?`,
            [shipment.id, orderId],
          );
          return earlier ? new Date(earlier.shipped_at).toISOString() : shipment.shippedAt;
        }
        // The stock first: it locks the products (in a fixed order) before the lines' foreign keys take
        // their share locks on them. The other way round, two shipments of one product each held a share
        // lock the other's update waited for: a deadlock, retried with backoff (seconds per shipment).
        const taken = await new StockRepository(em).fulfilPart(
          connection,
          orderId,
          shipment.lines,
          shipment.location,
        );
        if (taken.notReserved.length > 0) throw new NotReservedError(taken.notReserved);
        if (taken.notFree.length > 0) throw new LocationShortError(shipment.location, taken.notFree);
        // The units leave the shipment's location (its row, or `MAIN`'s share of the totals).
        await LocationRepository.ship(connection, shipment.location, shipment.lines);
        for (const [position, line] of shipment.lines.entries()) {
          await connection(
            `insert into order_shipment_lines (shipment_id, position, product_id, sku, quantity)
             values (?, ?, ?, ?, ?)`,
            [shipment.id, position, line.productId, line.sku, line.quantity],
          );
        }
        return shipment.shippedAt;
      });
      return { ok: true, shippedAt };
    } catch (error) {
      if (error instanceof NotReservedError) return { ok: false, notReserved: error.skus };
      if (error instanceof LocationShortError)
        return { ok: false, location: error.location, notHeld: error.skus };
      throw error;
    }
  }

  /**
   * This order's shipments other than `known`, oldest first, as the order records them: what steps of a run
   * its workflow's history never kept wrote (inside the caller's transaction, see `OrderRepository.mirror`).
   */
  static async besides(connection: Sql, orderId: string, known: string[]): Promise<OrderShipment[]> {
    const rows = await connection<
      {
        id: string;
        location: string;
        carrier: string;
        tracking_number: string;
        shipped_at: Date | string;
        shipped_by: OrderShipment['by'];
        lines: OrderShipment['lines'];
      }[]
    >(
      `select s.id, s.location, s.carrier, s.tracking_number, s.shipped_at, s.shipped_by,
              (select json_agg(json_build_object('productId', l.product_id, 'sku', l.sku, 'quantity', l.quantity)
                                order by l.position)
                 from order_shipment_lines l where l.shipment_id = s.id) as lines
         from order_shipments s
        where s.order_id = ? and s.id <> all(?::uuid[])
        order by s.shipped_at, s.id`,
      [orderId, arrayLiteral(known)],
    );
    return rows.map((row) => ({
      id: row.id,
      lines: row.lines ?? [],
      location: row.location,
      carrier: row.carrier,
      trackingNumber: row.tracking_number,
      shippedAt: new Date(row.shipped_at).toISOString(),
      by: row.shipped_by,
    }));
  }

  /**
   * The units of this order's shipments with these ids, by location and product: what a repeated plan of
   * those shipments counts as still the order's (see `planParcels`).
   */
  async unitsOf(
    orderId: string,
    shipmentIds: string[],
  ): Promise<{ location: string; productId: string; quantity: number }[]> {
    if (shipmentIds.length === 0) return [];
    const rows = await sqlOf(this.em)<{ location: string; product_id: string; quantity: string }[]>(
      `select s.location, l.product_id, sum(l.quantity) as quantity
         from order_shipments s join order_shipment_lines l on l.shipment_id = s.id
        where s.order_id = ? and s.id = any(?::uuid[])
        group by s.location, l.product_id`,
      [orderId, arrayLiteral(shipmentIds)],
    );
    return rows.map((row) => ({
      location: row.location,
      productId: row.product_id,
      quantity: Number(row.quantity),
    }));
  }
}
