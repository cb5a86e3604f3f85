import type { MikroORM } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { databaseBefore, type MigrationDatabase } from './support/migration-db';

const BEFORE = 'Migration20261206051500_shipping_reports';
const AT_LOCATIONS = 'Migration20261207010000_reservations_at_locations';

/**
 * The move to reservations held at locations (issue 24) places the reservations there were as the locations
 * showed them before: against the locations in the order of preference, oldest reservation first, up to
 * what each holds. Run on a database of its own, migrated to the step before, with rows in the old shape.
 */
describe('the migration to reservations held at locations', () => {
  let database: MigrationDatabase;
  let orm: MikroORM;
  let sql: Client;

  beforeAll(async () => {
    database = await databaseBefore('oms_reservation_migration', BEFORE);
    ({ orm, sql } = database);
  });

  afterAll(() => database?.close());

  const product = async (sku: string, onHand: number, reserved: number) => {
    const id = randomUUID();
    await sql.query(
      `insert into products (id, sku, name, unit_price, currency, stock_on_hand, reserved, created_at, updated_at)
       values ($1, $2, $2, 100, 'CNY', $3, $4, now(), now())`,
      [id, sku, onHand, reserved],
    );
    return id;
  };
  const reserve = (orderId: string, productId: string, quantity: number, minutesAgo: number) =>
    sql.query(
      `insert into order_reservations (order_id, product_id, quantity, created_at)
       values ($1, $2, $3, now() - make_interval(mins => $4))`,
      [orderId, productId, quantity, minutesAgo],
    );
  const held = async () =>
    (
      await sql.query<{ order_id: string; product_id: string; location: string; quantity: number }>(
        `select order_id, product_id, location, quantity from order_reservations
          order by product_id, order_id, location`,
      )
    ).rows;

  it('places each reservation at the locations in order of preference, oldest first, and back again', async () => {
    await sql.query(`insert into stock_locations (code, name, preference) values ('EAST', 'East', 1)`);
    // Tea: 10 in all, 2 of them at EAST (so MAIN holds 8); 3 reserved by the older order, 7 by the newer.
    const tea = await product('TEA', 10, 10);
    await sql.query(`insert into location_stock (product_id, location, on_hand) values ($1, 'EAST', 2)`, [
      tea,
    ]);
    // Cups: 5, all at MAIN, 1 reserved.
    const cups = await product('CUP', 5, 1);
    const [older, newer] = [randomUUID(), randomUUID()];
    await reserve(older, tea, 3, 60);
    await reserve(newer, tea, 7, 30);
    await reserve(older, cups, 1, 60);

    await orm.migrator.up({ to: AT_LOCATIONS });
    const rows = await held();
    const of = (orderId: string, productId: string) =>
      rows
        .filter((row) => row.order_id === orderId && row.product_id === productId)
        .map(({ location, quantity }) => [location, quantity]);
    expect(of(older, tea)).toEqual([['MAIN', 3]]);
    // MAIN's other 5, then EAST's 2: as the locations showed it before (MAIN 8 reserved, EAST 2).
    expect(of(newer, tea).sort()).toEqual([
      ['EAST', 2],
      ['MAIN', 5],
    ]);
    expect(of(older, cups)).toEqual([['MAIN', 1]]);
    expect(rows).toHaveLength(4);

    // Back down: one row per order and product again, the same units.
    await orm.migrator.down({ to: BEFORE });
    const back = (
      await sql.query<{ order_id: string; product_id: string; quantity: number }>(
        `select order_id, product_id, quantity from order_reservations order by product_id, order_id`,
      )
    ).rows;
    expect(back).toHaveLength(3);
    expect(back.find((row) => row.order_id === newer && row.product_id === tea)?.quantity).toBe(7);
  });
});
