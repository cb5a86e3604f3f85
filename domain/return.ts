/**
 * Returns (issue 25): the vocabulary the API, the return workflow and the activities share, and the pure
 * rules over it: which units of an order may come back, what a receipt is worth, which action the return's
 * state allows. Pure: no Temporal, no Node, no I/O.
 */
import type { Actor, OrderSnapshot } from './order';
import { hasRole, OPERATORS, type Role } from './people';
import { shipmentsOf } from './shipment.rules';

export const RETURN_STATUSES = [
  'requested',
  'approved',
  'received',
  'refunded',
  'exchanged',
  'closed',
  'rejected',
] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];

/** Statuses after which the return's workflow has ended. */
export const FINAL_RETURN_STATUSES: readonly ReturnStatus[] = ['closed', 'rejected'];

export const RETURN_RESOLUTIONS = ['refund', 'exchange'] as const;
export type ReturnResolution = (typeof RETURN_RESOLUTIONS)[number];

export const UNIT_CONDITIONS = ['resellable', 'damaged'] as const;
export type UnitCondition = (typeof UNIT_CONDITIONS)[number];

export const RETURN_ACTIONS = ['approve', 'reject', 'receive', 'refund', 'close'] as const;
export type ReturnAction = (typeof RETURN_ACTIONS)[number];

/** A manager's settings: how long after shipping units may come back, and whether customers may ask. */
export interface ReturnSettings {
  windowDays: number;
  customerMayRequest: boolean;
}

/** A line of a return: units of one order line, at the price the order charged for them. */
export interface ReturnLine {
  productId: string;
  sku: string;
  quantity: number;
  unitPrice: number;
}

/** Units received back, each line in one condition. */
export interface ReceivedLine {
  productId: string;
  sku: string;
  quantity: number;
  condition: UnitCondition;
}

/** The return as its workflow holds it and PostgreSQL mirrors it. */
export interface ReturnSnapshot {
  returnId: string;
  number: string;
  orderId: string;
  currency: string;
  status: ReturnStatus;
  resolution: ReturnResolution;
  reason: string;
  lines: ReturnLine[];
  received: ReceivedLine[];
  /** The stock location the units came back to, once received (absent on returns received before). */
  receivedLocation?: string | null;
  /** Minor units refunded, once refunded. */
  refundedAmount: number | null;
  /**
   * The order that ships the replacement units of an exchange, once the units are received; absent on
   * returns resolved by refund (and on those written before exchanges were built).
   */
  replacement?: ReturnReplacement | null;
  rejection: { reason: string; by: Pick<Actor, 'id' | 'username'>; at: string } | null;
  createdBy: Pick<Actor, 'id' | 'username'>;
  createdAt: string;
  updatedAt: string;
  /** Grows with every change, so a late mirror write never overwrites a newer one. */
  version: number;
}

/** The replacement order of an exchange: a new order of the received units, at no charge. */
export interface ReturnReplacement {
  orderId: string;
  number: string;
}

/** One change of a return, as the return and its order's history show it. */
export interface ReturnEvent {
  returnId: string;
  orderId: string;
  /** The return's version after the change: with the return's id, the event's identity. */
  version: number;
  kind: `return.${ReturnStatus}`;
  actor: Pick<Actor, 'id' | 'username'>;
  at: string;
  details: Record<string, unknown>;
}

/** Why a request is refused: bad input names a field (400); the state of the order or return is a 409. */
export interface ReturnRefusal {
  kind: 'input' | 'state';
  field?: string;
  message: string;
}

/** What an order has shipped of one line, and when its last unit of that line left. */
export interface ShippedLine {
  productId: string;
  sku: string;
  unitPrice: number;
  shipped: number;
  lastShippedAt: string | null;
}

const DAY_MS = 86_400_000;

