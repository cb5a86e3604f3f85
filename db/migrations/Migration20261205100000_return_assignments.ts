import { Migration } from '@mikro-orm/migrations';

/**
 * Who works on a return (issue 26 for returns), kept beside the return's row as `order_assignments` is
 * beside the order's: the row is the return workflow's mirror, while an assignment changes by a person's
 * click. One row per return ever assigned, `user_id` null once unclaimed, so a claim is one conditional
 * upsert and two concurrent claims cannot both win.
 */
export class Migration20261205100000_return_assignments extends Migration {
  override up(): void {
    this.addSql(`create table "return_assignments" (
      "return_id" uuid primary key references "order_returns" ("id") on delete cascade,
      "user_id" uuid null references "users" ("id"),
      "assigned_by" jsonb not null,
      "assigned_at" timestamptz not null default now());`);
    this.addSql(
      `create index "return_assignments_user_index" on "return_assignments" ("user_id") where "user_id" is not null;`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists "return_assignments";`);
  }
}
