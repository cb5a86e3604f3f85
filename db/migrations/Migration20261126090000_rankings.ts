import { Migration } from '@mikro-orm/migrations';

/**
 * Summaries for long-period rankings and stage percentiles (issue 14's million-order target): per UTC day
 * and customer, per UTC day and month and product, per UTC day and currency; each customer's and product's all-time
 * upper bounds; and a per-day log-scale histogram of stage durations. All are kept by the mirror write in
 * its transaction and filled here from the rows already there.
 */
export class Migration20261126090000_rankings extends Migration {
  override up(): void {
    // Duration bucket of a stay, 16 per doubling of milliseconds (bucket k holds [2^(k/16), 2^((k+1)/16))
    // ms; under 1 ms counts as 1 ms). One definition for the mirror, the report and the bulk loader.
    this.addSql(`create function "stage_duration_bucket"("entered" timestamptz, "left" timestamptz)
      returns int language sql immutable parallel safe as
      $$ select floor(16 * ln(greatest(extract(epoch from "left" - "entered")::float8 * 1000, 1)) / ln(2))::int $$;`);
    // Active orders (not cancelled or rejected) per UTC day of placing, customer and currency.
    this.addSql(`create table "customer_sales_days" (
      "customer_id" uuid not null,
      "currency" text not null,
      "day" date not null,
      "orders" int not null,
      "quantity" bigint not null,
      "revenue" bigint not null,
      primary key ("customer_id", "currency", "day"));`);
    this.addSql(`create index "customer_sales_days_day_index" on "customer_sales_days" ("day")
      include ("customer_id", "currency", "orders", "quantity", "revenue");`);
    // Lines of active orders per UTC day of placing, product and currency.
    this.addSql(`create table "product_sales_days" (
      "product_id" uuid not null,
      "currency" text not null,
      "day" date not null,
      "orders" int not null,
      "quantity" bigint not null,
      "revenue" bigint not null,
      primary key ("product_id", "currency", "day"));`);
    this.addSql(`create index "product_sales_days_day_index" on "product_sales_days" ("day")
      include ("product_id", "currency", "orders", "quantity", "revenue");`);
    // The same per UTC month (first day): a year of products is twelve months of rows plus the days around.
    this.addSql(`create table "product_sales_months" (
      "product_id" uuid not null,
      "currency" text not null,
      "month" date not null,
      "orders" int not null,
      "quantity" bigint not null,
      "revenue" bigint not null,
      primary key ("product_id", "currency", "month"));`);
    this.addSql(`create index "product_sales_months_month_index" on "product_sales_months" ("month")
      include ("product_id", "currency", "orders", "quantity", "revenue");`);
    // Per UTC day and currency: units, net revenue and line revenue of active orders (the rankings' totals).
    this.addSql(`create table "sales_days" (
      "day" date not null,
      "currency" text not null,
      "quantity" bigint not null,
      "revenue" bigint not null,
      "line_revenue" bigint not null,
      primary key ("day", "currency"));`);
    // All-time units and revenue (each order's revenue counted as at least 0), so an upper bound of any
    // period's figure: the ranking takes candidates from the top of these.
    for (const [table, key] of [
      ['customer_sales_totals', 'customer_id'],
      ['product_sales_totals', 'product_id'],
    ] as const) {
      this.addSql(`create table "${table}" (
        "${key}" uuid not null,
        "currency" text not null,
        "quantity" bigint not null,
        "revenue" bigint not null,
        primary key ("${key}", "currency"));`);
      this.addSql(`create index "${table}_revenue_index" on "${table}" ("currency", "revenue" desc);`);
      this.addSql(`create index "${table}_quantity_index" on "${table}" ("currency", "quantity" desc);`);
    }
    // Stays that ended per UTC day and stage, counted per duration bucket.
    this.addSql(`create table "stage_duration_days" (
      "day" date not null,
      "stage" text not null,
      "bucket" int not null,
      "stays" int not null,
      primary key ("day", "stage", "bucket"));`);
    this.addSql(RANKING_SUMMARIES_SQL);
    // Statistics now, so the first reports after the upgrade get index plans (autovacuum follows).
    this.addSql(`analyze "customer_sales_days", "product_sales_days", "product_sales_months", "sales_days",
      "customer_sales_totals", "product_sales_totals", "stage_duration_days";`);
  }

  override down(): void {
    for (const table of [
      'stage_duration_days',
      'product_sales_totals',
      'customer_sales_totals',
      'sales_days',
      'product_sales_months',
      'product_sales_days',
      'customer_sales_days',
    ])
      this.addSql(`drop table if exists "${table}";`);
    this.addSql(`drop function if exists "stage_duration_bucket"(timestamptz, timestamptz);`);
  }
}

/**
 * Fills the summaries above from orders, lines and transitions (empty tables assumed): used by this
 * migration and by `npm run seed:large` after its COPY.
 */
export const RANKING_SUMMARIES_SQL = `
  insert into "customer_sales_days"
    select "customer_id", "currency", ("created_at" at time zone 'UTC')::date, count(*), sum("items"),
           sum("captured" - "refunded")
      from "orders" where "status" not in ('cancelled', 'rejected') group by 1, 2, 3 order by 1, 2, 3;
  insert into "customer_sales_totals"
    select "customer_id", "currency", sum("items"), sum(greatest("captured" - "refunded", 0))
      from "orders" where "status" not in ('cancelled', 'rejected') group by 1, 2;
  insert into "product_sales_days"
    select "product_id", "currency", ("created_at" at time zone 'UTC')::date, count(*), sum("quantity"),
           sum("line_total")
      from "order_lines" where "active" group by 1, 2, 3 order by 1, 2, 3;
  insert into "product_sales_months"
    select "product_id", "currency", "day" - extract(day from "day")::int + 1, sum("orders"), sum("quantity"),
           sum("revenue")
      from "product_sales_days" group by 1, 2, 3 order by 1, 2, 3;
  insert into "product_sales_totals"
    select "product_id", "currency", sum("quantity"), sum("line_total")
      from "order_lines" where "active" group by 1, 2;
  insert into "sales_days"
    select o."day", o."currency", o."quantity", o."revenue", coalesce(l."line_revenue", 0)
      from (select ("created_at" at time zone 'UTC')::date as "day", "currency", sum("items") as "quantity",
                   sum("captured" - "refunded") as "revenue"
              from "orders" where "status" not in ('cancelled', 'rejected') group by 1, 2) o
      left join (select ("created_at" at time zone 'UTC')::date as "day", "currency",
                        sum("line_total") as "line_revenue"
                   from "order_lines" where "active" group by 1, 2) l using ("day", "currency")
     order by 1, 2;
  insert into "stage_duration_days"
    select ("left_at" at time zone 'UTC')::date, "stage", stage_duration_bucket("entered_at", "left_at"), count(*)
      from "order_transitions" where "left_at" is not null group by 1, 2, 3 order by 1, 2, 3;`;
