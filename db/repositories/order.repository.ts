import type { EntityManager } from '@mikro-orm/postgresql';
import { arrayLiteral, sqlOf, type Sql } from './sql';
import { AssignmentRuleRepository } from './assignment-rule.repository';
import type { Awaiting, FoundBeyond, OrderSnapshot, OrderStatus } from '../../domain/order';
import { isInvoiceable } from '../../domain/order.state';
import { DocumentRepository } from './document.repository';
import { Order } from '../entities';
import { isUuid } from './ids';
import { containing, isShortText, numberContaining } from './like';
import { ShipmentRepository } from './shipment.repository';
import { storable } from './storable';
import { decodeCursor, pageOf, type Page } from './pagination';
import { LEDGER_TOTALS, outcomeOf, projectOrderChange, type PreviousRow } from '../projections';

export interface OrderFilter {
  status?: OrderStatus;
  customerId?: string;
  /** Free text over order number, customer name and notes. */
  q?: string;
  awaiting?: Awaiting;
  /** Created at or after this instant (ISO 8601). */
  createdFrom?: string;
  /** Created before this instant (ISO 8601). */
  createdTo?: string;
  /** Waiting in the current stage since an instant within these bounds (from included, ISO 8601). */
  awaitingSinceFrom?: string;
  awaitingSinceTo?: string;
  /** Total within these bounds, minor units, inclusive. */
  minTotal?: number;
  maxTotal?: number;
  /** Processing with at least one shipment (true), or any other order (false). */
  partlyShipped?: boolean;
  /** The sender's own reference, of any source (see Migration20261204700000_order_intake's index). */
  externalRef?: string;
  limit: number;
  cursor?: string;
}

/** Orders as mirrored from their workflows. Only the workflow's activities write here. */
/** The stage an order was in before a mirror write moved it, and since when it waited there. */
export interface LeftStage {
  status: string;
  awaiting: string | null;
  /** When the wait in that stage began (epoch milliseconds). */
  sinceMs: number | null;
}

export interface MirrorOutcome {
  written: boolean;
  left: LeftStage | null;
  /** What the database holds of the order that the snapshot lacks (see `mirror`); null when nothing. */
  found: FoundBeyond | null;
}

/** What a list reads per order: the snapshot, and its sort key (the creation time as `toISOString()` gives it). */
const LISTED = `o.id, to_char(o.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as created_at, o.snapshot`;

interface ListedRow {
  id: string;
  created_at: string;
  snapshot: OrderSnapshot;
}

/** The list's order, cut to `limit` rows. */
const newestFirstLimit = (limit: number) => `order by o.created_at desc, o.id desc limit ${limit}`;

/** An order a search branch found, with its place in the list's order (`at`: creation, epoch ms). */
interface Hit {
  id: string;
  at: number;
}

/** Selects a Hit from rows `o` (id, created_at). */
const HIT = `o.id, (extract(epoch from o.created_at) * 1000)::float8 as at`;

/** The newest `limit` of several search branches' hits, each order once. */
function newestUnique(hits: Hit[], limit: number): Hit[] {
  const unique = [...new Map(hits.map((hit) => [hit.id, hit])).values()];
  const newestFirst = (a: Hit, b: Hit) => b.at - a.at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
  return unique.sort(newestFirst).slice(0, limit);
}

const listed = (rows: ListedRow[], limit: number): Page<OrderSnapshot> => {
  const page = pageOf(rows, limit, (row) => [row.created_at, row.id]);
  return { items: page.items.map((row) => row.snapshot), nextCursor: page.nextCursor };
};

/** `processing` with at least one shipment; never null (snapshots from before shipments have none). */
const PARTLY_SHIPPED = `(o.status = 'processing' and coalesce(jsonb_typeof(o.snapshot -> 'shipments') = 'array'
  and o.snapshot -> 'shipments' <> '[]'::jsonb, false))`;

/**
 * The list's filters as SQL conditions on `orders o`. The cursor is one row comparison, so that
 * `(created_at, id)` indexes (newest, per status, per customer) read from it straight on.
 */
