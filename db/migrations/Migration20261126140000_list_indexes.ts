import { Migration } from '@mikro-orm/migrations';

/**
 * Indexes for the order list's filters and for short search texts, each chosen from `npm run bench:db` plans
 * on a million orders, where without them the list walked every order newest first and skipped those that
 * did not match:
 * - `orders_awaiting_created_index`: each wait's newest orders in the list's own order (0.5 s for a wait no
 *   order was in). Partial: only orders that wait for something have an entry.
 * - `orders_total_index`: a total range the planner finds rare is read here and sorted (1.5 s for a total
 *   nobody reached); a common one still walks the newest orders. The planner tells them apart by the
 *   column's histogram: with the default 100 buckets it took 171 orders of a million for 4,647 and walked
 *   323,000 rows (0.8 s); 1,000 buckets estimate it as 657 and keep the worst case near 60 ms.
 * - `short_grams(text)`: the distinct one- and two-letter pieces of a text, lower-cased. Trigram indexes
 *   cannot look up a text shorter than three letters (`王`, `加急`, `12`): they return every row to be
 *   checked (3 s). `orders_number_grams` and `orders_notes_grams` index these pieces; the search asks them
 *   for a short text and checks the rows found with ILIKE.
 * - `orders_created_at_id_index` now also carries the order number, and `orders_noted_created_index` lists
 *   the orders with notes newest first: a search for a short piece first looks among the newest numbers
 *   (from the index alone) and the newest notes (see OrderRepository.shortTextMatches).
 */
export class Migration20261126140000_list_indexes extends Migration {
  override up(): void {
    this.addSql(
      `create index "orders_awaiting_created_index" on "orders" ("awaiting", "created_at" desc, "id" desc)
         where "awaiting" is not null;`,
    );
    this.addSql(`create index "orders_total_index" on "orders" ("total");`);
    this.addSql(`alter table "orders" alter column "total" set statistics 1000;`);
    this.addSql(`analyze "orders" ("total");`);
    this.addSql(
      `create function short_grams(value text) returns text[]
         language sql immutable strict parallel safe
         as $$
           select coalesce(array_agg(distinct gram), '{}')
             from (select substr(lower(value), i, width) as gram
                     from generate_series(1, char_length(value)) as i, (values (1), (2)) as widths (width)
                    where i + width - 1 <= char_length(value)) as grams
         $$;`,
    );
    this.addSql(`create index "orders_number_grams" on "orders" using gin (short_grams("number"));`);
    this.addSql(`create index "orders_notes_grams" on "orders" using gin (short_grams("notes"));`);
    this.addSql(
      `create index "orders_created_at_id_number_index" on "orders" ("created_at" desc, "id" desc) include ("number");`,
    );
    this.addSql(
      `create index "orders_noted_created_index" on "orders" ("created_at" desc, "id" desc) where "notes" is not null;`,
    );
    this.addSql(`drop index if exists "orders_created_at_id_index";`);
  }

  override down(): void {
    this.addSql(`create index "orders_created_at_id_index" on "orders" ("created_at" desc, "id" desc);`);
    this.addSql(`drop index if exists "orders_noted_created_index";`);
    this.addSql(`drop index if exists "orders_created_at_id_number_index";`);
    this.addSql(`drop index if exists "orders_notes_grams";`);
    this.addSql(`drop index if exists "orders_number_grams";`);
    this.addSql(`drop function if exists short_grams(text);`);
    this.addSql(`alter table "orders" alter column "total" set statistics -1;`);
    this.addSql(`drop index if exists "orders_total_index";`);
    this.addSql(`drop index if exists "orders_awaiting_created_index";`);
  }
}
