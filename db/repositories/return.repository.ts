import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor, OrderSnapshot } from '../../domain/order';
import {
  returnLines,
  returnRefusal,
  shippedLines,
  type ReceivedLine,
  type ReturnEvent,
  type ReturnRefusal,
  type ReturnResolution,
  type ReturnSettings,
  type ReturnSnapshot,
  type ReturnStatus,
} from '../../domain/return';
import { MAIN_LOCATION } from '../../domain/shipment.rules';
import { projectLedger } from '../projections';
import { AuditRepository } from './audit.repository';
import { DocumentRepository, type SellerSetting } from './document.repository';
import { isUuid } from './ids';
import { PaymentRepository } from './payment.repository';
import { sqlOf, type Sql } from './sql';
import { LocationRepository } from './location.repository';
import { StockRepository } from './stock.repository';

export interface NewReturn {
  returnId: string;
  orderId: string;
  lines: { sku: string; quantity: number }[];
  reason: string;
  resolution: ReturnResolution;
  actor: Actor;
  now: Date;
}

export type ReturnCreated =
  /** `created`: false when a return of this id (an earlier request with the same key) was there already. */
  | { ok: true; snapshot: ReturnSnapshot; created: boolean }
  | { ok: false; refusal: ReturnRefusal }
  | { ok: false; refusal: null };

export interface CreditNote {
  returnId: string;
  orderId: string;
  number: string;
  amount: number;
  currency: string;
  issuedAt: string;
  seller: SellerSetting;
  taxRateBp: number;
}

interface CreditNoteRow {
  return_id: string;
  order_id: string;
  number: string;
  amount: string;
  currency: string;
  issued_at: Date;
  seller: SellerSetting;
  tax_rate_bp: number;
}

const toCreditNote = (row: CreditNoteRow): CreditNote => ({
  returnId: row.return_id,
  orderId: row.order_id,
  number: row.number,
  amount: Number(row.amount),
  currency: row.currency,
  issuedAt: new Date(row.issued_at).toISOString(),
  seller: row.seller,
  taxRateBp: row.tax_rate_bp,
});

/** Raised inside the creating transaction when the request does not fit: rolls everything back. */
class Refused extends Error {
  constructor(readonly refusal: ReturnRefusal) {
    super(refusal.message);
  }
}

const person = ({ id, username }: Pick<Actor, 'id' | 'username'>) => ({ id, username });

/**
 * Returns and their settings, events, receipts and credit notes. A return is written when it is requested,
 * in a transaction that locks its order's row: what that order has shipped and what its other returns
 * already take back are read under that lock, so two returns racing for the same units are decided one
 * after the other. Later changes come from the return's workflow, each once (by the return's version).
 */
export class ReturnRepository {
  constructor(private readonly em: EntityManager) {}

  /** The manager's return settings. */
  async settings(): Promise<ReturnSettings> {
    const [row] = await sqlOf(this.em)<{ window_days: number; customer_may_request: boolean }[]>(
      `select window_days, customer_may_request from return_settings where id = 1`,
    );
    if (!row) throw new Error('return_settings is empty: the migrations seed it');
    return { windowDays: row.window_days, customerMayRequest: row.customer_may_request };
  }

  /** Replaces the return settings and records before and after in the audit log, in one transaction. */
  async setSettings(settings: ReturnSettings, actor: Actor): Promise<ReturnSettings> {
    return this.em.transactional(async (em) => {
      const sql = sqlOf(em);
      await sql(`select 1 from return_settings where id = 1 for update`);
      const before = await new ReturnRepository(em).settings();
      await sql(
        `update return_settings set window_days = ?, customer_may_request = ?, updated_at = now() where id = 1`,
        [settings.windowDays, settings.customerMayRequest],
      );
      await new AuditRepository(em).record({
        actor,
        action: 'settings.returns_changed',
        entity: 'settings',
        entityId: 'returns',
        before,
        after: settings,
      });
      return settings;
    });
  }

