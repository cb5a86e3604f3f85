import { Migration } from '@mikro-orm/migrations';

/**
 * The quarter-hour sales summary per whole UTC day (issue 14's million-order target): a sales report over
 * months or years reads the whole UTC days inside each of its periods from here and only the part-days at
 * its edges (under a day each, where the caller's zone is not UTC) from `sales_buckets`. Kept by the
 * mirror write next to the bucket, in the same statement; filled here from the buckets already there.
 */
export class Migration20261126100000_sales_days extends Migration {
  override up(): void {
    this.addSql(`create table "sales_bucket_days" (
      "day" date not null,
      "currency" text not null,
      "outcome" text not null check ("outcome" in ('active', 'cancelled', 'rejected')),
      "orders" int not null,
      "paid_orders" int not null,
      "captured" bigint not null,
      "refunded" bigint not null,
      primary key ("day", "currency", "outcome"));`);
    this.addSql(SALES_BUCKET_DAYS_SQL);
    this.addSql(`analyze "sales_bucket_days";`);
  }

  override down(): void {
    this.addSql(`drop table if exists "sales_bucket_days";`);
  }
}

/** Fills `sales_bucket_days` from `sales_buckets` (empty table assumed); also run by `npm run seed:large`. */
export const SALES_BUCKET_DAYS_SQL = `
  insert into "sales_bucket_days"
    select ("bucket" at time zone 'UTC')::date, "currency", "outcome", sum("orders"), sum("paid_orders"),
           sum("captured"), sum("refunded")
      from "sales_buckets" group by 1, 2, 3 order by 1, 2, 3;`;
