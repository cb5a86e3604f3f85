/**
 * How an order ships in parts: what each line has shipped, what is left, whether a requested shipment fits
 * what is left, and when the order has shipped entirely. Pure functions over the order's snapshot, used by
 * the API (to answer at once) and by the order workflow (which decides).
 */
import type { OrderLine, OrderShipment, OrderSnapshot, ShipmentLine } from './order';

/** The one stock location until locations are built (issue 24). */
export const MAIN_LOCATION = 'MAIN';

type Shipped = Pick<OrderSnapshot, 'orderId' | 'lines' | 'shipment' | 'shipments'> &
  Partial<Pick<OrderSnapshot, 'allowPartial' | 'allocated' | 'reserved'>>;

/**
 * The order's shipments, oldest first. An order that shipped before shipments were recorded one by one
 * shipped once, everything: it shows as that one shipment (under the order's id).
 */
export function shipmentsOf(order: Shipped): OrderShipment[] {
  if (order.shipments && order.shipments.length > 0) return order.shipments;
  if (!order.shipment) return [];
  return [
    {
      id: order.orderId,
      lines: order.lines.map(({ productId, sku, quantity }) => ({ productId, sku, quantity })),
      location: MAIN_LOCATION,
      ...order.shipment,
      by: { id: 'system', username: 'system' },
    },
  ];
}

/** Units shipped so far, per SKU. */
export function shippedQuantities(order: Shipped): Map<string, number> {
  const shipped = new Map<string, number>();
  for (const shipment of shipmentsOf(order)) {
    for (const line of shipment.lines) shipped.set(line.sku, (shipped.get(line.sku) ?? 0) + line.quantity);
  }
  return shipped;
}

/** The value of the units shipped so far, at the order's prices (minor units). */
export function shippedValue(order: Shipped): number {
  const shipped = shippedQuantities(order);
  return order.lines.reduce(
    (sum, line) => sum + line.unitPrice * Math.min(shipped.get(line.sku) ?? 0, line.quantity),
    0,
  );
}

/** Whether some, but not all, of the order has shipped. */
export function isPartlyShipped(order: Partial<Pick<OrderSnapshot, 'lines' | 'shipments'>>): boolean {
  const { lines = [], shipments = [] } = order;
  // Recorded shipments only: an order shipped before they were recorded shipped everything at once.
  return shipments.length > 0 && remainingLines({ orderId: '', shipment: null, lines, shipments }).length > 0;
}

/** What is left to ship of each line that has something left, in the order's line order. */
export function remainingLines(order: Shipped): ShipmentLine[] {
  const shipped = shippedQuantities(order);
  return order.lines.flatMap(({ productId, sku, quantity }) => {
    const left = quantity - (shipped.get(sku) ?? 0);
    return left > 0 ? [{ productId, sku, quantity: left }] : [];
  });
}

/**
 * Units of each line reserved and not shipped yet, per SKU: what is ready to ship. An `allowPartial` order
 * counts what it has reserved so far; any other order has all its lines reserved or none (`reserved`).
 */
export function reservedQuantities(order: Shipped): Map<string, number> {
  const shipped = shippedQuantities(order);
  const allocated = new Map((order.allocated ?? []).map((line) => [line.sku, line.quantity]));
  const reserved = new Map<string, number>();
  for (const { sku, quantity } of order.lines) {
    const held = order.allowPartial
      ? Math.min(allocated.get(sku) ?? 0, quantity)
      : order.reserved
        ? quantity
        : 0;
    reserved.set(sku, Math.max(0, held - (shipped.get(sku) ?? 0)));
  }
  return reserved;
}

/**
 * What `ship` takes: everything left, or for an `allowPartial` order what is reserved and not shipped yet
 * (the rest waits for stock).
 */
export function readyLines(order: Shipped): ShipmentLine[] {
  if (!order.allowPartial) return remainingLines(order);
  const ready = reservedQuantities(order);
  return order.lines.flatMap(({ productId, sku }) => {
    const quantity = ready.get(sku) ?? 0;
    return quantity > 0 ? [{ productId, sku, quantity }] : [];
  });
}

/** Why a requested shipment is refused: bad input names a field (400); more than is left is a state (409). */
export interface ShipmentRefusal {
  kind: 'input' | 'state';
  field: string;
  message: string;
}

