import { Migration } from '@mikro-orm/migrations';

/**
 * Shipments: an order may leave in several parcels, each with its own carrier and tracking number and some
 * units of some lines. Written by the order workflow's activity in the same transaction as the stock its
 * units take, once per shipment id (the id is chosen before the step, so a repeated step inserts nothing).
 * No foreign key to `orders`: an order's row is written by its workflow and may be archived; its shipments
 * stay the record of what left the warehouse.
 */
export class Migration20261204500000_shipments extends Migration {
  override up(): void {
    this.addSql(`create table "order_shipments" (
      "id" uuid primary key,
      "order_id" uuid not null,
      "location" text not null default 'MAIN',
      "carrier" text not null,
      "tracking_number" text not null,
      "shipped_at" timestamptz not null,
      "shipped_by" jsonb not null,
      "created_at" timestamptz not null default now());`);
    this.addSql(
      `create index "order_shipments_order_index" on "order_shipments" ("order_id", "shipped_at");`,
    );
    this.addSql(`create table "order_shipment_lines" (
      "shipment_id" uuid not null references "order_shipments" ("id") on delete cascade,
      "position" int not null,
      "product_id" uuid not null references "products" ("id"),
      "sku" text not null,
      "quantity" int not null check ("quantity" > 0),
      primary key ("shipment_id", "position"));`);
  }

  override down(): void {
    this.addSql(`drop table if exists "order_shipment_lines";`);
    this.addSql(`drop table if exists "order_shipments";`);
  }
}