/** What each line of the order has shipped, from its snapshot's shipments, in the order's line order. */
export function shippedLines(
  order: Pick<OrderSnapshot, 'orderId' | 'lines' | 'shipment' | 'shipments'>,
): ShippedLine[] {
  const shipments = shipmentsOf(order);
  return order.lines.map(({ productId, sku, unitPrice }) => {
    let shipped = 0;
    let lastShippedAt: string | null = null;
    for (const shipment of shipments) {
      for (const line of shipment.lines) {
        if (line.sku !== sku) continue;
        shipped += line.quantity;
        if (lastShippedAt === null || shipment.shippedAt > lastShippedAt) lastShippedAt = shipment.shippedAt;
      }
    }
    return { productId, sku, unitPrice, shipped, lastShippedAt };
  });
}

/**
 * Checks a requested return against what the order has shipped, what earlier returns (not rejected)
 * already take back, and the window. Null when it fits. Each SKU once; quantities are positive integers
 * (the DTO checks their type).
 */
export function returnRefusal(
  shipped: readonly ShippedLine[],
  alreadyReturned: ReadonlyMap<string, number>,
  requested: readonly { sku: string; quantity: number }[],
  windowDays: number,
  now: Date,
): ReturnRefusal | null {
  if (requested.length === 0) return { kind: 'input', field: 'lines', message: 'lines must not be empty' };
  const bySku = new Map(shipped.map((line) => [line.sku, line]));
  const seen = new Set<string>();
  for (const [index, { sku, quantity }] of requested.entries()) {
    const at = `lines.${index}`;
    const line = bySku.get(sku);
    if (!line) {
      return { kind: 'input', field: `${at}.sku`, message: `${at}.sku: the order has no line ${sku}` };
    }
    if (seen.has(sku)) {
      return { kind: 'input', field: `${at}.sku`, message: `${at}.sku: ${sku} appears more than once` };
    }
    seen.add(sku);
    if (line.shipped === 0 || line.lastShippedAt === null) {
      return {
        kind: 'state',
        field: `${at}.quantity`,
        message: `${at}.quantity: no unit of ${sku} has shipped; only shipped units can be returned`,
      };
    }
    const left = line.shipped - (alreadyReturned.get(sku) ?? 0);
    if (quantity > left) {
      return {
        kind: 'state',
        field: `${at}.quantity`,
        message: `${at}.quantity: ${quantity} of ${sku} asked back, but only ${left} of the ${line.shipped} shipped can still be returned`,
      };
    }
    const closes = Date.parse(line.lastShippedAt) + windowDays * DAY_MS;
    if (now.getTime() > closes) {
      return {
        kind: 'state',
        field: `${at}.sku`,
        message: `${at}.sku: the return window of ${windowDays} days for ${sku} closed on ${new Date(closes).toISOString()}`,
      };
    }
  }
  return null;
}

/**
 * What the customer may still ask back of each line now: shipped units minus what other returns (not
 * rejected) take, while the line's window is open. Lines with nothing left are absent; `item` is the
 * line's position in the order (1 = first), as the tracking page names it.
 */
export function returnableUnits(
  shipped: readonly ShippedLine[],
  alreadyReturned: ReadonlyMap<string, number>,
  windowDays: number,
  now: Date,
): { item: number; sku: string; left: number }[] {
  return shipped.flatMap((line, index) => {
    const left = line.shipped - (alreadyReturned.get(line.sku) ?? 0);
    if (left <= 0 || line.lastShippedAt === null) return [];
    if (now.getTime() > Date.parse(line.lastShippedAt) + windowDays * DAY_MS) return [];
    return [{ item: index + 1, sku: line.sku, left }];
  });
}

/** The requested lines with their products and prices, in the order's line order. */
export function returnLines(
  shipped: readonly ShippedLine[],
  requested: readonly { sku: string; quantity: number }[],
): ReturnLine[] {
  const wanted = new Map(requested.map((line) => [line.sku, line.quantity]));
  return shipped.flatMap(({ productId, sku, unitPrice }) => {
    const quantity = wanted.get(sku);
    return quantity === undefined ? [] : [{ productId, sku, quantity, unitPrice }];
  });
}

/**
 * Checks a receipt against the return's lines: each SKU of the return, no more units of it than the return
 * holds (in all conditions together), at least one unit. Null when it fits.
 */
