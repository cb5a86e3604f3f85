import { isUuid } from './ids';
import { IsolationLevel } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  CorruptArchiveError,
  KEYED_SEAL_VERSION,
  keyedSeal,
  seal,
  sealMatches,
  unseal,
  type SealKey,
} from './sealed';
import { sqlOf } from './sql';

/** What PostgreSQL holds about one order, as stored: the parts of its permanent record besides the history. */
export interface OrderRecordParts {
  order: Record<string, unknown> & { snapshot: { approvals?: unknown; shipment?: unknown } };
  lines: Record<string, unknown>[];
  payments: Record<string, unknown>[];
  notifications: Record<string, unknown>[];
  deliveries: Record<string, unknown>[];
  /** The order's returns, each with its events and credit note (null before its refund). */
  returns: (Record<string, unknown> & { id: string })[];
}

export interface ArchivedOrder {
  orderId: string;
  sha256: string;
  events: number;
  archivedAt: string;
  /** 2: keyed seal checked; 1: archived before keyed seals, its checksum alone checked. */
  sealVersion: number;
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
 * The one permanent record of finished orders, written by the order's workflow as its last step (and again
 * when one of its returns ends): order, lines, payments, shipment, approvals, notifications, deliveries,
 * returns and the workflow histories in one JSON document, gzip-compressed, with the SHA-256 of the JSON and a keyed seal over both (see the migration
 * `archive_seal`). Rows are only ever added: a fuller record is a new row, and the newest is the record.
 * The audit trail reads it once Temporal has removed the workflow.
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
          returns: await sql(
            `select r.id, r.number, r.status, r.resolution, r.snapshot, r.version, r.created_at, r.updated_at,
                    (select coalesce(json_agg(e order by e.version), '[]'::json)
                       from order_return_events e where e.return_id = r.id) as events,
                    (select row_to_json(c) from credit_notes c where c.return_id = r.id) as credit_note
               from order_returns r where r.order_id = ? order by r.created_at, r.id`,
            [orderId],
          ),
        };
      },
      { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true },
    );
  }

  /**
   * Stores the record sealed with `key`; a record of the same length already stored stays as it is (the
   * archive ran again), a fuller one is added beside the shorter one.
   */
  async save(orderId: string, json: string, events: number, key: SealKey): Promise<void> {
    const { data, sha256 } = seal(json);
    await sqlOf(this.em)(
      `insert into order_archives (order_id, record, sha256, events, seal) values (?, ?, ?, ?, ?)
       on conflict (order_id, events) do nothing`,
      [orderId, data, sha256, events, keyedSeal(key, orderId, events, sha256)],
    );
  }

  /**
   * The order's record (its newest), checked against its checksum and, from version 2 on, its seal under
   * one of `keys`; CorruptArchiveError when it fails either; null when the order is not archived.
   */
  async find(orderId: string, keys: readonly SealKey[]): Promise<ArchivedOrder | null> {
    if (!isUuid(orderId)) return null;
    const [row] = await sqlOf(this.em)<
      {
        record: Buffer;
        sha256: string;
        events: number;
        archived_at: Date;
        seal_version: number;
        seal: string | null;
      }[]
    >(
      `select record, sha256, events, archived_at, seal_version, seal from order_archives
        where order_id = ? order by events desc limit 1`,
      [orderId],
    );
    if (!row) return null;
    const what = `the archived record of order ${orderId}`;
    const json = unseal(row.record, row.sha256, what);
    if (
      row.seal_version !== 1 &&
      (row.seal_version !== KEYED_SEAL_VERSION ||
        !row.seal ||
        !sealMatches(keys, row.seal, orderId, row.events, row.sha256))
    ) {
      throw new CorruptArchiveError(
        `${what} does not match its seal: it was changed after it was written, or sealed with a key this server does not have`,
      );
    }
    return {
      orderId,
      sha256: row.sha256,
      events: row.events,
      archivedAt: new Date(row.archived_at).toISOString(),
      sealVersion: row.seal_version,
      json,
    };
  }
}
