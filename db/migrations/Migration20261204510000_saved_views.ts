import { Migration } from '@mikro-orm/migrations';

/**
 * A person's saved board filters. Private to their owner: every statement names the owner, so another
 * user's view is as absent as one that never existed. Names are unique per owner.
 */
export class Migration20261204510000_saved_views extends Migration {
  override up(): void {
    this.addSql(`create table "saved_views" (
      "id" uuid primary key default gen_random_uuid(),
      "user_id" uuid not null references "users" ("id") on delete cascade,
      "name" text not null,
      "filters" jsonb not null,
      "created_at" timestamptz not null default now(),
      unique ("user_id", "name"));`);
  }

  override down(): void {
    this.addSql(`drop table if exists "saved_views";`);
  }
}
