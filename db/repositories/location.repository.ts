import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../../domain/order';
import { MAIN_LOCATION, type LocationHoldings } from '../../domain/shipment.rules';
import { AuditRepository } from './audit.repository';
import { sqlOf, type Sql } from './sql';
import { StockRepository, heldBy, placeLevels, type PlaceLevel, type StockLevel } from './stock.repository';

export interface StockLocation {
  code: string;
  name: string;
  createdAt: string;
}

/** One product's stock at one location. */
export interface LocationLevel {
  location: string;
  onHand: number;
  reserved: number;
  available: number;
}

/** A location code that is taken. */
export class DuplicateLocationError extends Error {}

/** A move or a shipment would take more units from a location than it holds. */
export class LocationShortError extends Error {
  constructor(
    readonly location: string,
    readonly skus: string[],
  ) {
    super(`${location} does not hold the units of ${skus.join(', ')}`);
  }
}

/** A correction would take a location's stock below what orders hold reserved there. */
export class LocationBelowReservedError extends Error {
  constructor(
    readonly location: string,
    readonly reserved: number,
  ) {
    super(`stock on hand at ${location} cannot go below the ${reserved} units reserved there by orders`);
  }
}

/**
 * Stock locations and the units each holds. `MAIN` holds a product's total minus what the other locations
 * hold (see the migration), so every path that moves stock without naming a location moves `MAIN`'s.
 * Reservations are held at locations (`order_reservations.location`, see `StockRepository`): a location's
 * `reserved` is what orders hold there, never more than it has on hand.
 */
export class LocationRepository {
  constructor(private readonly em: EntityManager) {}

  async list(): Promise<StockLocation[]> {
    const rows = await sqlOf(this.em)<{ code: string; name: string; created_at: Date | string }[]>(
      `select code, name, created_at from stock_locations order by preference, code`,
    );
    return rows.map((row) => ({ code: row.code, name: row.name, createdAt: isoTime(row.created_at) }));
  }

  async exists(code: string): Promise<boolean> {
    const rows = await sqlOf(this.em)(`select 1 from stock_locations where code = ?`, [code]);
    return rows.length > 0;
  }

  async create(code: string, name: string, actor: Actor): Promise<StockLocation> {
    return this.em.transactional(async (em) => {
      const [row] = await sqlOf(em)<{ created_at: Date | string }[]>(
        `insert into stock_locations (code, name, preference)
         values (?, ?, (select coalesce(max(preference), -1) + 1 from stock_locations))
         on conflict (code) do nothing returning created_at`,
        [code, name],
      );
      if (!row) throw new DuplicateLocationError(`location ${code} exists`);
      await new AuditRepository(em).record({
        actor,
        action: 'location.created',
        entity: 'location',
        entityId: code,
        before: null,
        after: { code, name },
      });
      return { code, name, createdAt: isoTime(row.created_at) };
    });
  }

  /**
   * Replaces the order of preference (every location's code, once, most preferred first) and records before
   * and after in the audit log. False when `codes` are not exactly the locations there are.
   */
  async setPreference(codes: string[], actor: Actor): Promise<boolean> {
    return this.em.transactional(async (em) => {
      const connection = sqlOf(em);
      const rows = await connection<{ code: string }[]>(
        `select code from stock_locations order by preference, code for update`,
      );
      const before = rows.map((row) => row.code);
      if (codes.length !== before.length || [...codes].sort().join('\n') !== [...before].sort().join('\n'))
        return false;
      for (const [position, code] of codes.entries()) {
        await connection(`update stock_locations set preference = ? where code = ?`, [position, code]);
      }
      await new AuditRepository(em).record({
        actor,
        action: 'settings.locations_changed',
        entity: 'settings',
        entityId: 'locations',
        before: { preference: before },
        after: { preference: codes },
      });
      return true;
    });
  }

  /** The product's stock per location in the order of preference, every location listed (none held: zeros). */
  async levels(productId: string): Promise<LocationLevel[]> {
    const levels = (await placeLevels(sqlOf(this.em), [productId])).get(productId) ?? [];
    return levels.map(({ location, onHand, reserved }) => ({
      location,
      onHand,
      reserved,
      available: onHand - reserved,
    }));
  }

  /** What each location holds of these products, in the order of preference. */
  async holdings(productIds: string[]): Promise<LocationHoldings> {
    return holdingsOf(await placeLevels(sqlOf(this.em), productIds), (_, level) => level.onHand);
  }

  /** Where the order's reserved units sit, per location in the order of preference. */
  async heldFor(orderId: string): Promise<LocationHoldings> {
    const places = new Map<string, Map<string, number>>();
    for (const location of (await this.list()).map((place) => place.code)) places.set(location, new Map());
    for (const [productId, held] of await heldBy(sqlOf(this.em), orderId)) {
      for (const { location, quantity } of held) places.get(location)?.set(productId, quantity);
    }
    return [...places].map(([location, onHand]) => ({ location, onHand }));
  }

