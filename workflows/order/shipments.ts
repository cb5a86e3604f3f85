/**
 * The order's shipments: staff ship some units of some lines at a time (`shipPart`), or all that is left
 * (`ship`). Each shipment's goods leave the stock in one idempotent step that also writes the shipment's row;
 * the order stays `processing`, awaiting `shipment`, until the last unit has left, and then is `shipped`.
 *
 * Orders that began before shipments were recorded one by one ship all at once, as they did: the `ship`
 * action's new path is behind a patch marker, so their histories replay as they ran. `shipPart` is an update
 * those histories never received, so it needs no marker.
 */
import { patched, uuid4 } from '@temporalio/workflow';
import {
  FAILURE,
  type OrderSnapshot,
  type ShipInput,
  type ShipPartInput,
  type ShipmentLine,
} from '../../domain/order';
import {
  MAIN_LOCATION,
  isShipmentOf,
  linesToShip,
  readyLines,
  shipmentRefusal,
  shipsTheRest,
} from '../../domain/shipment.rules';
import { local } from './proxies';
import { now, refuse, stepFailedMessage, type OrderRecord } from './record';

/** Marks orders whose `ship` action records a shipment of what is left, like a partial one. */
export const PARTIAL_SHIPMENTS_PATCH = 'partial-shipments';

/**
 * Marks orders whose `ship` action sends what is ready from the locations that hold it (one parcel per
 * location, see `planParcels`); before, it all left from `MAIN`.
 */
export const SHIP_BY_LOCATION_PATCH = 'ship-by-location';

/**
 * Marks orders that announce a shipment which leaves the rest of the order behind (`order.shipment`, "8 of
 * 10 units shipped"): histories from before replay without the notice.
 */
export const SHIPMENT_NOTICE_PATCH = 'shipment-notice';

/** Refuses a partial shipment that does not fit what is left of the order (the state is checked before). */
export function shipmentCheck(order: OrderSnapshot, { lines }: ShipPartInput): void {
  const refusal = shipmentRefusal(order, lines);
  if (refusal === null) return;
  const type = refusal.kind === 'input' ? FAILURE.invalidInput : FAILURE.invalidTransition;
  refuse(type, refusal.message, order, refusal.field);
}

export class OrderShipments {
  constructor(private readonly record: OrderRecord) {}

  /** Whether this order records its shipments one by one (false in histories from before). */
  get recorded(): boolean {
    return patched(PARTIAL_SHIPMENTS_PATCH);
  }

  /**
   * Ships the units a person chose (already checked against what is left), once per shipment id: a repeat
   * of a request already carried out (its Idempotency-Key's id) changes nothing. Shipment ids were random
   * before keys, so no history from before has a repeat, and this needs no marker.
   */
  async shipPart(command: ShipPartInput): Promise<void> {
    const { shipmentId, location, carrier, trackingNumber, actor } = command;
    if (isShipmentOf(this.record.order, shipmentId)) return;
    await this.ship(
      {
        id: shipmentId,
        lines: linesToShip(this.record.order, command.lines),
        location,
        carrier,
        trackingNumber,
      },
      actor,
    );
  }

  /**
   * Ships everything that is left (of an `allowPartial` order, everything reserved): the `ship` action. It
   * leaves from one location that holds it all, or in one parcel per location (each its own shipment, under
   * the same carrier and tracking number); the last parcel makes the order `shipped`.
   */
  async shipRest({ carrier, trackingNumber, actor }: ShipInput): Promise<void> {
    const lines = readyLines(this.record.order);
    if (!patched(SHIP_BY_LOCATION_PATCH)) {
      await this.ship({ id: uuid4(), lines, location: MAIN_LOCATION, carrier, trackingNumber }, actor);
      return;
    }
    // Named by the order's state: any run of `ship` from this version plans the same parcels (see the activity).
    const { orderId, version } = this.record.order;
    const { parcels } = await local.planParcels({ lines, orderId, shipKey: `ship@${version}` });
    if (parcels === null) {
      refuse(
        FAILURE.invalidTransition,
        `the stock locations together do not hold the units of ${lines.map((line) => line.sku).join(', ')} to ship`,
        this.record.order,
        'location',
      );
    }
    // Parcels planned under a key carry their ids; histories from before drew random ones.
    for (const { id, location, lines: sent } of parcels) {
      await this.ship({ id: id ?? uuid4(), lines: sent, location, carrier, trackingNumber }, actor);
    }
  }

  private async ship(
    parcel: { id: string; lines: ShipmentLine[]; location: string; carrier: string; trackingNumber: string },
    actor: ShipInput['actor'],
  ): Promise<void> {
    // Taken in already: a parcel its first, lost run wrote, found when an earlier parcel was recorded.
    if (isShipmentOf(this.record.order, parcel.id)) return;
    const order = this.record.order;
    const written = await this.record.step('shipGoods', () =>
      local.shipGoods({
        orderId: order.orderId,
        shipment: { ...parcel, shippedAt: now(), by: { id: actor.id, username: actor.username } },
      }),
    );
    if (written === null) refuse(FAILURE.stepFailed, stepFailedMessage('shipment'), this.record.order);
    // As written: a shipment a lost first run of this command wrote keeps that run's time.
    const { shipment } = written;
    const shipments = [...(order.shipments ?? []), shipment];
    const { carrier, trackingNumber, shippedAt } = shipment;
    if (!shipsTheRest(order, shipment)) {
      await this.record.change({ shipments });
      // Still processing unless the change found the rest shipped by a lost run (`OrderRecord.catchUp`).
      if (this.record.order.status === 'processing' && patched(SHIPMENT_NOTICE_PATCH))
        await this.record.announce('order.shipment', `shipment:${shipment.id}`);
      return;
    }
    return this.record.change({
      shipments,
      status: 'shipped',
      awaiting: 'delivery',
      reserved: false,
      shipment: { carrier, trackingNumber, shippedAt },
    });
  }
}
