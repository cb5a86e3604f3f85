import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditRepository } from './audit.repository';
import { sqlOf, type Sql } from './sql';
import type { Actor, StockShortage } from '../../domain/order';
import { giveBack, placeOrder, takeForShipment, takeFrom, type Placed } from '../../domain/allocation';
import { MAIN_LOCATION } from '../../domain/shipment.rules';

export interface StockLine {
  productId: string;
  sku: string;
  quantity: number;
}

export type ReservationResult =
  | {
      ok: true;
      /** Orders now first in line for the products this order took, to be woken. */ next: string[];
    }
  | { ok: false; shortages: StockShortage[]; queued: boolean };

export interface PartialReservation {
  /** Units the order holds of each line after the call, by SKU. */
  held: { sku: string; quantity: number }[];
  shortages: StockShortage[];
  /** Orders now first in line for products this order stopped waiting for, to be woken. */
  next: string[];
}

export interface StockLevel {
  stockOnHand: number;
  reserved: number;
  available: number;
}

/** Most units of one product on hand: what its integer columns hold with room for every reservation. */
export const MAX_STOCK_ON_HAND = 2_000_000_000;

/** Raised when an adjustment would take stock on hand past MAX_STOCK_ON_HAND. */
export class StockAboveLimitError extends Error {
  constructor(readonly level: StockLevel) {
    super(`would take stock on hand (${level.stockOnHand} now) above ${MAX_STOCK_ON_HAND} units`);
  }
}

/** Raised when an adjustment would take stock on hand below what is reserved. */
export class StockBelowReservedError extends Error {
  constructor(readonly level: StockLevel) {
    super(`stock on hand cannot go below the ${level.reserved} units reserved by orders`);
  }
}

interface ProductRow {
  id: string;
  stock_on_hand: number;
  reserved: number;
}

/** A Postgres array literal of UUIDs, bound as one text parameter (the query builder would expand a JS array). */
function uuidArray(ids: Iterable<string>): string {
  return `{${[...new Set(ids)].join(',')}}`;
}

/** One product's stock at one location: on hand there, and reserved there by all orders. */
export interface PlaceLevel {
  location: string;
  onHand: number;
  reserved: number;
}

/**
 * Each product's stock per location, every location listed, most preferred first. `MAIN` holds the total
 * minus what the other locations hold; `reserved` sums the orders' reservations held there. Read under the
 * products' locks when it decides a reservation.
 */
export async function placeLevels(connection: Sql, productIds: string[]): Promise<Map<string, PlaceLevel[]>> {
  const rows = await connection<
    { product_id: string; location: string; on_hand: number; reserved: number }[]
  >(
    `select p.id as product_id, l.code as location,
            (case when l.code = ?
                  then p.stock_on_hand - coalesce((select sum(o.on_hand) from location_stock o where o.product_id = p.id), 0)
                  else coalesce(s.on_hand, 0) end)::int as on_hand,
            coalesce((select sum(r.quantity) from order_reservations r
                       where r.product_id = p.id and r.location = l.code), 0)::int as reserved
       from products p
       cross join stock_locations l
       left join location_stock s on s.product_id = p.id and s.location = l.code
      where p.id = any(?::uuid[])
      order by p.id, l.preference, l.code`,
    [MAIN_LOCATION, uuidArray(productIds)],
  );
  const levels = new Map<string, PlaceLevel[]>();
  for (const row of rows) {
    const list = levels.get(row.product_id) ?? [];
    list.push({ location: row.location, onHand: row.on_hand, reserved: row.reserved });
    levels.set(row.product_id, list);
  }
  return levels;
}

/** Each product's unreserved units per location, most preferred first. */
function freeOf(levels: Map<string, PlaceLevel[]>): Map<string, Placed[]> {
  return new Map(
    [...levels].map(([productId, places]) => [
      productId,
      places.map(({ location, onHand, reserved }) => ({
        location,
        quantity: Math.max(0, onHand - reserved),
      })),
    ]),
  );
}

