import { Migration } from '@mikro-orm/migrations';

/**
 * Mail that comes in (docs/inbound-mail.md):
 * - `inbound_mailboxes`: per IMAP mailbox, the UIDVALIDITY and last UID taken, which reader process holds it
 *   (a lease, so two worker processes never read one mailbox at once) and how its last attempt went;
 * - `mail_messages`: every message taken in (`in`) and every message staff sent a customer (`out`), text
 *   only, attachments as metadata. A message is stored once per mailbox+UIDVALIDITY+UID and once per
 *   Message-ID, whatever restarts happen between storing it and filing it on the server;
 * - `feedback.channel`: `console` (the form) or `email` (filed from an incoming message);
 * - `deliveries.references`: the Message-IDs an outgoing e-mail answers, so the customer's reply threads.
 */
export class Migration20261204800000_inbound_mail extends Migration {
  override up(): void {
    this.addSql(`create table "inbound_mailboxes" (
      "key" text primary key,
      "uid_validity" bigint null,
      "last_uid" bigint not null default 0,
      "lease_owner" text null,
      "lease_until" timestamptz null,
      "state" text not null default 'unknown' check ("state" in ('unknown', 'ok', 'down')),
      "last_error" text null,
      "failures" int not null default 0,
      "checked_at" timestamptz null,
      "taken" bigint not null default 0);`);
    this.addSql(`create table "mail_messages" (
      "id" uuid primary key,
      "direction" text not null check ("direction" in ('in', 'out')),
      "mailbox" text null,
      "uid_validity" bigint null,
      "uid" bigint null,
      "message_id" text null,
      "status" text not null check ("status" in ('order', 'open', 'filed', 'closed', 'automatic', 'rejected', 'sent')),
      "order_id" uuid null,
      "customer_id" uuid null,
      "from_address" text not null default '',
      "from_name" text null,
      "to_address" text not null default '',
      "subject" text not null default '',
      "text" text not null default '',
      "in_reply_to" text null,
      "references" text[] not null default '{}',
      "automatic" boolean not null default false,
      "authentication" text null,
      "attachments" jsonb not null default '[]',
      "suggestion" text null,
      "problem" text null,
      "size" int null,
      "delivery_id" uuid null,
      "filed" jsonb null,
      "at" timestamptz not null default now(),
      "created_at" timestamptz not null default now());`);
    this.addSql(
      `create unique index "mail_messages_uid_unique" on "mail_messages" ("mailbox", "uid_validity", "uid") where "direction" = 'in';`,
    );
    this.addSql(
      `create unique index "mail_messages_message_id_unique" on "mail_messages" ("message_id") where "direction" = 'in';`,
    );
    this.addSql(`create index "mail_messages_order_index" on "mail_messages" ("order_id", "at");`);
    this.addSql(
      `create index "mail_messages_open_index" on "mail_messages" ("created_at", "id") where "status" = 'open';`,
    );
    this.addSql(`alter table "feedback" add column "channel" text not null default 'console';`);
    this.addSql(`alter table "deliveries" add column "references" text[] null;`);
  }

  override down(): void {
    this.addSql(`alter table "deliveries" drop column if exists "references";`);
    this.addSql(`alter table "feedback" drop column if exists "channel";`);
    this.addSql(`drop table if exists "mail_messages";`);
    this.addSql(`drop table if exists "inbound_mailboxes";`);
  }
}