function filterOf(filter: OrderFilter): { conditions: string[]; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const add = (condition: string, value: unknown) => {
    conditions.push(condition);
    params.push(value);
  };
  if (filter.status) add('o.status = ?', filter.status);
  // A malformed customer id matches nothing (`= null`), as an unknown one does.
  if (filter.customerId) add('o.customer_id = ?', isUuid(filter.customerId) ? filter.customerId : null);
  if (filter.awaiting) add('o.awaiting = ?', filter.awaiting);
  if (filter.createdFrom) add('o.created_at >= ?::timestamptz', filter.createdFrom);
  if (filter.createdTo) add('o.created_at < ?::timestamptz', filter.createdTo);
  if (filter.awaitingSinceFrom) add('o.awaiting_since >= ?::timestamptz', filter.awaitingSinceFrom);
  if (filter.awaitingSinceTo) add('o.awaiting_since < ?::timestamptz', filter.awaitingSinceTo);
  if (filter.minTotal !== undefined) add('o.total >= ?', filter.minTotal);
  if (filter.maxTotal !== undefined) add('o.total <= ?', filter.maxTotal);
  // Read from the snapshot the list shows (its `shipments`), so a row the filter finds shows them too.
  if (filter.partlyShipped !== undefined)
    conditions.push(`${filter.partlyShipped ? '' : 'not '}${PARTLY_SHIPPED}`);
  if (filter.externalRef !== undefined) add(`(o.snapshot ->> 'externalRef') = ?`, filter.externalRef);
  if (filter.cursor) {
    const [createdAt, id] = decodeCursor(filter.cursor, 'time');
    conditions.push('(o.created_at, o.id) < (?::timestamptz, ?::uuid)');
    params.push(createdAt, id);
  }
  return { conditions, params };
}

/** How far the search's cheaper steps go before it turns to an index (see search). */
export interface SearchLimits {
  /** A short text is first looked for among this many newest orders' numbers (read from an index alone)... */
  numberWindow: number;
  /** ...and among this many newest orders that have notes (their rows are read). */
  notesWindow: number;
  /** Up to this many customers matching a search, each one's newest orders are read (see byCustomerName). */
  fewCustomers: number;
}

const SEARCH_LIMITS: SearchLimits = { numberWindow: 20_000, notesWindow: 2_000, fewCustomers: 200 };

export class OrderRepository {
  /** `limits`: the defaults, except in the test that makes every path of the search reachable on few orders. */
  constructor(
    private readonly em: EntityManager,
    private readonly limits: SearchLimits = SEARCH_LIMITS,
  ) {}

  /** The order, or null for an unknown or malformed id. */
  async findById(id: string): Promise<Order | null> {
    if (!isUuid(id)) return null;
    return this.em.findOne(Order, { id }, { refresh: true });
  }

  /**
   * Newest first, filtered; `q` is matched with trigram-indexed ILIKE on number, customer name and notes.
   * Answers the orders' snapshots as stored (what the list shows) in plain SQL: building entities for a
   * page of 50 cost more than the query itself.
   */
  async list(filter: OrderFilter): Promise<Page<OrderSnapshot>> {
    if (filter.q) return this.search({ ...filter, q: filter.q });
    const { conditions, params } = filterOf(filter);
    const rows = await sqlOf(this.em)<ListedRow[]>(
      `select ${LISTED} from orders o${conditions.length ? ` where ${conditions.join(' and ')}` : ''}
        ${newestFirstLimit(filter.limit + 1)}`,
      params,
    );
    return listed(rows, filter.limit);
  }

  /** Orders counted by status and awaiting (for metrics). */
  async countByStage(): Promise<{ status: string; awaiting: string | null; count: number }[]> {
    return sqlOf(this.em)<{ status: string; awaiting: string | null; count: number }[]>(
      `select status, awaiting, count(*)::int as count from orders group by status, awaiting`,
    );
  }