/**
 * Checks a requested shipment against what is left of the order's lines. Null when it fits, and then
 * `linesToShip` gives its lines with their products. Each SKU once; each quantity a positive integer.
 */
export function shipmentRefusal(
  order: Shipped,
  requested: readonly { sku: string; quantity: number }[],
): ShipmentRefusal | null {
  if (requested.length === 0) return { kind: 'input', field: 'lines', message: 'lines must not be empty' };
  const left = new Map(remainingLines(order).map((line) => [line.sku, line.quantity]));
  const ready = order.allowPartial ? reservedQuantities(order) : left;
  const ordered = new Set(order.lines.map((line: OrderLine) => line.sku));
  const seen = new Set<string>();
  for (const [index, { sku, quantity }] of requested.entries()) {
    const at = `lines.${index}`;
    if (!ordered.has(sku)) {
      return {
        kind: 'input',
        field: `${at}.sku`,
        message: `${at}.sku ${JSON.stringify(sku)} is not a line of this order`,
      };
    }
    if (seen.has(sku)) {
      return {
        kind: 'input',
        field: `${at}.sku`,
        message: `${at}.sku repeats ${sku}; put its whole quantity on one line`,
      };
    }
    seen.add(sku);
    if (!Number.isSafeInteger(quantity) || quantity < 1) {
      return { kind: 'input', field: `${at}.quantity`, message: `${at}.quantity must be a positive integer` };
    }
    const remaining = left.get(sku) ?? 0;
    if (quantity > remaining) {
      return {
        kind: 'state',
        field: `${at}.quantity`,
        message: `${at}.quantity ${quantity} of ${sku} is more than is left to ship (${remaining})`,
      };
    }
    const reserved = ready.get(sku) ?? 0;
    if (quantity > reserved) {
      return {
        kind: 'state',
        field: `${at}.quantity`,
        message: `${at}.quantity ${quantity} of ${sku} is more than is reserved and ready to ship (${reserved}); the rest waits for stock`,
      };
    }
  }
  return null;
}

/** The requested lines with their products, in the order's line order (call after `shipmentRefusal`). */
export function linesToShip(
  order: Pick<OrderSnapshot, 'lines'>,
  requested: readonly { sku: string; quantity: number }[],
): ShipmentLine[] {
  const wanted = new Map(requested.map((line) => [line.sku, line.quantity]));
  return order.lines.flatMap(({ productId, sku }) => {
    const quantity = wanted.get(sku);
    return quantity ? [{ productId, sku, quantity }] : [];
  });
}

/** Whether nothing is left to ship once `shipment` is added to the order's shipments. */
export function shipsTheRest(order: Shipped, shipment: OrderShipment): boolean {
  return remainingLines({ ...order, shipments: [...(order.shipments ?? []), shipment] }).length === 0;
}

/** Units of each product one location holds, in the order locations are preferred (`MAIN` first). */
export type LocationHoldings = { location: string; onHand: Map<string, number> }[];

/** One parcel of a shipment of everything ready: the units one location sends. */
export interface Parcel {
  location: string;
  lines: ShipmentLine[];
}

/**
 * How everything ready leaves when no location is named (`ship`): from the first location, in order of
 * preference, that holds all of it, in one parcel; otherwise line by line from the locations in that order,
 * one parcel per location that sends something. Null when all the locations together do not hold it.
 */
export function planParcels(lines: ShipmentLine[], holdings: LocationHoldings): Parcel[] | null {
  const holds = (place: LocationHoldings[number], line: ShipmentLine) =>
    (place.onHand.get(line.productId) ?? 0) >= line.quantity;
  const whole = holdings.find((place) => lines.every((line) => holds(place, line)));
  if (whole) return [{ location: whole.location, lines }];
  const { parcels, short } = spreadOver(lines, holdings);
  return short.length === 0 ? parcels : null;
}

/**
 * Where the ready units of an order would leave from (the order page's view per location): as `ship`
 * would send them; when the locations together no longer hold them all (stock moved since it was
 * reserved), line by line as far as they go, and `short` the units no location holds.
 */
