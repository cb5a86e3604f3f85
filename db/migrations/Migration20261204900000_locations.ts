import { Migration } from '@mikro-orm/migrations';

/**
 * Stock locations (warehouses), `MAIN` first. A product's totals on `products` stay what they were; the
 * units held at each location other than `MAIN` are rows of `location_stock`, and `MAIN` holds the rest
 * (its total minus the others). So every path that moved stock before (a restock without a location, a
 * product created with stock, a shipment from `MAIN`) keeps moving `MAIN`'s stock without knowing of
 * locations, and the totals never disagree with the locations.
 */
export class Migration20261204900000_locations extends Migration {
  override up(): void {
    this.addSql(`create table "stock_locations" (
      "code" text primary key,
      "name" text not null,
      "created_at" timestamptz not null default now());`);
    this.addSql(`insert into "stock_locations" ("code", "name") values ('MAIN', 'Main warehouse');`);
    this.addSql(`create table "location_stock" (
      "product_id" uuid not null references "products" ("id"),
      "location" text not null references "stock_locations" ("code"),
      "on_hand" int not null check ("on_hand" >= 0),
      primary key ("product_id", "location"),
      check ("location" <> 'MAIN'));`);
  }

  override down(): void {
    this.addSql(`drop table if exists "location_stock";`);
    this.addSql(`drop table if exists "stock_locations";`);
  }
}
