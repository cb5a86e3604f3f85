import { Migration } from '@mikro-orm/migrations';

/**
 * Returns (issue 25). A return's row is written by the API when it is requested, in the transaction that
 * locks its order's row, so two returns racing for the same units cannot both pass the check; later its
 * workflow moves it on. Its events feed the order's history; credit notes are numbered gap-free per year
 * like invoices. No foreign key to `orders`: a return outlives the order's row when the order is archived.
 */
export class Migration20261204600000_returns extends Migration {
  override up(): void {
    this.addSql(`create table "return_settings" (
      "id" int primary key check ("id" = 1),
      "window_days" int not null check ("window_days" between 0 and 3650),
      "customer_may_request" boolean not null,
      "updated_at" timestamptz not null default now());`);
    this.addSql(
      `insert into "return_settings" ("id", "window_days", "customer_may_request") values (1, 30, false);`,
    );
    this.addSql(`create sequence "return_number_seq";`);
    this.addSql(`create table "order_returns" (
      "id" uuid primary key,
      "number" text not null unique,
      "order_id" uuid not null,
      "status" text not null,
      "resolution" text not null,
      "snapshot" jsonb not null,
      "version" int not null,
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null);`);
    this.addSql(`create index "order_returns_order_index" on "order_returns" ("order_id", "created_at");`);
    this.addSql(`create index "order_returns_status_index" on "order_returns" ("status", "created_at");`);
    this.addSql(`create table "order_return_lines" (
      "return_id" uuid not null references "order_returns" ("id") on delete cascade,
      "position" int not null,
      "product_id" uuid not null references "products" ("id"),
      "sku" text not null,
      "quantity" int not null check ("quantity" > 0),
      "unit_price" bigint not null,
      primary key ("return_id", "position"));`);
    this.addSql(`create table "order_return_events" (
      "return_id" uuid not null references "order_returns" ("id") on delete cascade,
      "version" int not null,
      "order_id" uuid not null,
      "kind" text not null,
      "actor" jsonb not null,
      "at" timestamptz not null,
      "details" jsonb not null,
      primary key ("return_id", "version"));`);
    this.addSql(
      `create index "order_return_events_order_index" on "order_return_events" ("order_id", "at");`,
    );
    this.addSql(`create table "return_receipts" (
      "return_id" uuid primary key references "order_returns" ("id") on delete cascade,
      "lines" jsonb not null,
      "received_at" timestamptz not null,
      "received_by" jsonb not null);`);
    this.addSql(`create table "credit_note_counters" ("year" int primary key, "last" int not null);`);
    this.addSql(`create table "credit_notes" (
      "return_id" uuid primary key references "order_returns" ("id"),
      "order_id" uuid not null,
      "number" text not null unique,
      "amount" bigint not null check ("amount" > 0),
      "currency" text not null,
      "issued_at" timestamptz not null,
      "seller" jsonb not null,
      "tax_rate_bp" int not null);`);
  }

  override down(): void {
    this.addSql(`drop table if exists "credit_notes";`);
    this.addSql(`drop table if exists "credit_note_counters";`);
    this.addSql(`drop table if exists "return_receipts";`);
    this.addSql(`drop table if exists "order_return_events";`);
    this.addSql(`drop table if exists "order_return_lines";`);
    this.addSql(`drop table if exists "order_returns";`);
    this.addSql(`drop sequence if exists "return_number_seq";`);
    this.addSql(`drop table if exists "return_settings";`);
  }
}
