import { Migration } from '@mikro-orm/migrations';

/**
 * The order list filtered by status reads that status's newest orders straight from an index in the list's
 * own order, instead of walking the newest orders of every status and skipping the others (hundreds of
 * index pages for a rare status on a million orders). It replaces the plain status index, which any
 * `status = ?` lookup can take from this one, so writes keep the same number of index entries.
 */
export class Migration20261126120000_status_list_index extends Migration {
  override up(): void {
    this.addSql(
      `create index "orders_status_created_index" on "orders" ("status", "created_at" desc, "id" desc);`,
    );
    this.addSql(`drop index if exists "orders_status_index";`);
  }

  override down(): void {
    this.addSql(`create index "orders_status_index" on "orders" ("status");`);
    this.addSql(`drop index if exists "orders_status_created_index";`);
  }
}
