import { Migration } from '@mikro-orm/migrations';

/**
 * Who works on an order. Kept beside the order's row, not in it: the row is the workflow's mirror and only
 * the workflow writes it, while an assignment changes by a person's click and must not wait for a worker.
 * One row per order ever assigned; `user_id` null once unclaimed, so a claim is one conditional upsert and
 * two concurrent claims cannot both win. Each change is also written to the audit log (who, whom, when).
 */
export class Migration20261204400000_assignment extends Migration {
  override up(): void {
    this.addSql(`create table "order_assignments" (
      "order_id" uuid primary key,
      "user_id" uuid null references "users" ("id"),
      "assigned_by" jsonb not null,
      "assigned_at" timestamptz not null default now());`);
    this.addSql(
      `create index "order_assignments_user_index" on "order_assignments" ("user_id") where "user_id" is not null;`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists "order_assignments";`);
  }
}