export function placeReady(
  lines: ShipmentLine[],
  holdings: LocationHoldings,
): { parcels: Parcel[]; short: ShipmentLine[] } {
  const parcels = planParcels(lines, holdings);
  return parcels ? { parcels, short: [] } : spreadOver(lines, holdings);
}

/** The lines taken location by location, in order of preference, each as far as the location holds. */
function spreadOver(
  lines: ShipmentLine[],
  holdings: LocationHoldings,
): { parcels: Parcel[]; short: ShipmentLine[] } {
  const left = new Map(lines.map((line) => [line.productId, line.quantity]));
  const parcels: Parcel[] = [];
  for (const place of holdings) {
    const taken = lines.flatMap(({ productId, sku }) => {
      const quantity = Math.min(left.get(productId) ?? 0, place.onHand.get(productId) ?? 0);
      if (quantity <= 0) return [];
      left.set(productId, left.get(productId)! - quantity);
      return [{ productId, sku, quantity }];
    });
    if (taken.length > 0) parcels.push({ location: place.location, lines: taken });
  }
  const short = lines.flatMap(({ productId, sku }) => {
    const quantity = left.get(productId) ?? 0;
    return quantity > 0 ? [{ productId, sku, quantity }] : [];
  });
  return { parcels, short };
}

/**
 * Why edited lines do not fit a partly shipped order (issue 24: an edit touches only what has not shipped):
 * every line with shipped units stays, at no fewer units than shipped, and something must be left to ship
 * (otherwise what has not shipped is cancelled, not edited away). Null when they fit, or nothing shipped.
 */
export function editRefusal(
  order: Shipped,
  lines: Pick<ShipmentLine, 'sku' | 'quantity'>[],
): ShipmentRefusal | null {
  const shipped = shippedQuantities(order);
  if (shipped.size === 0) return null;
  const wanted = new Map(lines.map((line) => [line.sku, line.quantity]));
  for (const [sku, units] of shipped) {
    if ((wanted.get(sku) ?? 0) >= units) continue;
    const index = lines.findIndex((line) => line.sku === sku);
    return {
      kind: 'state',
      field: index < 0 ? 'lines' : `lines.${index}.quantity`,
      message: `${sku} has shipped ${units} units: the order keeps at least ${units} of it`,
    };
  }
  const left = lines.some((line) => line.quantity > (shipped.get(line.sku) ?? 0));
  if (!left)
    return {
      kind: 'state',
      field: 'lines',
      message: 'the edit leaves nothing to ship: cancel what has not shipped instead',
    };
  return null;
}

/** Edited lines less what has shipped of each: what the order still reserves or waits for. */
export function unshippedLines<Line extends ShipmentLine>(order: Shipped, lines: Line[]): Line[] {
  const shipped = shippedQuantities(order);
  return lines.flatMap((line) => {
    const left = line.quantity - (shipped.get(line.sku) ?? 0);
    return left > 0 ? [{ ...line, quantity: left }] : [];
  });
}

/**
 * Edited lines as priced now, except that a line with shipped units keeps the price the order charged for
 * it (what left at that price stays at it), with the total over them.
 */
export function keepShippedPrices(order: Shipped, lines: OrderLine[]): { lines: OrderLine[]; total: number } {
  const shipped = shippedQuantities(order);
  const charged = new Map(order.lines.map((line) => [line.sku, line.unitPrice]));
  const kept = lines.map((line) => {
    const unitPrice = shipped.has(line.sku) ? (charged.get(line.sku) ?? line.unitPrice) : line.unitPrice;
    return { ...line, unitPrice, lineTotal: unitPrice * line.quantity };
  });
  return { lines: kept, total: kept.reduce((sum, line) => sum + line.lineTotal, 0) };
}

/** One product's stock at one location: what it holds and what of that no order has reserved. */
export interface LocationStock {
  location: string;
  onHand: number;
  available: number;
}

/** One line of an order at one location: what left from there, what would leave from there next. */
export interface LineAtLocation extends LocationStock {
  shipped: number;
  ready: number;
}

/** One line of an order being fulfilled: shipped, reserved and ready, waiting; and each location's part. */
export interface LineFulfilment {
  sku: string;
  name: string;
  quantity: number;
  shippedQuantity: number;
  reservedQuantity: number;
  waitingQuantity: number;
  locations: LineAtLocation[];
}

