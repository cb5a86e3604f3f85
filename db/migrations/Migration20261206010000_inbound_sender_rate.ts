import { Migration } from '@mikro-orm/migrations';

/**
 * The per-sender rate of mail that comes in (docs/inbound-mail.md): each stored message counts its sender's
 * messages of the last hour, by this index.
 */
export class Migration20261206010000_inbound_sender_rate extends Migration {
  override up(): void {
    this.addSql(`create index if not exists "mail_messages_sender_index"
      on "mail_messages" (lower("from_address"), "created_at") where "direction" = 'in';`);
  }

  override down(): void {
    this.addSql(`drop index if exists "mail_messages_sender_index";`);
  }
}
