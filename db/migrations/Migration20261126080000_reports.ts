import { Migration } from '@mikro-orm/migrations';

/**
 * Reports, invoices and feedback: the stage transitions the workflow records, escalation breaches, the
 * quarter-hour sales summary, per-order payment totals and line columns for fast reports, seller settings
 * with the gap-free invoice sequence, and feedback.
 */
export class Migration20261126080000_reports extends Migration {
  override up(): void {
    // Net payment figures per order, from the payments ledger, kept by the mirror write; `items` is the
    // order's total quantity. They let the customer report read one index instead of the ledger.
    this.addSql(`alter table "orders"
      add column "captured" bigint not null default 0,
      add column "refunded" bigint not null default 0,
      add column "items" int not null default 0;`);
    // Lines repeat their order's placing time, currency and outcome (rewritten with every mirror write
    // anyway), so the product report is one index range scan.
    this.addSql(`alter table "order_lines"
      add column "created_at" timestamptz null,
      add column "currency" text null,
      add column "active" boolean not null default true;`);
    this.addSql(`update "order_lines" l set "created_at" = o."created_at", "currency" = o."currency",
      "active" = o."status" not in ('cancelled', 'rejected') from "orders" o where o."id" = l."order_id";`);
    this.addSql(
      `alter table "order_lines" alter column "created_at" set not null, alter column "currency" set not null;`,
    );
    this.addSql(`create index "order_lines_report_index" on "order_lines" ("created_at")
      include ("product_id", "currency", "quantity", "line_total") where "active";`);
    this.addSql(`create index "orders_report_index" on "orders" ("created_at")
      include ("customer_id", "currency", "status", "captured", "refunded", "items");`);
    // Each customer's orders newest first: the customer filter of the list and the customer-name search.
    this.addSql(
      `create index "orders_customer_created_index" on "orders" ("customer_id", "created_at" desc, "id" desc);`,
    );
    this.addSql(`drop index "orders_customer_id_index";`);
    this
      .addSql(`create index "orders_open_since_index" on "orders" ((coalesce("awaiting_since", "updated_at")))
      where "status" in ('created', 'processing', 'shipped');`);
    // One row per change of status or awaiting, keyed by the snapshot version that made it, with the
    // workflow's own timestamps; `left_at` is set when the next one arrives.
    this.addSql(`create table "order_transitions" (
      "order_id" uuid not null references "orders" ("id") on delete cascade,
      "version" int not null,
      "status" text not null,
      "awaiting" text null,
      "stage" text not null,
      "entered_at" timestamptz not null,
      "left_at" timestamptz null,
      primary key ("order_id", "version"));`);
    this.addSql(`create index "order_transitions_left_index" on "order_transitions" ("left_at")
      include ("stage", "entered_at") where "left_at" is not null;`);
    // Every escalation level an order's wait reached, once.
    this.addSql(`create table "escalation_breaches" (
      "order_id" uuid not null references "orders" ("id") on delete cascade,
      "stage" text not null,
      "since" timestamptz not null,
      "level" int not null check ("level" > 0),
      "at" timestamptz not null,
      primary key ("order_id", "stage", "since", "level"));`);
    this.addSql(
      `create index "escalation_breaches_at_index" on "escalation_breaches" ("at") include ("stage", "level");`,
    );
    // Orders placed per quarter hour (UTC-aligned, so every real time zone's days, weeks and months are
    // whole sums of buckets), currency and outcome, kept by the mirror write.
    this.addSql(`create table "sales_buckets" (
      "bucket" timestamptz not null,
      "currency" text not null,
      "outcome" text not null check ("outcome" in ('active', 'cancelled', 'rejected')),
      "orders" int not null,
      "paid_orders" int not null,
      "captured" bigint not null,
      "refunded" bigint not null,
      primary key ("bucket", "currency", "outcome"));`);
    this.addSql(`insert into "sales_buckets"
      select date_bin('15 minutes', "created_at", timestamptz '2000-01-01 00:00:00+00'), "currency",
        case when "status" in ('cancelled', 'rejected') then "status" else 'active' end,
        count(*), count(*) filter (where "captured" > "refunded"), sum("captured"), sum("refunded")
      from "orders" group by 1, 2, 3 order by 1, 2, 3;`);
    // How many orders are in each status now, moved by the mirror write when an order's status changes.
    this.addSql(`create table "order_status_counts" ("status" text primary key, "count" bigint not null);`);
    this.addSql(
      `insert into "order_status_counts" select "status", count(*) from "orders" group by "status";`,
    );
    // Seller details and tax rate printed on invoices; versioned like the other settings.
    this.addSql(`create table "seller_settings" (
      "id" int primary key check ("id" = 1),
      "name" text not null,
      "address" text not null,
      "tax_id" text not null,
      "phone" text null,
      "email" text null,
      "tax_rate_bp" int not null check ("tax_rate_bp" between 0 and 10000),
      "updated_at" timestamptz not null default now());`);
    this.addSql(`insert into "seller_settings" ("id", "name", "address", "tax_id", "tax_rate_bp")
      values (1, 'Order Management Co.', '—', '—', 1300);`);
    // Gap-free invoice numbers: a counter row locked in the transaction that records the invoice.
    this.addSql(`create table "invoice_counters" ("year" int primary key, "last" int not null);`);
    this.addSql(`create table "invoices" (
      "order_id" uuid primary key references "orders" ("id"),
      "number" text not null unique,
      "issued_at" timestamptz not null default now(),
      "seller" jsonb not null,
      "tax_rate_bp" int not null);`);
    this.addSql(`create table "feedback" (
      "id" uuid primary key default gen_random_uuid(),
      "author" jsonb not null,
      "message" text not null,
      "rating" int null check ("rating" between 1 and 5),
      "order_id" uuid null references "orders" ("id"),
      "created_at" timestamptz not null default now(),
      "handled_at" timestamptz null,
      "handled_by" jsonb null);`);
    this.addSql(`create index "feedback_created_index" on "feedback" ("created_at" desc, "id" desc);`);
  }

  override down(): void {
    this.addSql(`drop table if exists "feedback";`);
    this.addSql(`drop table if exists "invoices";`);
    this.addSql(`drop table if exists "invoice_counters";`);
    this.addSql(`drop table if exists "seller_settings";`);
    this.addSql(`drop table if exists "order_status_counts";`);
    this.addSql(`drop table if exists "sales_buckets";`);
    this.addSql(`drop table if exists "escalation_breaches";`);
    this.addSql(`drop table if exists "order_transitions";`);
    this.addSql(`drop index if exists "orders_open_since_index";`);
    this.addSql(`create index "orders_customer_id_index" on "orders" ("customer_id");`);
    this.addSql(`drop index if exists "orders_customer_created_index";`);
    this.addSql(`drop index if exists "orders_report_index";`);
    this.addSql(`drop index if exists "order_lines_report_index";`);
    this.addSql(
      `alter table "order_lines" drop column "created_at", drop column "currency", drop column "active";`,
    );
    this.addSql(`alter table "orders" drop column "captured", drop column "refunded", drop column "items";`);
  }
}