  /**
   * Search as a union of three small, index-driven queries, each already cut to one page: number and notes
   * through their trigram indexes (a text shorter than a trigram: see shortTextMatches), and customer name
   * (see byCustomerName). One `OR` across the customer join instead makes PostgreSQL walk every order for a
   * rare word (seconds on a million orders).
   */
  private async search(filter: OrderFilter & { q: string }): Promise<Page<OrderSnapshot>> {
    const { conditions, params } = filterOf(filter);
    const and = conditions.map((condition) => ` and ${condition}`).join('');
    const limit = filter.limit + 1;
    const page = newestFirstLimit(limit);
    const byCustomer = await this.byCustomerName(filter.q, and, page);
    let ids: { id: string }[];
    if (isShortText(filter.q)) {
      const hits = [
        ...(await this.shortTextMatches('number', filter.q, and, params, limit)),
        ...(await this.shortTextMatches('notes', filter.q, and, params, limit)),
        ...(await sqlOf(this.em)<Hit[]>(
          `select ${HIT} from ${byCustomer.sql} o ${page}`,
          byCustomer.params(params),
        )),
      ];
      ids = newestUnique(hits, limit);
    } else {
      const number = numberContaining('o.number', filter.q);
      ids = await sqlOf(this.em)<{ id: string }[]>(
        `select id from (
           (select o.id, o.created_at from orders o where ${number.sql}${and} ${page})
           union
           (select o.id, o.created_at from orders o where o.notes ilike ?${and} ${page})
           union
           ${byCustomer.sql}
         ) o ${page}`,
        [...number.params, ...params, containing(filter.q), ...params, ...byCustomer.params(params)],
      );
    }
    const rows = ids.length
      ? await sqlOf(this.em)<ListedRow[]>(
          `select ${LISTED} from orders o where o.id = any(?::uuid[]) order by o.created_at desc, o.id desc`,
          [arrayLiteral(ids.map((row) => row.id))],
        )
      : [];
    return listed(rows, filter.limit);
  }

  /**
   * One page of orders whose `column` contains a text shorter than a trigram, newest first. A common piece
   * (`1`, `SO`) fills the page from the newest orders (`limits`), read in the list's order. A rarer one is
   * looked up in the column's `short_grams` index (one- and two-letter pieces, lower-cased; see
   * Migration20261126140000_list_indexes), and the orders found are sorted. The planner cannot tell the two
   * apart from its statistics (it walked all orders for a piece in none of them), hence the two steps; a
   * sequential scan is ruled out for the second, which would compute the pieces of every row. Checked as
   * ILIKE would (lower-cased), but not with ILIKE: the planner then also asks the trigram index, which for a
   * short text hands back every row.
   */
  private async shortTextMatches(
    column: 'number' | 'notes',
    text: string,
    and: string,
    params: unknown[],
    limit: number,
  ): Promise<Hit[]> {
    const page = newestFirstLimit(limit);
    const window =
      column === 'number'
        ? { rows: this.limits.numberWindow, where: 'true' }
        : { rows: this.limits.notesWindow, where: 'o.notes is not null' };
    const contains = `strpos(lower(o.${column}), lower(?)) > 0`;
    const recent = await sqlOf(this.em)<Hit[]>(
      `select ${HIT}
         from (select o.id, o.created_at, o.${column} from orders o where ${window.where}${and}
                ${newestFirstLimit(window.rows)}) o
        where ${contains} ${page}`,
      [...params, text],
    );
    if (recent.length === limit) return recent;
    return this.em.transactional(async (em) => {
      await sqlOf(em)(`set local enable_seqscan = off`);
      return sqlOf(em)<Hit[]>(
        `select ${HIT}
           from (select * from orders o where short_grams(o.${column}) @> array[lower(?)] offset 0) o
          where ${contains}${and} ${page}`,
        [text, text, ...params],
      );
    });
  }

  /**
   * The search's query for orders of customers whose name contains `text`, one page of them. Few such
   * customers (up to `limits.fewCustomers`): each one's newest orders from the (customer, created_at)
   * index, at most a page each. Many (a letter or a piece common in names): their orders are many, so the
   * newest orders are walked and kept when their customer matches, which stops after about a page; reading a
   * page from each of thousands of customers took seconds (2.6 s for a space on a million orders).
   */
  private async byCustomerName(
    text: string,
    and: string,
    page: string,
  ): Promise<{ sql: string; params: (filterParams: unknown[]) => unknown[] }> {
    const pattern = containing(text);
    const [counted] = await sqlOf(this.em)<{ many: boolean }[]>(
      `select count(*) > ${this.limits.fewCustomers} as many
         from (select 1 from customers c where c.name ilike ? limit ${this.limits.fewCustomers + 1}) c`,
      [pattern],
    );
    if (counted?.many)
      return {
        sql: `(select o.id, o.created_at from orders o
                where o.customer_id in (select c.id from customers c where c.name ilike ?)${and} ${page})`,
        params: (filterParams) => [pattern, ...filterParams],
      };
    return {
      sql: `(select o.id, o.created_at from customers c
               cross join lateral (select o.id, o.created_at from orders o where o.customer_id = c.id${and} ${page}) o
              where c.name ilike ?)`,
      params: (filterParams) => [...filterParams, pattern],
    };
  }

