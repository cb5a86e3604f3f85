import { Migration } from '@mikro-orm/migrations';

/**
 * Browsers a user signed in on successfully (OWASP's device cookies): a sign-in from one of them is
 * counted against that browser alone, so someone failing at the same shared address cannot keep its owner
 * out. The twenty most recent are kept per user.
 */
export class Migration20261204101000_known_devices extends Migration {
  override up(): void {
    this.addSql(`create table "user_known_devices" (
      "user_id" uuid not null references "users" ("id") on delete cascade,
      "device_id" uuid not null,
      "last_seen_at" timestamptz not null default now(),
      primary key ("user_id", "device_id"));`);
  }

  override down(): void {
    this.addSql(`drop table if exists "user_known_devices";`);
  }
}
