import { isUuid } from './ids';
import { IsolationLevel } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { seal, unseal } from './sealed';
import { sqlOf } from './sql';

/** What PostgreSQL holds about one order, as stored: the parts of its permanent record besides the history. */
export interface OrderRecordParts {
  order: Record<string, unknown> & { snapshot: { approvals?: unknown; shipment?: unknown } };
  lines: Record<string, unknown>[];
  payments: Record<string, unknown>[];
  notifications: Record<string, unknown>[];
  deliveries: Record<string, unknown>[];
}

export interface ArchivedOrder {
  orderId: string;
  sha256: string;
  events: number;
  archivedAt: string;
  /** The record's JSON, already checked against the checksum. */
  json: string;
}

/**
 * What an archived record holds besides the order's rows: the workflow history of its last run (Temporal's
 * JSON) and, for an order that continued as new, the runs before it, oldest first.
 */
export interface ArchivedHistory {
  history: unknown;
  earlierRuns?: unknown[];
}

/**
 * The one permanent record of finished orders, written by the order's workflow as its last step: order,
 * lines, payments, shipment, approvals, notifications, deliveries and the workflow history in one JSON
 * document, gzip-compressed, with the SHA-256 of the JSON. The audit trail reads it once Temporal has
 * removed the workflow.
 */
export class OrderArchiveRepository {
  constructor(private readonly em: EntityManager) {}

  /** Reads every table's rows of the order in one snapshot of the database; null for an unknown order. */
  async collect(orderId: string): Promise<OrderRecordParts | null> {
    return this.em.transactional(
      async (em) => {
        const sql = sqlOf(em);
        const [order] = await sql<OrderRecordParts['order'][]>(`select * from orders where id = ?`, [
          orderId,
        ]);
        if (!order) return null;
        return {
          order,
          lines: await sql(`select * from order_lines where order_id = ? order by position`, [orderId]),
          payments: await sql(`select * from payments where order_id = ? order by id`, [orderId]),
          notifications: await sql(
            `select n.id, u.username as recipient, n.kind, n.title, n.body, n.created_at, n.read_at
               from notifications n join users u on u.id = n.recipient_id
              where n.order_id = ? order by n.created_at, n.id`,
            [orderId],
          ),
          deliveries: await sql(
            `select id, kind, channel, recipient, address, subject, status, attempts, last_error, created_at,
                    sent_at
               from deliveries where order_id = ? order by created_at, id`,
            [orderId],
          ),
        };
      },
      { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true },
    );
  }

  /** Stores the record, or replaces one built from a shorter history (a later, fuller archive run). */
  async save(orderId: string, json: string, events: number): Promise<void> {
    const { data, sha256 } = seal(json);
    await sqlOf(this.em)(
      `insert into order_archives (order_id, record, sha256, events) values (?, ?, ?, ?)
       on conflict (order_id) do update set record = excluded.record, sha256 = excluded.sha256,
         events = excluded.events, archived_at = now()
       where order_archives.events < excluded.events`,
      [orderId, data, sha256, events],
    );
  }

  /** The archived record, checked against its checksum; null when the order is not archived. */
  async find(orderId: string): Promise<ArchivedOrder | null> {
    if (!isUuid(orderId)) return null;
    const [row] = await sqlOf(this.em)<
      { record: Buffer; sha256: string; events: number; archived_at: Date }[]
    >(`select record, sha256, events, archived_at from order_archives where order_id = ?`, [orderId]);
    if (!row) return null;
    return {
      orderId,
      sha256: row.sha256,
      events: row.events,
      archivedAt: new Date(row.archived_at).toISOString(),
      json: unseal(row.record, row.sha256, `the archived record of order ${orderId}`),
    };
  }

  /** The archived workflow runs of the order as Temporal's JSON, oldest first; null when not archived. */
  async runs(orderId: string): Promise<unknown[] | null> {
    const archived = await this.find(orderId);
    if (!archived) return null;
    const { history, earlierRuns = [] } = JSON.parse(archived.json) as ArchivedHistory;
    return [...earlierRuns, history];
  }
}