  /**
   * Writes a requested return if its units fit what the order shipped, minus what its other returns (not
   * rejected) take back, within the window; then runs `start` (the workflow's start) before committing, so
   * a return is never written without its workflow. Answers the refusal, or `refusal: null` for an unknown
   * order.
   */
  async create(
    request: NewReturn,
    start: (snapshot: ReturnSnapshot) => Promise<void>,
  ): Promise<ReturnCreated> {
    if (!isUuid(request.orderId)) return { ok: false, refusal: null };
    try {
      return await this.em.transactional(async (em): Promise<ReturnCreated> => {
        const sql = sqlOf(em);
        // The order's row is the lock that serialises every return of the order.
        const [order] = await sql<{ snapshot: OrderSnapshot }[]>(
          `select snapshot from orders where id = ? for update`,
          [request.orderId],
        );
        if (!order) return { ok: false, refusal: null };
        // Asked before with the same key (the id derives from it): that return, as it is now.
        const [earlier] = await sql<{ snapshot: ReturnSnapshot }[]>(
          `select snapshot from order_returns where id = ? and order_id = ?`,
          [request.returnId, request.orderId],
        );
        if (earlier) return { ok: true, snapshot: earlier.snapshot, created: false };
        const shipped = shippedLines(order.snapshot);
        const settings = await new ReturnRepository(em).settings();
        const returned = await this.returnedUnits(sql, request.orderId);
        const refusal = returnRefusal(shipped, returned, request.lines, settings.windowDays, request.now);
        if (refusal) throw new Refused(refusal);
        const [sequence] = await sql<{ n: string }[]>(`select nextval('return_number_seq') as n`);
        const at = request.now.toISOString();
        const snapshot: ReturnSnapshot = {
          returnId: request.returnId,
          number: `RT-${request.now.getUTCFullYear()}-${String(sequence!.n).padStart(6, '0')}`,
          orderId: request.orderId,
          currency: order.snapshot.currency,
          status: 'requested',
          resolution: request.resolution,
          reason: request.reason,
          lines: returnLines(shipped, request.lines),
          received: [],
          refundedAmount: null,
          rejection: null,
          createdBy: person(request.actor),
          createdAt: at,
          updatedAt: at,
          version: 1,
        };
        await sql(
          `insert into order_returns (id, number, order_id, status, resolution, snapshot, version, created_at, updated_at)
           values (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)`,
          [
            snapshot.returnId,
            snapshot.number,
            snapshot.orderId,
            snapshot.status,
            snapshot.resolution,
            JSON.stringify(snapshot),
            snapshot.version,
            at,
            at,
          ],
        );
        for (const [position, line] of snapshot.lines.entries()) {
          await sql(
            `insert into order_return_lines (return_id, position, product_id, sku, quantity, unit_price)
             values (?, ?, ?, ?, ?, ?)`,
            [snapshot.returnId, position, line.productId, line.sku, line.quantity, line.unitPrice],
          );
        }
        await this.insertEvent(sql, {
          returnId: snapshot.returnId,
          orderId: snapshot.orderId,
          version: 1,
          kind: 'return.requested',
          actor: snapshot.createdBy,
          at,
          details: this.eventDetails(snapshot),
        });
        await start(snapshot);
        return { ok: true, snapshot, created: true };
      });
    } catch (error) {
      if (error instanceof Refused) return { ok: false, refusal: error.refusal };
      throw error;
    }
  }

  /** Units of each SKU that the order's returns (all but rejected ones) take back. */
  returnedForOrder(orderId: string): Promise<Map<string, number>> {
    if (!isUuid(orderId)) return Promise.resolve(new Map<string, number>());
    return this.returnedUnits(sqlOf(this.em), orderId);
  }

  private async returnedUnits(sql: Sql, orderId: string): Promise<Map<string, number>> {
    const rows = await sql<{ sku: string; quantity: string }[]>(
      `select l.sku, sum(l.quantity) as quantity from order_return_lines l
         join order_returns r on r.id = l.return_id
        where r.order_id = ? and r.status <> 'rejected' group by l.sku`,
      [orderId],
    );
    return new Map(rows.map((row) => [row.sku, Number(row.quantity)]));
  }

