import { Migration } from '@mikro-orm/migrations';

/** Users, sign-in throttling, the append-only audit log, and archived order histories. */
export class Migration20261126030000_identity extends Migration {
  override up(): void {
    this.addSql(`create table "users" (
      "id" uuid primary key,
      "username" text not null unique check ("username" ~ '^[a-z0-9][a-z0-9._-]{1,63}$'),
      "display_name" text not null,
      "email" text null,
      "password_hash" text not null,
      "roles" text[] not null check ("roles" <@ array['admin', 'manager', 'staff', 'auditor']::text[] and cardinality("roles") > 0),
      "disabled" boolean not null default false,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now());`);

    // One row per failed sign-in; throttling counts recent rows per username and per address.
    this.addSql(`create table "login_failures" (
      "id" bigserial primary key,
      "username" text not null,
      "address" text not null,
      "at" timestamptz not null default now());`);
    this.addSql(`create index "login_failures_username_at_index" on "login_failures" ("username", "at");`);
    this.addSql(`create index "login_failures_address_at_index" on "login_failures" ("address", "at");`);

    // Changes outside workflows, with before and after. Rows can be added, never changed or removed.
    this.addSql(`create table "audit_log" (
      "id" bigserial primary key,
      "at" timestamptz not null default now(),
      "actor" jsonb not null,
      "action" text not null,
      "entity" text not null,
      "entity_id" text not null,
      "before" jsonb null,
      "after" jsonb null);`);
    this.addSql(`create index "audit_log_entity_index" on "audit_log" ("entity", "entity_id", "at");`);
    this.addSql(`create function "audit_log_append_only"() returns trigger language plpgsql as $$
      begin raise exception 'audit_log is append-only'; end $$;`);
    this.addSql(`create trigger "audit_log_no_change" before update or delete on "audit_log"
      for each row execute function "audit_log_append_only"();`);

    // The complete workflow history of each finished order, kept after Temporal's retention removes it.
    this.addSql(`create table "order_histories" (
      "order_id" uuid primary key references "orders" ("id"),
      "history" bytea not null,
      "sha256" text not null,
      "events" int not null,
      "archived_at" timestamptz not null default now());`);
  }

  override down(): void {
    this.addSql(`drop table if exists "order_histories";`);
    this.addSql(`drop trigger if exists "audit_log_no_change" on "audit_log";`);
    this.addSql(`drop table if exists "audit_log";`);
    this.addSql(`drop function if exists "audit_log_append_only";`);
    this.addSql(`drop table if exists "login_failures";`);
    this.addSql(`drop table if exists "users";`);
  }
}
