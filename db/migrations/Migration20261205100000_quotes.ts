import { Migration } from '@mikro-orm/migrations';

/**
 * Quotes (issue 27, docs/quotes.md). A quote keeps its lines priced as they were when it was made (`lines`:
 * product id, SKU, name, quantity, unit price and line total in minor units), so an accepted quote becomes an
 * order at the quoted prices. `status` is what was last written; an open quote (`draft`, `sent`) reads
 * `expired` from `valid_until` on, whether or not a refusal has written it yet. `order_id` is the order an
 * accepted quote became (its id is derived from the quote's id, see OrderService.create).
 */
export class Migration20261205100000_quotes extends Migration {
  override up(): void {
    this.addSql(`create sequence "quote_numbers";`);
    this.addSql(`create table "quotes" (
      "id" uuid primary key,
      "number" text not null unique,
      "status" text not null default 'draft'
        check ("status" in ('draft', 'sent', 'accepted', 'declined', 'expired')),
      "customer_id" uuid not null references "customers" ("id"),
      "currency" text not null,
      "lines" jsonb not null,
      "total" bigint not null,
      "valid_until" timestamptz not null,
      "notes" text null,
      "created_by" jsonb not null,
      "created_at" timestamptz not null default now(),
      "sent_at" timestamptz null,
      "answered_at" timestamptz null,
      "order_id" uuid null);`);
    this.addSql(`create index "quotes_created_index" on "quotes" ("created_at" desc, "id");`);
    this.addSql(`create index "quotes_customer_index" on "quotes" ("customer_id", "created_at" desc);`);
  }

  override down(): void {
    this.addSql(`drop table if exists "quotes";`);
    this.addSql(`drop sequence if exists "quote_numbers";`);
  }
}
