import { Migration } from '@mikro-orm/migrations';
import { SALES_BUCKET_DAYS_SQL } from './Migration20261126100000_sales_days';

/**
 * Reports with orders that leave in several shipments (issue 24). Two summaries kept by the mirror write:
 *
 * - `order_shipping_times`: one row per order that has shipped anything, with when it entered
 *   `processing`, when its first shipment left, when the shipment that took its last unit left (null until
 *   then, and for ever when the rest was cancelled) and how many shipments it took. The pipeline report's
 *   `shipping` measures (processing to first shipment, first to last, processing to last) read it.
 * - A fourth sales outcome, `partly_shipped`: a cancelled order part of which had shipped. Its captured
 *   minus refunded (the value of what shipped; the rest was refunded) is revenue, as an active order's is,
 *   instead of being left out with the cancelled ones.
 *
 * Both are filled here from the orders already there (`SHIPPING_TIMES_SQL`, `PARTLY_SHIPPED_SALES_SQL`), the
 * same way `npm run seed:large` builds them.
 */
export class Migration20261206051500_shipping_reports extends Migration {
  override up(): void {
    this.addSql(`create table "order_shipping_times" (
      "order_id" uuid primary key references "orders" ("id") on delete cascade,
      "processing_at" timestamptz null,
      "first_shipped_at" timestamptz not null,
      "last_shipped_at" timestamptz null,
      "shipments" int not null check ("shipments" > 0));`);
    this
      .addSql(`create index "order_shipping_times_first_index" on "order_shipping_times" ("first_shipped_at")
      include ("processing_at");`);
    this.addSql(`create index "order_shipping_times_last_index" on "order_shipping_times" ("last_shipped_at")
      include ("processing_at", "first_shipped_at", "shipments") where "last_shipped_at" is not null;`);
    // Orders part of which has shipped and the rest not (open ones, and cancelled ones): few.
    this.addSql(`create index "order_shipping_times_unfinished_index" on "order_shipping_times" ("order_id")
      where "last_shipped_at" is null;`);
    this.addSql(SHIPPING_TIMES_SQL);
    for (const table of ['sales_buckets', 'sales_bucket_days']) {
      this.addSql(`alter table "${table}" drop constraint "${table}_outcome_check";`);
      this.addSql(`alter table "${table}" add constraint "${table}_outcome_check"
        check ("outcome" in ('active', 'cancelled', 'rejected', 'partly_shipped'));`);
    }
    this.addSql(PARTLY_SHIPPED_SALES_SQL);
    this.addSql(`delete from "sales_bucket_days";`);
    this.addSql(SALES_BUCKET_DAYS_SQL);
    this.addSql(`analyze "order_shipping_times";`);
  }

  override down(): void {
    // The partly shipped orders go back among the cancelled ones, as they were counted before.
    for (const table of ['sales_buckets', 'sales_bucket_days']) {
      this.addSql(`insert into "${table}" as t
        select ${table === 'sales_buckets' ? '"bucket"' : '"day"'}, "currency", 'cancelled', "orders",
               "paid_orders", "captured", "refunded"
          from "${table}" where "outcome" = 'partly_shipped'
        on conflict (${table === 'sales_buckets' ? '"bucket"' : '"day"'}, "currency", "outcome") do update set
          "orders" = t."orders" + excluded."orders", "paid_orders" = t."paid_orders" + excluded."paid_orders",
          "captured" = t."captured" + excluded."captured", "refunded" = t."refunded" + excluded."refunded";`);
      this.addSql(`delete from "${table}" where "outcome" = 'partly_shipped';`);
      this.addSql(`alter table "${table}" drop constraint "${table}_outcome_check";`);
      this.addSql(`alter table "${table}" add constraint "${table}_outcome_check"
        check ("outcome" in ('active', 'cancelled', 'rejected'));`);
    }
    this.addSql(`drop table if exists "order_shipping_times";`);
  }
}

/**
 * Fills `order_shipping_times` (empty table assumed) from `order_shipments` (every parcel since partial
 * shipments; read by its order index, not from the snapshots) and, for an order shipped before them, its one
 * shipment (`shipped_at`, which is set once the last unit has left). When it entered processing comes from
 * its first `processing` transition.
 */
export const SHIPPING_TIMES_SQL = `
  insert into "order_shipping_times" ("order_id", "processing_at", "first_shipped_at", "last_shipped_at", "shipments")
  select o."id",
         (select min(t."entered_at") from "order_transitions" t where t."order_id" = o."id" and t."status" = 'processing'),
         coalesce(s."first", o."shipped_at"), o."shipped_at", greatest(s."count", 1)
    from "orders" o
    cross join lateral (select min(x."shipped_at") as "first", count(*)::int as "count"
                          from "order_shipments" x where x."order_id" = o."id") s
   where o."shipped_at" is not null or s."count" > 0
  on conflict ("order_id") do nothing;`;

/**
 * Moves the cancelled orders part of which had shipped (they have a row in `order_shipments`) from the
 * `cancelled` sales rows to `partly_shipped` ones, in the quarter-hour buckets (the migration then rebuilds
 * the day rows from the buckets with `SALES_BUCKET_DAYS_SQL`).
 */
export const PARTLY_SHIPPED_SALES_SQL = `
  with moved as (
    select date_bin('15 minutes', "created_at", timestamptz '2000-01-01 00:00:00+00') as "bucket", "currency",
           count(*)::int as "orders", (count(*) filter (where "captured" > "refunded"))::int as "paid_orders",
           sum("captured")::bigint as "captured", sum("refunded")::bigint as "refunded"
      from "orders"
     where "status" = 'cancelled' and exists (select 1 from "order_shipments" x where x."order_id" = "orders"."id")
     group by 1, 2),
  out_of as (
    update "sales_buckets" b set "orders" = b."orders" - m."orders", "paid_orders" = b."paid_orders" - m."paid_orders",
           "captured" = b."captured" - m."captured", "refunded" = b."refunded" - m."refunded"
      from moved m where b."bucket" = m."bucket" and b."currency" = m."currency" and b."outcome" = 'cancelled')
  insert into "sales_buckets" ("bucket", "currency", "outcome", "orders", "paid_orders", "captured", "refunded")
  select "bucket", "currency", 'partly_shipped', "orders", "paid_orders", "captured", "refunded" from moved
  order by 1, 2;`;