/** Where the order's reserved units of each product sit, most preferred location first. */
export async function heldBy(connection: Sql, orderId: string, lock = false): Promise<Map<string, Placed[]>> {
  const rows = await connection<{ product_id: string; location: string; quantity: number }[]>(
    `select r.product_id, r.location, r.quantity
       from order_reservations r join stock_locations l on l.code = r.location
      where r.order_id = ?
      order by r.product_id, l.preference, l.code${lock ? ' for update of r' : ''}`,
    [orderId],
  );
  const held = new Map<string, Placed[]>();
  for (const row of rows) {
    const list = held.get(row.product_id) ?? [];
    list.push({ location: row.location, quantity: row.quantity });
    held.set(row.product_id, list);
  }
  return held;
}

const sum = (places: readonly Placed[]) => places.reduce((total, place) => total + place.quantity, 0);

/** Adds units to the order's reservation of a product at these locations. */
async function hold(connection: Sql, orderId: string, productId: string, takes: Placed[]): Promise<void> {
  for (const { location, quantity } of takes) {
    await connection(
      `insert into order_reservations (order_id, product_id, location, quantity) values (?, ?, ?, ?)
       on conflict (order_id, product_id, location)
       do update set quantity = order_reservations.quantity + excluded.quantity`,
      [orderId, productId, location, quantity],
    );
  }
}

/** Takes units out of the order's reservation of a product at these locations (a row left at 0 goes). */
async function unhold(connection: Sql, orderId: string, productId: string, gives: Placed[]): Promise<void> {
  for (const { location, quantity } of gives) {
    const cut = await connection(
      `update order_reservations set quantity = quantity - ?
        where order_id = ? and product_id = ? and location = ? and quantity > ? returning 1`,
      [quantity, orderId, productId, location, quantity],
    );
    if (cut.length === 0)
      await connection(
        `delete from order_reservations where order_id = ? and product_id = ? and location = ?`,
        [orderId, productId, location],
      );
  }
}

/** Raised when stock locations and the totals disagree (a defect, never a shortage an order waits out). */
export class LocationsDisagreeError extends Error {}

/**
 * Stock on hand, reservations and the queue of orders waiting for stock. Every change locks the product rows
 * it touches (in id order, so concurrent orders cannot deadlock) and happens in one transaction, so stock
 * can never be oversold however many orders race for it; the database's check constraint backs this up.
 */
export class StockRepository {
  constructor(private readonly em: EntityManager) {}

  private async lockProducts(connection: Sql, productIds: string[]): Promise<Map<string, ProductRow>> {
    const rows = await connection<ProductRow[]>(
      `select id, stock_on_hand, reserved from products where id = any(?::uuid[]) order by id for update`,
      [uuidArray(productIds)],
    );
    return new Map(rows.map((row) => [row.id, row]));
  }

  private async move(
    connection: Sql,
    product: ProductRow,
    kind: 'adjustment' | 'reservation' | 'release' | 'fulfilment',
    deltaOnHand: number,
    deltaReserved: number,
    extra: { orderId?: string; reason?: string; actor?: Actor } = {},
  ): Promise<void> {
    product.stock_on_hand += deltaOnHand;
    product.reserved += deltaReserved;
    await connection(`update products set stock_on_hand = ?, reserved = ?, updated_at = now() where id = ?`, [
      product.stock_on_hand,
      product.reserved,
      product.id,
    ]);
    await connection(
      `insert into stock_movements (product_id, kind, delta_on_hand, delta_reserved, stock_on_hand, reserved, reason, order_id, actor)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)`,
      [
        product.id,
        kind,
        deltaOnHand,
        deltaReserved,
        product.stock_on_hand,
        product.reserved,
        extra.reason ?? null,
        extra.orderId ?? null,
        extra.actor ? JSON.stringify({ id: extra.actor.id, username: extra.actor.username }) : null,
      ],
    );
  }

