import { Migration } from '@mikro-orm/migrations';

/** The in-app inbox: one row per recipient and occurrence, deduplicated by a unique key. */
export class Migration20261126040000_notifications extends Migration {
  override up(): void {
    this.addSql(
      `alter table "users" add column "language" text not null default 'zh-CN' check ("language" in ('zh-CN', 'en'));`,
    );
    this.addSql(`create table "notifications" (
      "id" uuid primary key default gen_random_uuid(),
      "recipient_id" uuid not null references "users" ("id"),
      "kind" text not null,
      "order_id" uuid not null,
      "title" text not null,
      "body" text not null,
      "dedup_key" text not null unique,
      "created_at" timestamptz not null default now(),
      "read_at" timestamptz null);`);
    this.addSql(
      `create index "notifications_recipient_index" on "notifications" ("recipient_id", "created_at" desc);`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists "notifications";`);
    this.addSql(`alter table "users" drop column "language";`);
  }
}
