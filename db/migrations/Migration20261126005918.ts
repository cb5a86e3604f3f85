import { Migration } from '@mikro-orm/migrations';

export class Migration20261126005918 extends Migration {
  override up(): void {
    this.addSql(
      `create table "customers" ("id" uuid not null, "name" text not null, "email" text not null, "phone" text null, "address" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "customers_pkey" primary key ("id"));`,
    );

    this.addSql(
      `create table "orders" ("id" uuid not null, "number" text not null, "customer_id" uuid not null, "status" text not null, "awaiting" text null, "currency" text not null, "total" bigint not null, "notes" text null, "approvals" jsonb not null, "carrier" text null, "tracking_number" text null, "shipped_at" timestamptz null, "completed_at" timestamptz null, "version" int not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "orders_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "orders" add constraint "orders_number_unique" unique ("number");`);
    this.addSql(`create index "orders_customer_id_index" on "orders" ("customer_id");`);
    this.addSql(`create index "orders_status_index" on "orders" ("status");`);

    this.addSql(
      `create table "order_lines" ("order_id" uuid not null, "position" int not null, "product_id" uuid not null, "sku" text not null, "name" text not null, "quantity" int not null, "unit_price" int not null, "line_total" bigint not null, constraint "order_lines_pkey" primary key ("order_id", "position"));`,
    );

    this.addSql(
      `create table "products" ("id" uuid not null, "sku" text not null, "name" text not null, "unit_price" int not null, "currency" text not null, "stock_on_hand" int not null, "reserved" int not null default 0, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "products_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "products" add constraint "products_sku_unique" unique ("sku");`);

    this.addSql(
      `alter table "orders" add constraint "orders_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "order_lines" add constraint "order_lines_order_id_foreign" foreign key ("order_id") references "orders" ("id") on update cascade on delete cascade;`,
    );

    // Invariants the database keeps even if code is wrong.
    this.addSql(
      `alter table "products" add constraint "products_stock_check" check ("reserved" >= 0 and "stock_on_hand" >= "reserved");`,
    );
    this.addSql(
      `alter table "products" add constraint "products_unit_price_check" check ("unit_price" >= 0);`,
    );
    this.addSql(
      `alter table "order_lines" add constraint "order_lines_quantity_check" check ("quantity" > 0);`,
    );
    // Human-friendly order numbers (SO-2026-000123); gaps are possible when a creation fails, duplicates are not.
    this.addSql(`create sequence "order_number_seq";`);
  }

  override down(): void {
    this.addSql(`drop sequence if exists "order_number_seq";`);

    this.addSql(`alter table "orders" drop constraint "orders_customer_id_foreign";`);

    this.addSql(`alter table "order_lines" drop constraint "order_lines_order_id_foreign";`);

    this.addSql(`drop table if exists "customers" cascade;`);

    this.addSql(`drop table if exists "orders" cascade;`);

    this.addSql(`drop table if exists "order_lines" cascade;`);

    this.addSql(`drop table if exists "products" cascade;`);
  }
}