  /** Allocates the next human-friendly order number, e.g. SO-2026-000123. */
  async nextNumber(at: Date): Promise<string> {
    const [row] = await sqlOf(this.em)<{ n: string }[]>(`select nextval('order_number_seq') as n`);
    return `SO-${at.getUTCFullYear()}-${String(row!.n).padStart(6, '0')}`;
  }

  /**
   * Writes the workflow's snapshot unless the row already holds the same or a newer version, so retried
   * or reordered activity runs can never move an order backwards. In the same transaction the projections
   * fed by the write (`db/projections`: report summaries, the announcement to live views) follow it.
   * Returns whether it wrote, and the stage (status and awaiting) the order left, if it left one.
   *
   * It also answers what a run the workflow's history does not keep left behind (`found`): a row written by
   * a later run than the snapshot's yet with other content, from a workflow task that started before this
   * one (a lost one: its replacement always starts later, while a late write of the lost task itself finds a
   * newer row and is answered nothing), and the order's shipments the snapshot does not list. The workflow
   * takes them in and writes past them (`OrderRecord`).
   */
  async mirror(snapshot: OrderSnapshot): Promise<MirrorOutcome> {
    const order = storable(snapshot);
    return this.em.transactional(async (em): Promise<MirrorOutcome> => {
      const connection = sqlOf(em);
      const [previous] = await connection<
        (PreviousRow & { version: number; updatedMs: number; same: boolean })[]
      >(
        `select status, awaiting, customer_id, currency, captured, refunded, items, created_at,
                (extract(epoch from awaiting_since) * 1000)::float8 as "sinceMs", version,
                case when shipped_at is not null then true
                     when jsonb_typeof(snapshot -> 'shipments') = 'array'
                       then jsonb_array_length(snapshot -> 'shipments') > 0
                     else false end as shipped,
                (extract(epoch from updated_at) * 1000)::float8 as "updatedMs",
                (snapshot - 'version') = (?::jsonb - 'version') as same
           from orders where id = ? for update`,
        [JSON.stringify(order), order.orderId],
      );
      const held = await heldBy(connection, order.orderId);
      const ledger = { captured: Number(held.captured), refunded: Number(held.refunded) };
      const items = order.lines.reduce((sum, line) => sum + line.quantity, 0);
      const written = await connection<{ id: string }[]>(
        `insert into orders (id, number, customer_id, status, awaiting, awaiting_since, currency, total, notes,
           snapshot, carrier, tracking_number, shipped_at, completed_at, version, created_at, updated_at,
           captured, refunded, items)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         on conflict (id) do update set
           status = excluded.status, awaiting = excluded.awaiting, awaiting_since = excluded.awaiting_since,
           currency = excluded.currency, total = excluded.total, notes = excluded.notes,
           snapshot = excluded.snapshot, carrier = excluded.carrier, tracking_number = excluded.tracking_number,
           shipped_at = excluded.shipped_at, completed_at = excluded.completed_at,
           version = excluded.version, updated_at = excluded.updated_at,
           captured = excluded.captured, refunded = excluded.refunded, items = excluded.items
         where orders.version < excluded.version
         returning id`,
        [
          order.orderId,
          order.number,
          order.customerId,
          order.status,
          order.awaiting,
          order.awaitingSince,
          order.currency,
          order.total,
          order.notes,
          JSON.stringify(order),
          order.shipment?.carrier ?? null,
          order.shipment?.trackingNumber ?? null,
          order.shipment?.shippedAt ?? null,
          order.completedAt,
          order.version,
          order.createdAt,
          order.updatedAt,
          ledger.captured,
          ledger.refunded,
          items,
        ],
      );
      const shipments =
        order.status === 'created'
          ? []
          : await ShipmentRepository.besides(
              connection,
              order.orderId,
              (order.shipments ?? []).map((shipment) => shipment.id),
            );
      const overtaken =
        written.length === 0 &&
        previous !== undefined &&
        !previous.same &&
        previous.updatedMs < Date.parse(order.updatedAt);
      const found =
        overtaken || shipments.length > 0
          ? { version: overtaken ? Number(previous.version) : order.version, shipments }
          : null;
      if (written.length === 0) return { written: false, left: null, found };
      const lines = linesOf(order);
      const oldLines = held.lines ?? [];
      // Most writes move the order along and leave its lines as they were: those are not written again.
      if (!sameLines(oldLines, lines)) {
        await connection(`delete from order_lines where order_id = ?`, [order.orderId]);
        await insertLines(connection, order, lines);
      }
      await projectOrderChange(connection, { previous: previous ?? null, order, oldLines, ledger, items });
      // The order's invoice number is issued with its move into processing, in this transaction: an order
      // that shows processing has its number, and reading an invoice never writes. An order that was
      // invoiceable before numbers were issued here gets its number with its next move.
      if (isInvoiceable(order.status) && !held.invoiced)
        await new DocumentRepository(em).issueInvoice(order.orderId, new Date(order.updatedAt));
      // A new order's first write: the manager's assignment rules give it to someone at once.
      if (!previous && order.version === 1) await new AssignmentRuleRepository(em).assignNew(order);
      if (previous?.status === order.status && previous.awaiting === order.awaiting)
        return { written: true, left: null, found };
      return { written: true, left: previous ?? null, found };
    });
  }
}

