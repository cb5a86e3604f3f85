import { Migration } from '@mikro-orm/migrations';

/**
 * Outbound notifications (e-mail, webhooks) with their delivery state, who hears of each kind, the webhooks
 * admins register, and the permanent record of finished orders.
 */
export class Migration20261126050000_delivery extends Migration {
  override up(): void {
    this.addSql(
      `alter table "customers" add column "language" text not null default 'zh-CN' check ("language" in ('zh-CN', 'en'));`,
    );
    this.addSql(`create table "notification_recipients" (
      "kind" text primary key,
      "roles" text[] not null,
      "customer" boolean not null,
      "updated_at" timestamptz not null default now());`);
    this.addSql(`insert into "notification_recipients" ("kind", "roles", "customer") values
      ('order.created', '{staff,manager}', true),
      ('order.processing', '{staff}', false),
      ('order.shipped', '{staff}', true),
      ('order.completed', '{staff,manager}', true),
      ('order.cancelled', '{staff,manager}', false),
      ('order.rejected', '{staff,manager}', false);`);
    this.addSql(`create table "webhooks" (
      "id" uuid primary key default gen_random_uuid(),
      "url" text not null,
      "secret" text not null,
      "kinds" text[] not null,
      "description" text null,
      "active" boolean not null default true,
      "created_at" timestamptz not null default now());`);
    this.addSql(`create table "deliveries" (
      "id" uuid primary key default gen_random_uuid(),
      "dedup_key" text not null unique,
      "order_id" uuid not null,
      "kind" text not null,
      "channel" text not null check ("channel" in ('email', 'webhook')),
      "recipient" text not null,
      "address" text not null,
      "subject" text null,
      "text_body" text null,
      "html_body" text null,
      "payload" jsonb null,
      "webhook_id" uuid null references "webhooks" ("id"),
      "status" text not null default 'pending'
        check ("status" in ('pending', 'sending', 'retrying', 'sent', 'failed', 'unconfirmed')),
      "attempts" int not null default 0,
      "last_error" text null,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now(),
      "sent_at" timestamptz null);`);
    this.addSql(`create index "deliveries_order_index" on "deliveries" ("order_id", "created_at");`);
    this.addSql(`create index "deliveries_status_index" on "deliveries" ("status", "created_at");`);
    this.addSql(`create index "notifications_order_index" on "notifications" ("order_id");`);
    this.addSql(`create table "order_archives" (
      "order_id" uuid primary key,
      "record" bytea not null,
      "sha256" text not null,
      "events" int not null,
      "archived_at" timestamptz not null default now());`);
  }

  override down(): void {
    this.addSql(`drop table if exists "order_archives";`);
    this.addSql(`drop index if exists "notifications_order_index";`);
    this.addSql(`drop table if exists "deliveries";`);
    this.addSql(`drop table if exists "webhooks";`);
    this.addSql(`drop table if exists "notification_recipients";`);
    this.addSql(`alter table "customers" drop column "language";`);
  }
}
