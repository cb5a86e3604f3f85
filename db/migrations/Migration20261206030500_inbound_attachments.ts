import { Migration } from '@mikro-orm/migrations';

/**
 * The kept attachments of incoming mail (docs/inbound-mail.md, "Attachments"): their bytes, by message and
 * position in the message's `attachments` list, in a table of their own so that the lists, which read
 * `mail_messages`, never carry them. In the application database, so `pg_dump` backups hold them.
 */
export class Migration20261206030500_inbound_attachments extends Migration {
  override up(): void {
    this.addSql(`create table "mail_attachments" (
      "message_id" uuid not null references "mail_messages" ("id") on delete cascade,
      "n" int not null check ("n" >= 0),
      "bytes" bytea not null,
      primary key ("message_id", "n"));`);
  }

  override down(): void {
    this.addSql(`drop table if exists "mail_attachments";`);
  }
}
