import { Migration } from '@mikro-orm/migrations';

/**
 * A person away names a delegate until a moment: while it lasts, their tasks and notifications go to the
 * delegate. Both or neither are set; whether it is in force is decided by comparing `delegate_until` with the
 * time of each use, so it ends exactly then without any job having to run.
 */
export class Migration20261204520000_delegation extends Migration {
  override up(): void {
    this.addSql(`alter table "users"
      add column "delegate_id" uuid null references "users" ("id") on delete set null,
      add column "delegate_until" timestamptz null,
      add constraint "users_delegation_whole" check (("delegate_id" is null) = ("delegate_until" is null));`);
  }

  override down(): void {
    this.addSql(`alter table "users" drop constraint if exists "users_delegation_whole",
      drop column if exists "delegate_until", drop column if exists "delegate_id";`);
  }
}
