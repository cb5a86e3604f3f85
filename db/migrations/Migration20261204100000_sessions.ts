import { Migration } from '@mikro-orm/migrations';

/**
 * Server-side sessions: every sign-in (console cookie or bearer token) is a row, and a token names its row,
 * so a logout, "sign out everywhere" or an admin ends it at once. A new token version of a user (password,
 * roles or `disabled` changed) ends all their sessions here, in the database, whatever wrote the change; and
 * each ended session is announced on the channel `oms_sessions`, so every API instance closes the live event
 * streams opened with it.
 */
export class Migration20261204100000_sessions extends Migration {
  override up(): void {
    this.addSql(`create table "sessions" (
      "id" uuid primary key,
      "user_id" uuid not null references "users" ("id") on delete cascade,
      "kind" text not null check ("kind" in ('console', 'token')),
      "created_at" timestamptz not null default now(),
      "expires_at" timestamptz not null,
      "ended_at" timestamptz null);`);
    this.addSql(
      `create index "sessions_user_open_index" on "sessions" ("user_id") where "ended_at" is null;`,
    );
    this.addSql(`create index "sessions_expires_at_index" on "sessions" ("expires_at");`);
    this.addSql(`create function "sessions_announce_end"() returns trigger language plpgsql as $$
      begin
        perform pg_notify('oms_sessions',
          json_build_object('sessionId', new.id, 'userId', new.user_id)::text);
        return null;
      end $$;`);
    this.addSql(`create trigger "sessions_ended" after update of "ended_at" on "sessions"
      for each row when (old."ended_at" is null and new."ended_at" is not null)
      execute function "sessions_announce_end"();`);
    this.addSql(`create function "users_end_sessions"() returns trigger language plpgsql as $$
      begin
        update "sessions" set "ended_at" = now() where "user_id" = new.id and "ended_at" is null;
        return null;
      end $$;`);
    this.addSql(`create trigger "users_token_version_changed" after update of "token_version" on "users"
      for each row when (old."token_version" <> new."token_version")
      execute function "users_end_sessions"();`);
  }

  override down(): void {
    this.addSql(`drop trigger if exists "users_token_version_changed" on "users";`);
    this.addSql(`drop function if exists "users_end_sessions";`);
    this.addSql(`drop table if exists "sessions";`);
    this.addSql(`drop function if exists "sessions_announce_end";`);
  }
}