  /**
   * Mirrors the workflow's snapshot of the return and records the change as an event, unless a newer
   * version is already written (a repeated step writes nothing). A return that becomes `refunded` gets its
   * credit note in the same transaction, numbered gap-free per year.
   */
  async record(snapshot: ReturnSnapshot, event: ReturnEvent): Promise<void> {
    await this.em.transactional(async (em) => {
      const sql = sqlOf(em);
      // The return's workflow starts inside the transaction that creates its row (`create`), under the
      // order's row lock, and can record its first change (an approval within the threshold) before that
      // transaction commits: the update below would not see the row yet and write nothing. Taking the
      // order's row lock first waits for that commit.
      await sql(`select 1 from orders where id = ? for key share`, [snapshot.orderId]);
      const written = await sql<{ id: string }[]>(
        `update order_returns set status = ?, snapshot = ?::jsonb, version = ?, updated_at = ?
          where id = ? and version < ? returning id`,
        [
          snapshot.status,
          JSON.stringify(snapshot),
          snapshot.version,
          snapshot.updatedAt,
          snapshot.returnId,
          snapshot.version,
        ],
      );
      if (written.length === 0) return;
      await this.insertEvent(sql, event);
      if (snapshot.status === 'refunded' && snapshot.refundedAmount) {
        await this.issueCreditNote(em, snapshot, snapshot.refundedAmount, new Date(snapshot.updatedAt));
        // The order's workflow may have ended: its figures and the reports follow the ledger from here.
        await projectLedger(sql, snapshot.orderId);
      }
    });
  }

  private async insertEvent(sql: Sql, event: ReturnEvent): Promise<void> {
    await sql(
      `insert into order_return_events (return_id, version, order_id, kind, actor, at, details)
       values (?, ?, ?, ?, ?::jsonb, ?, ?::jsonb) on conflict do nothing`,
      [
        event.returnId,
        event.version,
        event.orderId,
        event.kind,
        JSON.stringify(person(event.actor)),
        event.at,
        JSON.stringify(event.details),
      ],
    );
  }

