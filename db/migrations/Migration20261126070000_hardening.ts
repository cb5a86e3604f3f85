import { Migration } from '@mikro-orm/migrations';

/**
 * Hostile input and abuse (issue 11): prices widened to bigint; a token version per user so that changing
 * a password, roles or `disabled` ends existing tokens; sign-in throttling as growing delays per key,
 * admitted atomically before the password is checked; the addresses each user signed in from; managers
 * and admins hear of an order step that failed for good.
 */
export class Migration20261126070000_hardening extends Migration {
  override up(): void {
    this.addSql(`alter table "products" alter column "unit_price" type bigint;`);
    this.addSql(`alter table "order_lines" alter column "unit_price" type bigint;`);
    this.addSql(`alter table "users" add column "token_version" int not null default 0;`);

    this.addSql(`drop table if exists "login_failures";`);
    this.addSql(`create table "login_throttle" (
      "key" text primary key,
      "failures" int not null default 0,
      "last_failure_at" timestamptz not null default now(),
      "next_attempt_at" timestamptz not null default now());`);
    this.addSql(`create table "user_known_addresses" (
      "user_id" uuid not null references "users" ("id") on delete cascade,
      "address" text not null,
      "last_seen_at" timestamptz not null default now(),
      primary key ("user_id", "address"));`);

    this.addSql(`insert into "notification_recipients" ("kind", "roles", "customer")
      values ('order.problem', '{manager,admin}', false) on conflict do nothing;`);
  }

  override down(): void {
    this.addSql(`delete from "notification_recipients" where "kind" = 'order.problem';`);
    this.addSql(`drop table if exists "user_known_addresses";`);
    this.addSql(`drop table if exists "login_throttle";`);
    this.addSql(`create table "login_failures" (
      "id" bigserial primary key,
      "username" text not null,
      "address" text not null,
      "at" timestamptz not null default now());`);
    this.addSql(`alter table "users" drop column "token_version";`);
    this.addSql(`alter table "order_lines" alter column "unit_price" type int;`);
    this.addSql(`alter table "products" alter column "unit_price" type int;`);
  }
}
