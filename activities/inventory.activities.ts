import type { EntityManager } from '@mikro-orm/postgresql';
import { ApplicationFailure } from '@temporalio/common';
import { v5 as uuidv5 } from 'uuid';
import { LocationRepository, ShipmentRepository, StockRepository } from '../db/repositories';
import { planParcels, type Parcel } from '../domain/shipment.rules';
import type { StockLine } from '../db/repositories';
import {
  PERMANENT_FAILURES,
  type OrderLine,
  type OrderShipment,
  type ShipmentLine,
  type StockShortage,
} from '../domain/order';

/** The namespace of parcel ids derived from an order, its `ship` key and a location (a random UUID, fixed once). */
const PARCEL_NAMESPACE = 'c4b1e9d2-7a36-4f08-8e5b-93d0a6f2c718';

export interface InventoryActivityDeps {
  em: () => EntityManager;
  /** Tells these orders' workflows that stock they may wait for was released (best effort). */
  notifyStockChanged: (orderIds: string[]) => Promise<void>;
}

export interface ReserveStockInput {
  orderId: string;
  lines: OrderLine[];
  /** The order's place in the queue for stock: when it was created. */
  since: string;
}

export interface AdjustReservationInput {
  orderId: string;
  lines: OrderLine[];
}

export interface OrderRef {
  orderId: string;
}

export interface ShipGoodsInput {
  orderId: string;
  shipment: OrderShipment;
}

export interface ReserveAvailableResult {
  /** Units the order holds of each line now, by SKU. */
  held: { sku: string; quantity: number }[];
  /** What is still missing of each line that waits for stock. */
  shortages: StockShortage[];
}

export type ReserveStockResult = { ok: true } | { ok: false; shortages: StockShortage[] };

const stockLines = (lines: OrderLine[]): StockLine[] =>
  lines.map(({ productId, sku, quantity }) => ({ productId, sku, quantity }));

/** Stock activities. Each is one transaction and idempotent; `releaseStock` is the compensation of `reserveStock`. */
export function createInventoryActivities(deps: InventoryActivityDeps) {
  return {
    /** Reserves all the order's lines or none, first come first served; a refusal queues the order. */
    async reserveStock({ orderId, lines, since }: ReserveStockInput): Promise<ReserveStockResult> {
      const result = await new StockRepository(deps.em()).reserve(orderId, stockLines(lines), since);
      if (!result.ok) return { ok: false, shortages: result.shortages };
      // This order left the queue: whoever is now first in line may be able to go too.
      await deps.notifyStockChanged(result.next);
      return { ok: true };
    },

    /**
     * An `allowPartial` order reserves what is available now of each line, first come first served per
     * product; the rest waits in the queue. `lines` are what the order still needs, shipped units left out.
     */
    async reserveAvailable({ orderId, lines, since }: ReserveStockInput): Promise<ReserveAvailableResult> {
      const result = await new StockRepository(deps.em()).reserveAvailable(orderId, stockLines(lines), since);
      if (result.next.length > 0) await deps.notifyStockChanged(result.next);
      return { held: result.held, shortages: result.shortages };
    },

    /** An `allowPartial` order's lines were edited: its reservation is cut to the new lines (never grown). */
    async trimReservation({ orderId, lines }: AdjustReservationInput): Promise<void> {
      const waiting = await new StockRepository(deps.em()).trimReservation(orderId, stockLines(lines));
      await deps.notifyStockChanged(waiting.filter((id) => id !== orderId));
    },

    /** Moves an existing reservation to the edited lines, all or nothing. */
    async adjustReservation({ orderId, lines }: AdjustReservationInput): Promise<ReserveStockResult> {
      const result = await new StockRepository(deps.em()).adjust(orderId, stockLines(lines));
      return result.ok ? { ok: true } : { ok: false, shortages: result.shortages };
    },

    /** Compensation: gives back the order's reservation and its place in the queue, then wakes the queue. */
    async releaseStock({ orderId }: OrderRef): Promise<void> {
      const waiting = await new StockRepository(deps.em()).release(orderId);
      await deps.notifyStockChanged(waiting);
    },

    /** The reserved goods leave with the shipment. */
    async fulfilStock({ orderId }: OrderRef): Promise<void> {
      await new StockRepository(deps.em()).fulfil(orderId);
    },

    /**
     * Where everything ready leaves from when no location is named: from where the order holds its units
     * reserved, one parcel per location (see `planParcels`); `parcels` is null when its reservation does not
     * hold them. Workflow code of releases before reservations were held at locations names no order: it
     * plans from what the locations hold, as it did.
     *
     * With a `shipKey` (the order's version when `ship` runs) each parcel gets its id, derived from the
     * order, the key and the parcel's location, and the units of parcels already written under those ids
     * count as still held. Any second run of `ship` from the same state plans the same parcels with the same
     * ids, and `shipGoods` finds them written: Temporal running the update's handler again after its first
     * task was lost once `shipGoods` had committed, or the request repeated after its caller gave up.
     */
    async planParcels({
      lines,
      orderId,
      shipKey,
    }: {
      lines: ShipmentLine[];
      orderId?: string;
      shipKey?: string;
    }): Promise<{ parcels: (Parcel & { id?: string })[] | null }> {
      const em = deps.em();
      const locations = new LocationRepository(em);
      if (!orderId)
        return { parcels: planParcels(lines, await locations.holdings(lines.map((line) => line.productId))) };
      const holdings = await locations.heldFor(orderId);
      if (!shipKey) return { parcels: planParcels(lines, holdings) };
      const parcelId = (location: string) => uuidv5(`${orderId}\n${shipKey}\n${location}`, PARCEL_NAMESPACE);
      const written = await new ShipmentRepository(em).unitsOf(
        orderId,
        holdings.map(({ location }) => parcelId(location)),
      );
      for (const { location, productId, quantity } of written) {
        const place = holdings.find((held) => held.location === location);
        place?.onHand.set(productId, (place.onHand.get(productId) ?? 0) + quantity);
      }
      const parcels = planParcels(lines, holdings);
      return { parcels: parcels && parcels.map((parcel) => ({ id: parcelId(parcel.location), ...parcel })) };
    },

    /**
     * One shipment's goods leave: its row is written and its units taken out of stock and out of the order's
     * reservation, once (by the shipment's id). Units the reservation does not hold are a defect of the
     * order's state, not an outage: the step fails for good and the order shows it as its problem.
     */
    async shipGoods({ orderId, shipment }: ShipGoodsInput): Promise<{ shipment: OrderShipment }> {
      const written = await new ShipmentRepository(deps.em()).record(orderId, shipment);
      if (!written.ok) {
        throw ApplicationFailure.nonRetryable(
          'notReserved' in written
            ? `the order's reservation does not hold the units of ${written.notReserved.join(', ')}`
            : `stock location ${written.location} does not hold the units of ${written.notHeld.join(', ')}`,
          PERMANENT_FAILURES.invalidData,
        );
      }
      // Answered with the shipment as written (a repeated run's `shippedAt` is the first's): a local
      // activity's result is what its history keeps of it.
      return { shipment: { ...shipment, shippedAt: written.shippedAt } };
    },
  };
}