/** An order line as `order_lines` keeps it (created_at aside: the order's creation time, which never changes). */
interface StoredLine {
  position: number;
  product_id: string;
  sku: string;
  name: string;
  quantity: number;
  unit_price: number;
  line_total: number;
  currency: string;
  active: boolean;
}

/**
 * What the database holds for the order besides its row, read once per mirror write after the row lock: the
 * payment ledger's totals, the stored lines (what the projections subtract), whether its invoice was issued.
 */
async function heldBy(
  connection: Sql,
  orderId: string,
): Promise<{ captured: string; refunded: string; lines: StoredLine[] | null; invoiced: boolean }> {
  const [held] = await connection<
    { captured: string; refunded: string; lines: StoredLine[] | null; invoiced: boolean }[]
  >(
    `select ledger.captured, ledger.refunded,
            (select json_agg(json_build_object('position', position, 'product_id', product_id, 'sku', sku,
                      'name', name, 'quantity', quantity, 'unit_price', unit_price, 'line_total', line_total,
                      'currency', currency, 'active', active) order by position)
               from order_lines where order_id = ?) as lines,
            exists (select 1 from invoices where order_id = ?) as invoiced
       from (select ${LEDGER_TOTALS}) ledger`,
    [orderId, orderId, orderId],
  );
  return held!;
}

/** The snapshot's lines as `order_lines` keeps them. */
function linesOf(order: OrderSnapshot): StoredLine[] {
  const active = outcomeOf(order.status) === 'active';
  return order.lines.map((line, position) => ({
    position,
    product_id: line.productId,
    sku: line.sku,
    name: line.name,
    quantity: line.quantity,
    unit_price: line.unitPrice,
    line_total: line.lineTotal,
    currency: order.currency,
    active,
  }));
}

function sameLines(stored: readonly StoredLine[], lines: readonly StoredLine[]): boolean {
  const keys = (line: StoredLine) =>
    JSON.stringify(Object.entries(line).sort(([a], [b]) => a.localeCompare(b)));
  return stored.length === lines.length && stored.every((line, index) => keys(line) === keys(lines[index]!));
}

/** The order's lines, in one statement. */
async function insertLines(
  connection: Sql,
  order: OrderSnapshot,
  lines: readonly StoredLine[],
): Promise<void> {
  if (lines.length === 0) return;
  await connection(
    `insert into order_lines (order_id, position, product_id, sku, name, quantity, unit_price, line_total,
       created_at, currency, active)
     values ${lines.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
    lines.flatMap((line) => [
      order.orderId,
      line.position,
      line.product_id,
      line.sku,
      line.name,
      line.quantity,
      line.unit_price,
      line.line_total,
      order.createdAt,
      line.currency,
      line.active,
    ]),
  );
}
