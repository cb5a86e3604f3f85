import { Migration } from '@mikro-orm/migrations';

/**
 * Order intake (issue 27). An order's `source` and `externalRef` live in its snapshot (the workflow's state,
 * mirrored as is); this index finds an order by reference (`GET /api/orders?externalRef=`) and keeps a
 * reference unique per source. The order's id is derived from both, so the index never refuses a mirror
 * write of a real order; it is the last guard, not the first.
 *
 * `order_imports`: an uploaded file's preview (its valid orders, already grouped and checked, and each
 * problem with its row and field) and, once committed, what became of each order. Nothing here is an order:
 * orders are created only by commit, through the order workflow.
 *
 * `api_keys`: machine clients' keys, kept only as a SHA-256 hash (the key itself is 256 random bits, so a
 * slow hash would add nothing but cost per request); `revoked_at` set ends the key at once.
 */
export class Migration20261204700000_order_intake extends Migration {
  override up(): void {
    this.addSql(
      `create unique index "orders_external_ref_index" on "orders" (("snapshot" ->> 'externalRef'), (coalesce("snapshot" ->> 'source', 'console'))) where ("snapshot" ->> 'externalRef') is not null;`,
    );
    this.addSql(`create table "order_imports" (
      "id" uuid primary key,
      "status" text not null check ("status" in ('previewed', 'committing', 'committed')),
      "file_name" text not null,
      "rows" integer not null,
      "valid" integer not null,
      "errors" jsonb not null,
      "orders" jsonb not null,
      "results" jsonb not null default '[]'::jsonb,
      "created_by" jsonb not null,
      "created_at" timestamptz not null default now(),
      "committed_by" jsonb null,
      "committed_at" timestamptz null,
      "finished_at" timestamptz null);`);
    this.addSql(`create table "api_keys" (
      "id" uuid primary key,
      "name" text not null,
      "roles" text[] not null,
      "key_hash" text not null unique,
      "prefix" text not null,
      "created_by" jsonb not null,
      "created_at" timestamptz not null default now(),
      "last_used_at" timestamptz null,
      "revoked_at" timestamptz null);`);
  }

  override down(): void {
    this.addSql(`drop table if exists "api_keys";`);
    this.addSql(`drop table if exists "order_imports";`);
    this.addSql(`drop index if exists "orders_external_ref_index";`);
  }
}
