import { Migration } from '@mikro-orm/migrations';

/**
 * The orders whose archive is due (issue 21): a closed order's archive was written by a workflow of its own,
 * started as the order's last step; it is now a row here, which the worker's archiver takes once the order's
 * workflow has closed (activities/archive.queue.ts). `due_at` is when it is tried next (a claimed row's lease
 * runs until then), `attempts` how often it was claimed, `last_error` why its last try failed.
 */
export class Migration20261207170000_order_archive_queue extends Migration {
  override up(): void {
    this.addSql(`create table "order_archive_queue" (
      "order_id" uuid primary key,
      "queued_at" timestamptz not null default now(),
      "due_at" timestamptz not null,
      "attempts" int not null default 0,
      "last_error" text null);`);
    this.addSql(`create index "order_archive_queue_due_at_index" on "order_archive_queue" ("due_at");`);
  }

  override down(): void {
    this.addSql(`drop table if exists "order_archive_queue";`);
  }
}
