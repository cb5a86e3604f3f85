import { Migration } from '@mikro-orm/migrations';
import { seal, unseal } from '../repositories/sealed';

const BATCH = 200;

interface HistoryRow {
  order_id: string;
  history: Buffer;
  history_sha256: string;
  history_events: number;
  record: Buffer | null;
  record_sha256: string | null;
  record_events: number | null;
}

/**
 * One archive: the workflow histories that `order_histories` held (some completed by the API on a read)
 * move into the records of `order_archives`, which the order's workflow writes; then `order_histories`
 * goes. A record gets a stored history only when it is longer than its own; an order archived before
 * records existed gets a record holding its history alone. Every stored document is checked against its
 * checksum on the way: a damaged one stops the migration and is named, rather than being dropped.
 */
export class Migration20261126093000_one_archive extends Migration {
  override async up(): Promise<void> {
    for await (const row of this.inBatches<HistoryRow>(
      `select order_id, h.history, h.sha256 as history_sha256, h.events as history_events,
              a.record, a.sha256 as record_sha256, a.events as record_events
         from order_histories h left join order_archives a using (order_id)`,
    )) {
      await this.merge(row);
    }
    this.addSql(`drop table "order_histories";`);
  }

  /** The rows of a query over one order per row, a batch at a time: an archive is never read whole. */
  private async *inBatches<T extends { order_id: string }>(select: string): AsyncGenerator<T> {
    for (let after = ''; ;) {
      const rows = (await this.execute(
        `${select} where order_id::text > ? order by order_id::text limit ${BATCH}`,
        [after],
      )) as unknown as T[];
      yield* rows;
      if (rows.length < BATCH) return;
      after = rows[rows.length - 1]!.order_id;
    }
  }

  private async merge(row: HistoryRow): Promise<void> {
    if (row.record_events !== null && row.record_events >= row.history_events) return;
    const history = JSON.parse(
      unseal(row.history, row.history_sha256, `the archived history of order ${row.order_id}`),
    ) as unknown;
    const record =
      row.record && row.record_sha256
        ? (JSON.parse(
            unseal(row.record, row.record_sha256, `the archived record of order ${row.order_id}`),
          ) as Record<string, unknown>)
        : { orderId: row.order_id };
    const { data, sha256 } = seal(JSON.stringify({ ...record, history }));
    await this.execute(
      `insert into order_archives (order_id, record, sha256, events) values (?, ?, ?, ?)
       on conflict (order_id) do update set record = excluded.record, sha256 = excluded.sha256,
         events = excluded.events`,
      [row.order_id, data, sha256, row.history_events],
    );
  }

  override async down(): Promise<void> {
    await this.execute(`create table "order_histories" (
      "order_id" uuid primary key references "orders" ("id"),
      "history" bytea not null,
      "sha256" text not null,
      "events" int not null,
      "archived_at" timestamptz not null default now());`);
    for await (const row of this.inBatches<{
      order_id: string;
      record: Buffer;
      sha256: string;
      archived_at: Date;
    }>(`select order_id, record, sha256, archived_at from order_archives`)) {
      const { history } = JSON.parse(
        unseal(row.record, row.sha256, `the archived record of order ${row.order_id}`),
      ) as { history: { events?: unknown[] } };
      const { data, sha256 } = seal(JSON.stringify(history));
      await this.execute(
        `insert into order_histories (order_id, history, sha256, events, archived_at) values (?, ?, ?, ?, ?)`,
        [row.order_id, data, sha256, history.events?.length ?? 0, row.archived_at],
      );
    }
  }
}
