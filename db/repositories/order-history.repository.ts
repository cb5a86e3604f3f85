import type { EntityManager } from '@mikro-orm/postgresql';
import { seal, unseal } from './sealed';
import { sqlOf } from './sql';

/** Finished orders' workflow histories (Temporal's JSON), gzip-compressed with a SHA-256 of the JSON. */
export class OrderHistoryRepository {
  constructor(private readonly em: EntityManager) {}

  /** Stores the order's history, or replaces a shorter one; a history already as long is left alone. */
  async save(orderId: string, historyJson: string, events: number): Promise<void> {
    const [stored] = await sqlOf(this.em)<{ events: number }[]>(
      `select events from order_histories where order_id = ?`,
      [orderId],
    );
    if (stored && stored.events >= events) return;
    const { data, sha256 } = seal(historyJson);
    await sqlOf(this.em)(
      `insert into order_histories (order_id, history, sha256, events) values (?, ?, ?, ?)
       on conflict (order_id) do update set history = excluded.history, sha256 = excluded.sha256,
         events = excluded.events, archived_at = now()
       where order_histories.events < excluded.events`,
      [orderId, data, sha256, events],
    );
  }

  /** The archived history JSON, checked against its checksum; null when none is archived. */
  async find(orderId: string): Promise<string | null> {
    const [row] = await sqlOf(this.em)<{ history: Buffer; sha256: string }[]>(
      `select history, sha256 from order_histories where order_id = ?`,
      [orderId],
    );
    return row ? unseal(row.history, row.sha256, `the archived history of order ${orderId}`) : null;
  }
}
