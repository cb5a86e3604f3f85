import { Migration } from '@mikro-orm/migrations';

/**
 * Per UTC month upper bounds of each customer's figures (issue 14's million-order target): a customer
 * ranking of up to two months takes its candidates from the top of each month it touches instead of
 * summing every customer of the period. Kept by the mirror write with the other ranking summaries, in its
 * transaction; filled here from the orders already there.
 */
export class Migration20261126110000_customer_month_bounds extends Migration {
  override up(): void {
    // Units and revenue of active orders per customer, currency and UTC month (first day), each order's
    // revenue counted as at least 0: no period inside the month can have more.
    this.addSql(`create table "customer_sales_month_bounds" (
      "customer_id" uuid not null,
      "currency" text not null,
      "month" date not null,
      "quantity" bigint not null,
      "revenue" bigint not null,
      primary key ("customer_id", "currency", "month"));`);
    for (const measure of ['revenue', 'quantity'])
      this
        .addSql(`create index "customer_sales_month_bounds_${measure}_index" on "customer_sales_month_bounds"
        ("currency", "month", "${measure}" desc) include ("customer_id");`);
    this.addSql(CUSTOMER_MONTH_BOUNDS_SQL);
    // The candidates' day rows are read per customer from the primary key: carrying the figures makes that
    // index-only. Costs no more per write: the day index already carries them, so no update was HOT.
    this.addSql(`alter table "customer_sales_days" drop constraint "customer_sales_days_pkey",
      add constraint "customer_sales_days_pkey" primary key ("customer_id", "currency", "day")
      include ("orders", "quantity", "revenue");`);
    this.addSql(`analyze "customer_sales_month_bounds", "customer_sales_days";`);
  }

  override down(): void {
    this.addSql(`drop table if exists "customer_sales_month_bounds";`);
    this.addSql(`alter table "customer_sales_days" drop constraint "customer_sales_days_pkey",
      add constraint "customer_sales_days_pkey" primary key ("customer_id", "currency", "day");`);
  }
}

/** Fills `customer_sales_month_bounds` from the orders (empty table assumed); also run by `npm run seed:large`. */
export const CUSTOMER_MONTH_BOUNDS_SQL = `
  insert into "customer_sales_month_bounds"
    select "customer_id", "currency", date_trunc('month', "created_at" at time zone 'UTC')::date, sum("items"),
           sum(greatest("captured" - "refunded", 0))
      from "orders" where "status" not in ('cancelled', 'rejected') group by 1, 2, 3 order by 1, 2, 3;`;