  private shortages(
    lines: StockLine[],
    products: Map<string, ProductRow>,
    already = new Map<string, number>(),
  ) {
    return lines.flatMap((line) => {
      const product = products.get(line.productId);
      const available = product
        ? product.stock_on_hand - product.reserved + (already.get(line.productId) ?? 0)
        : 0;
      return available >= line.quantity ? [] : [{ sku: line.sku, requested: line.quantity, available }];
    });
  }

  /**
   * Reserves every line of the order, or nothing. An order that cannot be served now, or that has earlier
   * orders queued for one of its products, joins the queue; a later call succeeds once it is its turn and
   * stock is there. Calling it again for a reserved order changes nothing.
   */
  async reserve(orderId: string, lines: StockLine[], since: string): Promise<ReservationResult> {
    return this.em.transactional(async (em) => {
      const connection = sqlOf(em);
      const products = await this.lockProducts(
        connection,
        lines.map((line) => line.productId),
      );
      const existing = await connection(`select 1 from order_reservations where order_id = ? limit 1`, [
        orderId,
      ]);
      if (existing.length > 0) return { ok: true, next: [] } as const;

      const earlier = await connection(
        `select 1 from stock_waits
          where product_id = any(?::uuid[]) and order_id <> ? and (since, order_id) < (?::timestamptz, ?::uuid)
          limit 1`,
        [uuidArray(lines.map((line) => line.productId)), orderId, since, orderId],
      );
      const shortages = this.shortages(lines, products);
      if (earlier.length > 0 || shortages.length > 0) {
        for (const line of lines) {
          await connection(
            `insert into stock_waits (order_id, product_id, quantity, since) values (?, ?, ?, ?)
             on conflict (order_id, product_id) do update set quantity = excluded.quantity`,
            [orderId, line.productId, line.quantity, since],
          );
        }
        return { ok: false, shortages, queued: earlier.length > 0 } as const;
      }
      // Held where the units are: one location with all of them when there is one, else line by line in
      // the order of preference.
      const placed = placeOrder(
        lines,
        freeOf(
          await placeLevels(
            connection,
            lines.map((line) => line.productId),
          ),
        ),
      );
      if (!placed)
        throw new LocationsDisagreeError(`the stock locations do not hold order ${orderId}'s units`);
      for (const line of lines) {
        await this.move(connection, products.get(line.productId)!, 'reservation', 0, line.quantity, {
          orderId,
        });
        await hold(connection, orderId, line.productId, placed.get(line.productId) ?? []);
      }
      await connection(`delete from stock_waits where order_id = ?`, [orderId]);
      return {
        ok: true,
        next: await this.headsOfQueue(
          connection,
          lines.map((line) => line.productId),
        ),
      } as const;
    });
  }