export function receiptRefusal(
  lines: readonly ReturnLine[],
  received: readonly { sku: string; quantity: number; condition: string }[],
): ReturnRefusal | null {
  if (received.length === 0) return { kind: 'input', field: 'lines', message: 'lines must not be empty' };
  const expected = new Map(lines.map((line) => [line.sku, line.quantity]));
  const counted = new Map<string, number>();
  const seen = new Set<string>();
  for (const [index, { sku, quantity, condition }] of received.entries()) {
    const at = `lines.${index}`;
    if (!expected.has(sku)) {
      return { kind: 'input', field: `${at}.sku`, message: `${at}.sku: the return has no line ${sku}` };
    }
    if (!(UNIT_CONDITIONS as readonly string[]).includes(condition)) {
      return {
        kind: 'input',
        field: `${at}.condition`,
        message: `${at}.condition must be one of ${UNIT_CONDITIONS.join(', ')}`,
      };
    }
    if (seen.has(`${sku}:${condition}`)) {
      return {
        kind: 'input',
        field: `${at}.sku`,
        message: `${at}.sku: ${sku} appears twice as ${condition}`,
      };
    }
    seen.add(`${sku}:${condition}`);
    const total = (counted.get(sku) ?? 0) + quantity;
    counted.set(sku, total);
    if (total > expected.get(sku)!) {
      return {
        kind: 'input',
        field: `${at}.quantity`,
        message: `${at}.quantity: ${total} units of ${sku} received, but the return holds ${expected.get(sku)}`,
      };
    }
  }
  return null;
}

/** The received lines with their products, as the return names them. */
export function receivedLines(
  lines: readonly ReturnLine[],
  received: readonly { sku: string; quantity: number; condition: UnitCondition }[],
): ReceivedLine[] {
  const products = new Map(lines.map((line) => [line.sku, line.productId]));
  return received.map(({ sku, quantity, condition }) => ({
    productId: products.get(sku)!,
    sku,
    quantity,
    condition,
  }));
}

/** What the received units are worth at the order's prices, in whatever condition: the default refund. */
export function receivedValue(
  lines: readonly Pick<ReturnLine, 'sku' | 'unitPrice'>[],
  received: readonly Pick<ReceivedLine, 'sku' | 'quantity'>[],
): number {
  const prices = new Map(lines.map((line) => [line.sku, line.unitPrice]));
  return received.reduce((sum, line) => sum + line.quantity * (prices.get(line.sku) ?? 0), 0);
}

/** What the requested units are worth at the order's prices. */
export function returnValue(lines: readonly Pick<ReturnLine, 'quantity' | 'unitPrice'>[]): number {
  return lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
}

/** When each action is allowed. */
const ALLOWED: Record<ReturnAction, readonly ReturnStatus[]> = {
  approve: ['requested'],
  reject: ['requested', 'approved'],
  receive: ['approved'],
  refund: ['received'],
  close: ['refunded', 'exchanged'],
};

/** Who may take each action: every operator (admins, managers, staff); auditors only read. */
const WHO: Record<ReturnAction, readonly Role[]> = {
  approve: OPERATORS,
  reject: OPERATORS,
  receive: OPERATORS,
  refund: OPERATORS,
  close: OPERATORS,
};

/** Null when the return's status allows the action, otherwise a sentence naming the status. */
export function returnActionRefusal(status: ReturnStatus, action: ReturnAction): string | null {
  if (ALLOWED[action].includes(status)) return null;
  return `cannot ${action} the return: it is ${status}; ${action} needs a return that is ${ALLOWED[action].join(' or ')}`;
}

/** The actions this actor may take on the return now, by the same table the workflow enforces. */
export function returnActionsFor(status: ReturnStatus, actor: Pick<Actor, 'roles'>): ReturnAction[] {
  return RETURN_ACTIONS.filter(
    (action) => returnActionRefusal(status, action) === null && hasRole(actor.roles, WHO[action]),
  );
}

/** Whether the return's workflow has ended. */
export function isFinalReturn(status: ReturnStatus): boolean {
  return FINAL_RETURN_STATUSES.includes(status);
}