/**
 * The order's lines per location (the order page's fulfilment view, issue 24): the units each location
 * sent, the reserved units it would send now (as `ship` would, see `placeReady`: from where the order holds
 * them, `held`, when given; else from what the locations hold), and what it holds of the product. `stock`
 * lists every location for each product, in order of preference. A closed order waits for nothing: what did
 * not ship was cancelled.
 */
export function fulfilmentOf(
  order: Shipped & Pick<OrderSnapshot, 'status'>,
  stock: ReadonlyMap<string, LocationStock[]>,
  held?: LocationHoldings,
): LineFulfilment[] {
  const shipped = shippedQuantities(order);
  const reserved = reservedQuantities(order);
  const ready = order.lines.flatMap(({ productId, sku }) => {
    const quantity = reserved.get(sku) ?? 0;
    return quantity > 0 ? [{ productId, sku, quantity }] : [];
  });
  const places = [...new Set([...stock.values()].flat().map((level) => level.location))];
  const holdings: LocationHoldings = places.map((location) => ({
    location,
    onHand: new Map(
      [...stock].map(([productId, levels]) => [
        productId,
        levels.find((level) => level.location === location)?.onHand ?? 0,
      ]),
    ),
  }));
  const { parcels } = placeReady(ready, held ?? holdings);
  const units = (lines: { sku: string; quantity: number }[], sku: string) =>
    lines.reduce((sum, line) => sum + (line.sku === sku ? line.quantity : 0), 0);
  const closed = order.status === 'cancelled' || order.status === 'rejected';
  const sent = shipmentsOf(order);
  return order.lines.map(({ productId, sku, name, quantity }) => {
    const left = quantity - (shipped.get(sku) ?? 0) - (reserved.get(sku) ?? 0);
    return {
      sku,
      name,
      quantity,
      shippedQuantity: shipped.get(sku) ?? 0,
      reservedQuantity: reserved.get(sku) ?? 0,
      waitingQuantity: closed ? 0 : Math.max(0, left),
      locations: (stock.get(productId) ?? []).map(({ location, onHand, available }) => ({
        location,
        onHand,
        available,
        shipped: sent
          .filter((shipment) => shipment.location === location)
          .reduce((sum, shipment) => sum + units(shipment.lines, sku), 0),
        ready: parcels
          .filter((parcel) => parcel.location === location)
          .reduce((sum, parcel) => sum + units(parcel.lines, sku), 0),
      })),
    };
  });
}

/** Whether the order has recorded the shipment with this id (a repeated request's). */
export function isShipmentOf(order: Pick<OrderSnapshot, 'shipments'>, shipmentId: string): boolean {
  return (order.shipments ?? []).some((shipment) => shipment.id === shipmentId);
}

/**
 * The order after it learns of shipments its steps wrote in a run its history never kept (a workflow task
 * Temporal lost after `shipGoods` had committed): they join those it knew, all in the order they left. A
 * processing order they ship entirely has shipped, with the last parcel's carrier and tracking number (the
 * one that left last, which may be one it knew); an order already past processing (a cancellation under way)
 * keeps its status, and what shipped counts as kept.
 */
export function withFoundShipments(
  order: Pick<OrderSnapshot, 'orderId' | 'status' | 'lines' | 'shipment' | 'shipments'>,
  found: readonly OrderShipment[],
): Pick<OrderSnapshot, 'shipments'> &
  Partial<Pick<OrderSnapshot, 'status' | 'awaiting' | 'reserved' | 'shipment'>> {
  const known = order.shipments ?? [];
  const added = found.filter((shipment) => !isShipmentOf(order, shipment.id));
  const shipments = [...known, ...added].sort((a, b) => a.shippedAt.localeCompare(b.shippedAt));
  const last = shipments.at(-1);
  if (order.status !== 'processing' || !last || remainingLines({ ...order, shipments }).length > 0)
    return { shipments };
  const { carrier, trackingNumber, shippedAt } = last;
  return {
    shipments,
    status: 'shipped',
    awaiting: 'delivery',
    reserved: false,
    shipment: { carrier, trackingNumber, shippedAt },
  };
}