  /**
   * Reserves what is available now of each line (an `allowPartial` order), on top of what the order already
   * holds; `lines` are what the order still needs in all, shipped units left out. First come first served per
   * product: a line whose product has earlier orders queued takes nothing and queues; a line that cannot get
   * all it needs takes what there is and queues for the rest. The products are locked in id order as in
   * `reserve`, so concurrent orders cannot take the same units. Answers what the order holds of each line
   * now, what is still missing of each line (`requested`) and what is left free of it (`available`, 0 unless
   * earlier orders wait for it), and the orders now first in line for products this order stopped waiting for.
   */
  async reserveAvailable(orderId: string, lines: StockLine[], since: string): Promise<PartialReservation> {
    return this.em.transactional(async (em) => {
      const connection = sqlOf(em);
      const productIds = lines.map((line) => line.productId);
      const products = await this.lockProducts(connection, productIds);
      const held = new Map([...(await heldBy(connection, orderId))].map(([id, places]) => [id, sum(places)]));
      const free = freeOf(await placeLevels(connection, productIds));
      const queuedBefore = new Set(
        (
          await connection<{ product_id: string }[]>(
            `select distinct product_id from stock_waits
              where product_id = any(?::uuid[]) and order_id <> ? and (since, order_id) < (?::timestamptz, ?::uuid)`,
            [uuidArray(productIds), orderId, since, orderId],
          )
        ).map((row) => row.product_id),
      );
      const answer: PartialReservation = { held: [], shortages: [], next: [] };
      const servedNow: string[] = [];
      for (const line of lines) {
        const product = products.get(line.productId);
        const has = held.get(line.productId) ?? 0;
        const need = line.quantity - has;
        const available = product ? Math.max(0, product.stock_on_hand - product.reserved) : 0;
        const take =
          product && !queuedBefore.has(line.productId) ? Math.min(Math.max(need, 0), available) : 0;
        if (take > 0) {
          const takes = takeFrom(free.get(line.productId) ?? [], take);
          if (sum(takes) < take)
            throw new LocationsDisagreeError(
              `the stock locations do not hold ${take} free units of ${line.sku}`,
            );
          await this.move(connection, product!, 'reservation', 0, take, { orderId });
          await hold(connection, orderId, line.productId, takes);
        }
        answer.held.push({ sku: line.sku, quantity: has + take });
        if (need - take > 0) {
          answer.shortages.push({ sku: line.sku, requested: need - take, available: available - take });
          await connection(
            `insert into stock_waits (order_id, product_id, quantity, since) values (?, ?, ?, ?)
             on conflict (order_id, product_id) do update set quantity = excluded.quantity`,
            [orderId, line.productId, need - take, since],
          );
        } else {
          const left = await connection(
            `delete from stock_waits where order_id = ? and product_id = ? returning 1`,
            [orderId, line.productId],
          );
          if (left.length > 0) servedNow.push(line.productId);
        }
      }
      if (servedNow.length > 0) answer.next = await this.headsOfQueue(connection, servedNow);
      return answer;
    });
  }

  /**
   * An `allowPartial` order's lines were edited: what it holds of each product is cut to the new line's
   * quantity (a product no longer ordered is given back entirely), and it leaves the queue for products it no
   * longer orders; what it keeps stays held, so an edit never loses units to another order. The next
   * `reserveAvailable` tops it up. Answers the orders waiting for the units given back, to be woken.
   */
  async trimReservation(orderId: string, lines: StockLine[]): Promise<string[]> {
    return this.em.transactional(async (em) => {
      const connection = sqlOf(em);
      const wanted = new Map(lines.map((line) => [line.productId, line.quantity]));
      const products = await this.lockProducts(connection, [...(await heldBy(connection, orderId)).keys()]);
      const held = await heldBy(connection, orderId);
      const released: string[] = [];
      for (const [productId, places] of held) {
        const has = sum(places);
        const keep = Math.min(has, wanted.get(productId) ?? 0);
        if (keep === has) continue;
        await this.move(connection, products.get(productId)!, 'release', 0, keep - has, { orderId });
        // What the order keeps stays at its most preferred locations.
        await unhold(connection, orderId, productId, giveBack(places, has - keep));
        released.push(productId);
      }
      await connection(`delete from stock_waits where order_id = ? and not (product_id = any(?::uuid[]))`, [
        orderId,
        uuidArray(wanted.keys()),
      ]);
      return this.waitingFor(connection, released);
    });
  }

  /** The first order in line for each of these products. */
  private async headsOfQueue(connection: Sql, productIds: string[]): Promise<string[]> {
    const rows = await connection<{ order_id: string }[]>(
      `select distinct on (product_id) order_id from stock_waits
        where product_id = any(?::uuid[]) order by product_id, since, order_id`,
      [uuidArray(productIds)],
    );
    return [...new Set(rows.map((row) => row.order_id))];
  }