  /** What an event of the return shows: its number and lines, and what the change added. */
  eventDetails(snapshot: ReturnSnapshot, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      returnId: snapshot.returnId,
      number: snapshot.number,
      lines: snapshot.lines.map(({ sku, quantity }) => ({ sku, quantity })),
      ...extra,
    };
  }

  private async issueCreditNote(
    em: EntityManager,
    snapshot: ReturnSnapshot,
    amount: number,
    now: Date,
  ): Promise<void> {
    const sql = sqlOf(em);
    const year = now.getUTCFullYear();
    await sql(`insert into credit_note_counters (year, last) values (?, 0) on conflict do nothing`, [year]);
    const [counter] = await sql<{ last: number }[]>(
      `select last from credit_note_counters where year = ? for update`,
      [year],
    );
    const [issued] = await sql(`select 1 from credit_notes where return_id = ?`, [snapshot.returnId]);
    if (issued) return;
    const next = counter!.last + 1;
    await sql(`update credit_note_counters set last = ? where year = ?`, [next, year]);
    const { updatedAt: _updatedAt, ...seller } = await new DocumentRepository(em).seller();
    await sql(
      `insert into credit_notes (return_id, order_id, number, amount, currency, issued_at, seller, tax_rate_bp)
       values (?, ?, ?, ?, ?, ?, ?::jsonb, ?)`,
      [
        snapshot.returnId,
        snapshot.orderId,
        `CN-${year}-${String(next).padStart(6, '0')}`,
        amount,
        snapshot.currency,
        now,
        JSON.stringify(seller),
        seller.taxRateBp,
      ],
    );
  }

  /**
   * Records the receipt of the return's units and puts the resellable ones back on hand, in one
   * transaction, once per return (a repeated step changes nothing). Damaged units are recorded only.
   * Answers the orders waiting for stock of the products that came back, to be woken.
   */
  async receive(
    snapshot: ReturnSnapshot,
    lines: ReceivedLine[],
    by: Pick<Actor, 'id' | 'username'>,
    at: string,
    location: string = MAIN_LOCATION,
  ): Promise<string[]> {
    return this.em.transactional(async (em) => {
      const sql = sqlOf(em);
      const inserted = await sql<{ return_id: string }[]>(
        `insert into return_receipts (return_id, lines, received_at, received_by) values (?, ?::jsonb, ?, ?::jsonb)
         on conflict do nothing returning return_id`,
        [snapshot.returnId, JSON.stringify(lines), at, JSON.stringify(person(by))],
      );
      if (inserted.length === 0) return [];
      const resellable = lines.filter((line) => line.condition === 'resellable');
      if (resellable.length === 0) return [];
      const units = resellable.map(({ productId, quantity }) => ({ productId, quantity }));
      // The totals first (their rows locked), then the location's own rows: the order every stock move keeps.
      const waiting = await new StockRepository(em).restock(sql, units, {
        orderId: snapshot.orderId,
        // The reason's form is what the invariants and reports match; the location is the return's own record.
        reason: `returned with ${snapshot.number}`,
        actor: by,
      });
      await LocationRepository.receive(sql, location, units);
      return waiting;
    });
  }

  /** The return as last recorded, or null. */
  async find(id: string): Promise<ReturnSnapshot | null> {
    if (!isUuid(id)) return null;
    const [row] = await sqlOf(this.em)<{ snapshot: ReturnSnapshot }[]>(
      `select snapshot from order_returns where id = ?`,
      [id],
    );
    return row?.snapshot ?? null;
  }

  /** Returns newest first, by order and status; at most `limit`. */
  async list(filter: { orderId?: string; status?: ReturnStatus; limit: number }): Promise<ReturnSnapshot[]> {
    if (filter.orderId !== undefined && !isUuid(filter.orderId)) return [];
    const conditions: string[] = [];
    const params: unknown[] = [];
    if (filter.orderId !== undefined) {
      conditions.push('order_id = ?');
      params.push(filter.orderId);
    }
    if (filter.status !== undefined) {
      conditions.push('status = ?');
      params.push(filter.status);
    }
    const where = conditions.length > 0 ? `where ${conditions.join(' and ')}` : '';
    const rows = await sqlOf(this.em)<{ snapshot: ReturnSnapshot }[]>(
      `select snapshot from order_returns ${where} order by created_at desc, id desc limit ?`,
      [...params, filter.limit],
    );
    return rows.map((row) => row.snapshot);
  }

  /** Every change of the order's returns, oldest first: what the order's history shows of them. */
  async eventsForOrder(orderId: string): Promise<ReturnEvent[]> {
    if (!isUuid(orderId)) return [];
    const rows = await sqlOf(this.em)<
      {
        return_id: string;
        version: number;
        order_id: string;
        kind: ReturnEvent['kind'];
        actor: ReturnEvent['actor'];
        at: Date;
        details: Record<string, unknown>;
      }[]
    >(`select * from order_return_events where order_id = ? order by at, return_id, version`, [orderId]);
    return rows.map((row) => ({
      returnId: row.return_id,
      orderId: row.order_id,
      version: row.version,
      kind: row.kind,
      actor: row.actor,
      at: new Date(row.at).toISOString(),
      details: row.details,
    }));
  }

  /** What the order still holds: captured minus refunded, from the payment ledger. */
  heldForOrder(orderId: string): Promise<number> {
    return new PaymentRepository(this.em).heldForOrder(orderId);
  }

  /** The return's credit note, once it is refunded. */
  async creditNote(returnId: string): Promise<CreditNote | null> {
    if (!isUuid(returnId)) return null;
    const [row] = await sqlOf(this.em)<CreditNoteRow[]>(`select * from credit_notes where return_id = ?`, [
      returnId,
    ]);
    return row ? toCreditNote(row) : null;
  }
}
