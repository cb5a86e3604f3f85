import { Migration } from '@mikro-orm/migrations';

/**
 * The delivery outbox and its destinations' circuit breakers, and each user's choice of e-mail.
 *
 * - `deliveries` become the outbox: each waiting row names its `destination` (`smtp`, or `webhook:<host>` as
 *   `destinationOf` in workflows/delivery.rules.ts computes it), when it is due (`next_attempt_at`), the lease
 *   of the dispatcher sending it (`lease_until`) and its own failures (`failures`, a receiver refusing this
 *   one message; an unreachable destination does not count). Deliveries waiting at upgrade are due at once:
 *   the outbox sends them, and their delivery workflows, still running, hand them over (see
 *   activities/delivery.activities.ts). A delivery in the middle of an attempt keeps a minute's lease, the
 *   longest an attempt of the old workflow took; after that it counts as interrupted.
 * - `order_id` may be null: the daily digest belongs to no order.
 * - `delivery_destinations`: one row per destination with its breaker, whether a manager paused it, and
 *   which worker process dispatches it now (a lease, so that a backlog drains at one bounded rate). For the
 *   SMTP destination, `server` names the server the breaker is about: another one starts closed.
 * - `users.email_notifications` (default `assigned` for everyone, existing users included: e-mail only for
 *   what concerns them personally, which ends the e-mail for every order unless they choose `all`) and
 *   `last_digest_at`. The in-app inbox is left as it is: every notification stays, read or unread, and the
 *   same people keep receiving them there.
 */
export class Migration20261204200000_outbox extends Migration {
  override up(): void {
    this.addSql(`alter table "deliveries" alter column "order_id" drop not null;`);
    this.addSql(`alter table "deliveries"
      add column "destination" text null,
      add column "next_attempt_at" timestamptz not null default now(),
      add column "lease_until" timestamptz null,
      add column "failures" int not null default 0;`);
    this.addSql(`update "deliveries" set
        "destination" = case when "channel" = 'email' then 'smtp'
          else 'webhook:' || lower(coalesce(
            substring("address" from '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^/?#@]*@)?([^/?#]+)'), "address")) end,
        "next_attempt_at" = now(),
        "lease_until" = case when "status" = 'sending' then now() + interval '1 minute' end
      where "status" in ('pending', 'sending', 'retrying');`);
    this.addSql(`create index "deliveries_outbox_index" on "deliveries" ("destination", "created_at", "id")
      where "status" in ('pending', 'sending', 'retrying');`);
    this.addSql(`create table "delivery_destinations" (
      "id" uuid primary key default gen_random_uuid(),
      "key" text not null unique,
      "channel" text not null check ("channel" in ('email', 'webhook')),
      "server" text null,
      "state" text not null default 'closed' check ("state" in ('closed', 'half_open', 'open')),
      "failures" int not null default 0,
      "probes" int not null default 0,
      "opened_at" timestamptz null,
      "next_probe_at" timestamptz null,
      "last_error" text null,
      "last_failure_at" timestamptz null,
      "last_success_at" timestamptz null,
      "paused" boolean not null default false,
      "paused_at" timestamptz null,
      "paused_by" jsonb null,
      "lease_owner" text null,
      "lease_until" timestamptz null,
      "updated_at" timestamptz not null default now());`);
    this.addSql(`alter table "users"
      add column "email_notifications" text not null default 'assigned'
        check ("email_notifications" in ('all', 'assigned', 'digest', 'none')),
      add column "last_digest_at" timestamptz null;`);
  }

  override down(): void {
    this.addSql(`alter table "users" drop column "last_digest_at", drop column "email_notifications";`);
    this.addSql(`drop table if exists "delivery_destinations";`);
    this.addSql(`drop index if exists "deliveries_outbox_index";`);
    this.addSql(`alter table "deliveries"
      drop column "failures", drop column "lease_until", drop column "next_attempt_at", drop column "destination";`);
    this.addSql(`delete from "deliveries" where "order_id" is null;`);
    this.addSql(`alter table "deliveries" alter column "order_id" set not null;`);
  }
}