  /** Replaces the order's reservation with one for the new lines, all or nothing. */
  async adjust(orderId: string, lines: StockLine[]): Promise<ReservationResult> {
    return this.em.transactional(async (em) => {
      const connection = sqlOf(em);
      const productIds = [
        ...(await heldBy(connection, orderId)).keys(),
        ...lines.map((line) => line.productId),
      ];
      const products = await this.lockProducts(connection, productIds);
      const places = await heldBy(connection, orderId);
      const held = new Map([...places].map(([productId, at]) => [productId, sum(at)]));
      const shortages = this.shortages(lines, products, held);
      if (shortages.length > 0) return { ok: false, shortages, queued: false } as const;
      const free = freeOf(await placeLevels(connection, productIds));
      const wanted = new Map(lines.map((line) => [line.productId, line.quantity]));
      for (const productId of new Set([...held.keys(), ...wanted.keys()])) {
        const delta = (wanted.get(productId) ?? 0) - (held.get(productId) ?? 0);
        if (delta === 0) continue;
        // More is taken where it is free, in order of preference; less is given back from the least
        // preferred locations the order holds it at.
        const moved =
          delta > 0 ? takeFrom(free.get(productId) ?? [], delta) : giveBack(places.get(productId)!, -delta);
        if (sum(moved) < Math.abs(delta))
          throw new LocationsDisagreeError(
            `the stock locations do not hold ${delta} free units of ${productId}`,
          );
        await this.move(
          connection,
          products.get(productId)!,
          delta > 0 ? 'reservation' : 'release',
          0,
          delta,
          { orderId },
        );
        if (delta > 0) await hold(connection, orderId, productId, moved);
        else await unhold(connection, orderId, productId, moved);
      }
      return { ok: true, next: [] } as const;
    });
  }

  /**
   * Gives back what the order reserved and takes it out of the stock queue. Idempotent. Returns the orders
   * now waiting for the released products, first in line first.
   */
  async release(orderId: string): Promise<string[]> {
    return this.closeReservation(orderId, 'release');
  }

  /** The reserved goods leave the warehouse: stock on hand and reserved both go down. Idempotent. */
  async fulfil(orderId: string): Promise<void> {
    await this.closeReservation(orderId, 'fulfilment');
  }

  /**
   * Part of the reserved goods leave `location` (one shipment): stock on hand and reserved go down by these
   * quantities, and the order's reservation with them: its units held at `location` first, then units it
   * holds elsewhere, which `location` must then have free of its own (those elsewhere are free again).
   * Runs in the caller's transaction; the shipment's row makes it happen once. Answers the SKUs whose
   * reservation does not hold the quantity (`notReserved`) and those `location` has too few free units of
   * (`notFree`); nothing is moved then, and the caller rolls back.
   */
  async fulfilPart(
    connection: Sql,
    orderId: string,
    lines: StockLine[],
    location: string,
  ): Promise<{ notReserved: string[]; notFree: string[] }> {
    const products = await this.lockProducts(
      connection,
      lines.map((line) => line.productId),
    );
    const held = await heldBy(connection, orderId, true);
    const levels = await placeLevels(
      connection,
      lines.map((line) => line.productId),
    );
    const answer = { notReserved: [] as string[], notFree: [] as string[] };
    const takes = new Map<string, Placed[]>();
    for (const line of lines) {
      const take = takeForShipment(held.get(line.productId) ?? [], location, line.quantity);
      if (!take) {
        answer.notReserved.push(line.sku);
        continue;
      }
      const there = levels.get(line.productId)?.find((level) => level.location === location);
      if (take.fromElsewhere > 0 && (!there || there.onHand - there.reserved < take.fromElsewhere))
        answer.notFree.push(line.sku);
      takes.set(line.productId, take.taken);
    }
    if (answer.notReserved.length > 0 || answer.notFree.length > 0) return answer;
    for (const line of lines) {
      await this.move(
        connection,
        products.get(line.productId)!,
        'fulfilment',
        -line.quantity,
        -line.quantity,
        {
          orderId,
        },
      );
      await unhold(connection, orderId, line.productId, takes.get(line.productId)!);
    }
    return answer;
  }

