import { Migration } from '@mikro-orm/migrations';

/** Stock reservations, the payment ledger, approval settings, credit limits and indexed order search. */
export class Migration20261126020000_pipeline extends Migration {
  override up(): void {
    this.addSql(`create extension if not exists pg_trgm;`);

    this.addSql(`alter table "customers" add column "credit_limit" bigint null check ("credit_limit" >= 0);`);

    // The workflow's whole snapshot, served as is; the columns beside it exist for filtering and reports.
    this.addSql(`alter table "orders" add column "snapshot" jsonb not null default '{}'::jsonb;`);
    this.addSql(`alter table "orders" alter column "snapshot" drop default;`);
    this.addSql(`alter table "orders" add column "awaiting_since" timestamptz null;`);
    this.addSql(`alter table "orders" drop column "approvals";`);
    this.addSql(`create index "orders_created_at_id_index" on "orders" ("created_at" desc, "id" desc);`);
    this.addSql(`create index "orders_number_trgm" on "orders" using gin ("number" gin_trgm_ops);`);
    this.addSql(`create index "orders_notes_trgm" on "orders" using gin ("notes" gin_trgm_ops);`);
    this.addSql(`create index "customers_name_trgm" on "customers" using gin ("name" gin_trgm_ops);`);
    this.addSql(`create index "customers_created_at_id_index" on "customers" ("created_at", "id");`);

    this.addSql(`create table "order_reservations" (
      "order_id" uuid not null,
      "product_id" uuid not null references "products" ("id"),
      "quantity" int not null check ("quantity" > 0),
      "created_at" timestamptz not null default now(),
      primary key ("order_id", "product_id"));`);

    // Orders waiting for stock, served first come first served per product.
    this.addSql(`create table "stock_waits" (
      "order_id" uuid not null,
      "product_id" uuid not null references "products" ("id"),
      "quantity" int not null check ("quantity" > 0),
      "since" timestamptz not null,
      primary key ("order_id", "product_id"));`);
    this.addSql(
      `create index "stock_waits_product_since_index" on "stock_waits" ("product_id", "since", "order_id");`,
    );

    this.addSql(`create table "stock_movements" (
      "id" bigserial primary key,
      "product_id" uuid not null references "products" ("id"),
      "kind" text not null check ("kind" in ('adjustment', 'reservation', 'release', 'fulfilment')),
      "delta_on_hand" int not null,
      "delta_reserved" int not null,
      "stock_on_hand" int not null,
      "reserved" int not null,
      "reason" text null,
      "order_id" uuid null,
      "actor" jsonb null,
      "created_at" timestamptz not null default now());`);
    this.addSql(
      `create index "stock_movements_product_index" on "stock_movements" ("product_id", "created_at");`,
    );

    // Append-only payment ledger; the idempotency key makes every gateway call safe to retry.
    this.addSql(`create table "payments" (
      "id" bigserial primary key,
      "order_id" uuid not null,
      "customer_id" uuid not null,
      "kind" text not null check ("kind" in ('authorization', 'capture', 'refund')),
      "status" text not null check ("status" in ('succeeded', 'failed')),
      "amount" bigint not null check ("amount" > 0),
      "currency" text not null,
      "reason" text null,
      "idempotency_key" text not null,
      "created_at" timestamptz not null default now(),
      unique ("idempotency_key", "kind"));`);
    this.addSql(`create index "payments_order_index" on "payments" ("order_id");`);
    this.addSql(`create index "payments_customer_index" on "payments" ("customer_id");`);

    this.addSql(`create table "approval_settings" (
      "version" serial primary key,
      "auto_approve_below" bigint not null check ("auto_approve_below" >= 0),
      "staff_approval_limit" bigint not null,
      "currency" text not null,
      "changed_by" jsonb not null,
      "changed_at" timestamptz not null default now(),
      check ("staff_approval_limit" >= "auto_approve_below"));`);
    this
      .addSql(`insert into "approval_settings" ("auto_approve_below", "staff_approval_limit", "currency", "changed_by")
      values (0, 1000000, 'CNY', '{"id": "system", "username": "system", "roles": []}');`);
  }

  override down(): void {
    this.addSql(`drop table if exists "approval_settings";`);
    this.addSql(`drop table if exists "payments";`);
    this.addSql(`drop table if exists "stock_movements";`);
    this.addSql(`drop table if exists "stock_waits";`);
    this.addSql(`drop table if exists "order_reservations";`);
    this.addSql(`drop index if exists "customers_created_at_id_index";`);
    this.addSql(`drop index if exists "customers_name_trgm";`);
    this.addSql(`drop index if exists "orders_notes_trgm";`);
    this.addSql(`drop index if exists "orders_number_trgm";`);
    this.addSql(`drop index if exists "orders_created_at_id_index";`);
    this.addSql(`alter table "orders" add column "approvals" jsonb not null default '[]'::jsonb;`);
    this.addSql(`alter table "orders" drop column "awaiting_since";`);
    this.addSql(`alter table "orders" drop column "snapshot";`);
    this.addSql(`alter table "customers" drop column "credit_limit";`);
  }
}
