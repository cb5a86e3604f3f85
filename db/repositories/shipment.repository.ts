import type { EntityManager } from '@mikro-orm/postgresql';
import type { OrderShipment } from '../../domain/order';
import { LocationRepository, LocationShortError } from './location.repository';
import { sqlOf } from './sql';
import { StockRepository } from './stock.repository';

/** Raised inside the shipment's transaction when the order's reservation does not hold its units. */
class NotReservedError extends Error {
  constructor(readonly skus: string[]) {
    super(`not reserved: ${skus.join(', ')}`);
  }
}

export type ShipmentWritten =
  { ok: true } | { ok: false; notReserved: string[] } | { ok: false; location: string; notHeld: string[] };

/** Shipments: written by the order workflow's activity, with the stock their goods take, once each. */
export class ShipmentRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * Writes the shipment and takes its units out of stock and out of the order's reservation, in one
   * transaction. Idempotent by the shipment's id: a repeated run changes nothing.
   */
  async record(orderId: string, shipment: OrderShipment): Promise<ShipmentWritten> {
    try {
      await this.em.transactional(async (em) => {
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
        if (inserted.length === 0) return;
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
      });
      return { ok: true };
    } catch (error) {
      if (error instanceof NotReservedError) return { ok: false, notReserved: error.skus };
      if (error instanceof LocationShortError)
        return { ok: false, location: error.location, notHeld: error.skus };
      throw error;
    }
  }
}
