import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../../domain/order';
import type { ImportProblem, PlannedOrder } from '../../domain/order-import';
import { isUuid } from './ids';
import { arrayLiteral, sqlOf } from './sql';

export type ImportStatus = 'previewed' | 'committing' | 'committed';

/** What became of one order of an import at commit. */
export interface ImportResult {
  externalRef: string;
  orderId: string | null;
  number: string | null;
  /** False when an order with this reference already existed (an earlier import of the same file). */
  created: boolean;
  /** Why the order could not be created (the catalogue or the customer changed since the preview). */
  error: string | null;
}

/** An order ready to create: its customer resolved to an id, its lines checked against the catalogue. */
export interface ImportOrder extends Omit<PlannedOrder, 'customer'> {
  customerId: string;
}

export interface NewImport {
  id: string;
  fileName: string;
  rows: number;
  valid: number;
  errors: ImportProblem[];
  orders: ImportOrder[];
  createdBy: Actor;
}

export interface StoredImport extends NewImport {
  status: ImportStatus;
  results: ImportResult[];
  createdAt: Date;
  committedAt: Date | null;
  finishedAt: Date | null;
}

interface ImportRow {
  id: string;
  status: ImportStatus;
  file_name: string;
  rows: number;
  valid: number;
  errors: ImportProblem[];
  orders: ImportOrder[];
  results: ImportResult[];
  created_by: Actor;
  created_at: string;
  committed_at: string | null;
  finished_at: string | null;
}

/** Raw SQL answers timestamps as text. */
const dateOrNull = (value: string | null) => (value === null ? null : new Date(value));

const stored = (row: ImportRow): StoredImport => ({
  id: row.id,
  status: row.status,
  fileName: row.file_name,
  rows: row.rows,
  valid: row.valid,
  errors: row.errors,
  orders: row.orders,
  results: row.results,
  createdBy: row.created_by,
  createdAt: new Date(row.created_at),
  committedAt: dateOrNull(row.committed_at),
  finishedAt: dateOrNull(row.finished_at),
});

/** How a customer column's value resolved: to one customer, or to none or several. */
export type CustomerMatch = { id: string } | { problem: 'unknown' | 'ambiguous' };

/**
 * Order imports (table `order_imports`): a file's checked preview, and what its commit did. Orders themselves
 * are never written here; the commit creates them through the order workflow.
 */
export class ImportRepository {
  constructor(private readonly em: EntityManager) {}

  /** Stores a preview in one statement: it exists whole or not at all. */
  async create(data: NewImport): Promise<void> {
    await sqlOf(this.em)(
      `insert into order_imports (id, status, file_name, rows, valid, errors, orders, created_by)
       values (?, 'previewed', ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb)`,
      [
        data.id,
        data.fileName,
        data.rows,
        data.valid,
        JSON.stringify(data.errors),
        JSON.stringify(data.orders),
        JSON.stringify(data.createdBy),
      ],
    );
  }

  /** The import, or null for an unknown or malformed id. */
  async find(id: string): Promise<StoredImport | null> {
    if (!isUuid(id)) return null;
    const [row] = await sqlOf(this.em)<ImportRow[]>(`select * from order_imports where id = ?`, [id]);
    return row ? stored(row) : null;
  }

  /**
   * Marks the import as committing (once: a second commit of a committing or committed import changes
   * nothing) and answers it, or null when unknown.
   */
  async startCommit(id: string, actor: Actor): Promise<StoredImport | null> {
    if (!isUuid(id)) return null;
    await sqlOf(this.em)(
      `update order_imports set status = 'committing', committed_by = ?::jsonb, committed_at = now()
        where id = ? and status = 'previewed'`,
      [JSON.stringify(actor), id],
    );
    return this.find(id);
  }

  /** Adds what became of some orders. */
  async addResults(id: string, results: ImportResult[]): Promise<void> {
    if (results.length === 0) return;
    await sqlOf(this.em)(`update order_imports set results = results || ?::jsonb where id = ?`, [
      JSON.stringify(results),
      id,
    ]);
  }

  async finish(id: string): Promise<void> {
    await sqlOf(this.em)(
      `update order_imports set status = 'committed', finished_at = now() where id = ? and status = 'committing'`,
      [id],
    );
  }

  /** Imports whose commit had begun when the process stopped, with who committed them. */
  async unfinished(): Promise<{ id: string; committedBy: Actor }[]> {
    const rows = await sqlOf(this.em)<{ id: string; committed_by: Actor }[]>(
      `select id, committed_by from order_imports where status = 'committing' order by committed_at`,
    );
    return rows.map((row) => ({ id: row.id, committedBy: row.committed_by }));
  }

  /**
   * Resolves the customer column's values: a customer id, or an e-mail address (case-insensitive) that
   * exactly one customer has.
   */
  async matchCustomers(values: readonly string[]): Promise<Map<string, CustomerMatch>> {
    const ids = values.filter(isUuid);
    const emails = [...new Set(values.filter((value) => !isUuid(value)).map((value) => value.toLowerCase()))];
    const byId = ids.length
      ? await sqlOf(this.em)<{ id: string }[]>(`select id from customers where id = any(?::uuid[])`, [
          arrayLiteral(ids),
        ])
      : [];
    const byEmail = emails.length
      ? await sqlOf(this.em)<{ email: string; ids: string[] }[]>(
          `select lower(email) as email, array_agg(id::text) as ids from customers
            where lower(email) = any(?::text[]) group by lower(email)`,
          [arrayLiteral(emails)],
        )
      : [];
    const known = new Set(byId.map((row) => row.id));
    const emailIds = new Map(byEmail.map((row) => [row.email, row.ids]));
    return new Map(
      values.map((value): [string, CustomerMatch] => {
        if (isUuid(value)) return [value, known.has(value) ? { id: value } : { problem: 'unknown' }];
        const found = emailIds.get(value.toLowerCase()) ?? [];
        if (found.length === 1) return [value, { id: found[0]! }];
        return [value, { problem: found.length === 0 ? 'unknown' : 'ambiguous' }];
      }),
    );
  }
}
