import { Migration } from '@mikro-orm/migrations';

/**
 * Tamper-evident archive. A record is never changed or removed once written: a fuller record of the same
 * order (a later archive run) is another row, keyed by its number of events, and the newest is the record.
 * Each record carries a seal (version 2): an HMAC of the order, the events and the record's SHA-256 under a
 * key the workers and the API hold and the database does not, so a record changed and re-hashed with
 * database access no longer matches it. Records written before are version 1 (their SHA-256 alone) and keep
 * verifying as such; new rows are version 2 by default, and the application role may not choose another
 * (see `grantApplicationRole`: it may insert only the other columns, and not update or delete).
 */
export class Migration20261204102000_archive_seal extends Migration {
  override up(): void {
    this.addSql(`alter table "order_archives"
      add column "seal_version" int not null default 1,
      add column "seal" text null;`);
    this.addSql(`alter table "order_archives" alter column "seal_version" set default 2;`);
    this.addSql(`alter table "order_archives" drop constraint "order_archives_pkey";`);
    this.addSql(`alter table "order_archives" add primary key ("order_id", "events");`);
    this.addSql(`alter table "order_archives" add constraint "order_archives_sealed"
      check ("seal_version" = 1 or "seal" is not null);`);
  }

  override down(): void {
    this.addSql(`delete from "order_archives" a using "order_archives" b
      where a."order_id" = b."order_id" and a."events" < b."events";`);
    this.addSql(`alter table "order_archives" drop constraint "order_archives_sealed";`);
    this.addSql(`alter table "order_archives" drop constraint "order_archives_pkey";`);
    this.addSql(`alter table "order_archives" add primary key ("order_id");`);
    this.addSql(`alter table "order_archives" drop column "seal", drop column "seal_version";`);
  }
}