  /**
   * What each location could send of these products for the order, in the order of preference: the units
   * the order holds there and those free there (a shipment from a location takes the order's own first,
   * then free ones, giving back as many it holds elsewhere).
   */
  async servable(orderId: string, productIds: string[]): Promise<LocationHoldings> {
    const connection = sqlOf(this.em);
    const held = await heldBy(connection, orderId);
    return holdingsOf(
      await placeLevels(connection, productIds),
      (productId, { location, onHand, reserved }) => {
        const own = held.get(productId)?.find((place) => place.location === location)?.quantity ?? 0;
        return own + Math.max(0, onHand - reserved);
      },
    );
  }

  /**
   * A restock or correction at one location: the product's totals move with it (and refuse, as before, to
   * fall below what is reserved), and the location may not fall below zero.
   */
  async adjustAt(
    productId: string,
    location: string,
    delta: number,
    reason: string,
    actor: Actor,
  ): Promise<StockLevel> {
    return this.em.transactional(async (em) => {
      // The product's row is locked first (by the totals' move), then the location's: as a shipment does.
      const level = await new StockRepository(em).adjustOnHand(productId, delta, reason, actor, location);
      const connection = sqlOf(em);
      if (location !== MAIN_LOCATION) {
        await connection(
          `insert into location_stock (product_id, location, on_hand) values (?, ?, 0)
           on conflict (product_id, location) do nothing`,
          [productId, location],
        );
        const [row] = await connection<{ on_hand: number }[]>(
          `update location_stock set on_hand = on_hand + ? where product_id = ? and location = ?
           and on_hand + ? >= 0 returning on_hand`,
          [delta, productId, location, delta],
        );
        if (!row) throw new LocationShortError(location, [productId]);
      }
      await mainHoldsItsOwn(connection, [productId]);
      // Units orders hold reserved at the location stay there: a correction may not take them.
      const there = (await placeLevels(connection, [productId]))
        .get(productId)
        ?.find((l) => l.location === location);
      if (there && there.onHand < there.reserved)
        throw new LocationBelowReservedError(location, there.reserved);
      return level;
    });
  }

  /**
   * A shipment's units leave `location` (inside the shipment's transaction, after the totals moved): taken
   * from that location's row, or, from `MAIN`, checked to have been there.
   */
  static async ship(
    connection: Sql,
    location: string,
    lines: { productId: string; sku: string; quantity: number }[],
  ) {
    if (location !== MAIN_LOCATION) {
      const short: string[] = [];
      for (const line of lines) {
        const taken = await connection(
          `update location_stock set on_hand = on_hand - ? where product_id = ? and location = ?
           and on_hand >= ? returning 1`,
          [line.quantity, line.productId, location, line.quantity],
        );
        if (taken.length === 0) short.push(line.sku);
      }
      if (short.length > 0) throw new LocationShortError(location, short);
    }
    await mainHoldsItsOwn(
      connection,
      lines.map((line) => line.productId),
    );
  }

  /**
   * Units come back into `location` (inside the caller's transaction, after the product's totals grew by
   * them): counted at that location instead of `MAIN`.
   */
  static async receive(
    connection: Sql,
    location: string,
    lines: { productId: string; quantity: number }[],
  ): Promise<void> {
    if (location === MAIN_LOCATION) return;
    for (const line of lines) {
      await connection(
        `insert into location_stock (product_id, location, on_hand) values (?, ?, ?)
         on conflict (product_id, location) do update set on_hand = location_stock.on_hand + excluded.on_hand`,
        [line.productId, location, line.quantity],
      );
    }
  }

  /**
   * SKUs of these lines that `location` cannot send for the order now: it holds fewer of the order's units
   * and free ones together (the API's early answer).
   */
  async shortAt(
    orderId: string,
    location: string,
    lines: { productId: string; sku: string; quantity: number }[],
  ): Promise<string[]> {
    const place = (
      await this.servable(
        orderId,
        lines.map((line) => line.productId),
      )
    ).find((p) => p.location === location);
    return lines.filter((line) => (place?.onHand.get(line.productId) ?? 0) < line.quantity).map((l) => l.sku);
  }
}

/** Units per location and product, in the order of preference, as `units` counts them at each level. */
function holdingsOf(
  levels: Map<string, PlaceLevel[]>,
  units: (productId: string, level: PlaceLevel) => number,
): LocationHoldings {
  const places = new Map<string, Map<string, number>>();
  for (const [productId, list] of levels) {
    for (const level of list) {
      const at = places.get(level.location) ?? new Map<string, number>();
      at.set(productId, units(productId, level));
      places.set(level.location, at);
    }
  }
  return [...places].map(([location, onHand]) => ({ location, onHand }));
}

/** A timestamp as the driver gives it (a raw query may answer a string) in ISO form. */
function isoTime(at: Date | string): string {
  return new Date(at).toISOString();
}

/** `MAIN` holds the total minus the other locations: that may not fall below zero. */
async function mainHoldsItsOwn(connection: Sql, productIds: string[]): Promise<void> {
  const rows = await connection<{ sku: string }[]>(
    `select p.sku from products p
       join (select product_id, sum(on_hand)::int as held from location_stock group by product_id) s
         on s.product_id = p.id
      where p.id = any(?::uuid[]) and p.stock_on_hand < s.held`,
    [`{${productIds.join(',')}}`],
  );
  if (rows.length > 0)
    throw new LocationShortError(
      MAIN_LOCATION,
      rows.map((row) => row.sku),
    );
}