  private async closeReservation(orderId: string, kind: 'release' | 'fulfilment'): Promise<string[]> {
    return this.em.transactional(async (em) => {
      const connection = sqlOf(em);
      const products = await this.lockProducts(connection, [...(await heldBy(connection, orderId)).keys()]);
      const held = await heldBy(connection, orderId);
      for (const [productId, places] of held) {
        const quantity = sum(places);
        const onHand = kind === 'fulfilment' ? -quantity : 0;
        await this.move(connection, products.get(productId)!, kind, onHand, -quantity, { orderId });
        // Goods that leave go from where they were held (`MAIN`'s share is the totals' rest).
        if (kind === 'fulfilment')
          for (const place of places.filter((p) => p.location !== MAIN_LOCATION))
            await connection(
              `update location_stock set on_hand = on_hand - ? where product_id = ? and location = ?`,
              [place.quantity, productId, place.location],
            );
      }
      await connection(`delete from order_reservations where order_id = ?`, [orderId]);
      await connection(`delete from stock_waits where order_id = ?`, [orderId]);
      return kind === 'release' ? this.waitingFor(connection, [...held.keys()]) : [];
    });
  }

  /**
   * Units back on hand (a return's resellable units), inside the caller's transaction; the products are
   * locked in id order like every other change. Answers the orders queued for these products, to be woken.
   */
  async restock(
    connection: Sql,
    lines: { productId: string; quantity: number }[],
    extra: { orderId: string; reason: string; actor: Pick<Actor, 'id' | 'username'> },
  ): Promise<string[]> {
    const products = await this.lockProducts(
      connection,
      lines.map((line) => line.productId),
    );
    for (const line of lines) {
      const product = products.get(line.productId);
      if (!product) continue;
      await this.move(connection, product, 'adjustment', line.quantity, 0, {
        ...extra,
        actor: { ...extra.actor, roles: [] },
      });
    }
    return this.waitingFor(connection, [...products.keys()]);
  }

  /**
   * A restock or correction, recorded with who and why (and where, when a location is named). Refuses to go
   * below what is reserved.
   */
  async adjustOnHand(
    productId: string,
    delta: number,
    reason: string,
    actor: Actor,
    location?: string,
  ): Promise<StockLevel> {
    return this.em.transactional(async (em) => {
      const connection = sqlOf(em);
      const product = (await this.lockProducts(connection, [productId])).get(productId)!;
      const level = (p: ProductRow) => ({
        stockOnHand: p.stock_on_hand,
        reserved: p.reserved,
        available: p.stock_on_hand - p.reserved,
      });
      if (product.stock_on_hand + delta < product.reserved) throw new StockBelowReservedError(level(product));
      if (product.stock_on_hand + delta > MAX_STOCK_ON_HAND) throw new StockAboveLimitError(level(product));
      const before = level(product);
      await this.move(connection, product, 'adjustment', delta, 0, { reason, actor });
      await new AuditRepository(em).record({
        actor,
        action: 'product.stock_adjusted',
        entity: 'product',
        entityId: productId,
        before,
        after: { ...level(product), delta, reason, ...(location ? { location } : {}) },
      });
      return level(product);
    });
  }

  /** Orders queued for any of these products, oldest first. */
  async waitingFor(connection: Sql, productIds: string[]): Promise<string[]> {
    if (productIds.length === 0) return [];
    const rows = await connection<{ order_id: string }[]>(
      `select order_id from stock_waits where product_id = any(?::uuid[])
        group by order_id order by min(since), order_id`,
      [uuidArray(productIds)],
    );
    return rows.map((row) => row.order_id);
  }

  /** Orders queued for this product, oldest first. */
  async waitersFor(productId: string): Promise<string[]> {
    return this.waitingFor(sqlOf(this.em), [productId]);
  }
}
