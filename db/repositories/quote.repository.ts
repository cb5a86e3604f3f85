import type { EntityManager } from '@mikro-orm/postgresql';
import { SYSTEM_ACTOR, type Actor, type OrderLine } from '../../domain/order';
import { QUOTE_KIND } from '../../domain/notifications';
import { OPEN_QUOTE_STATUSES, quoteStatusAt, type QuoteStatus } from '../../domain/quote';
import { AuditRepository } from './audit.repository';
import { isUuid } from './ids';
import { arrayLiteral, sqlOf, type Sql } from './sql';

/** A quote as stored, with the status it has at the moment it was read. */
export interface Quote {
  id: string;
  number: string;
  status: QuoteStatus;
  customerId: string;
  currency: string;
  lines: OrderLine[];
  total: number;
  validUntil: Date;
  notes: string | null;
  createdBy: Actor;
  createdAt: Date;
  sentAt: Date | null;
  answeredAt: Date | null;
  orderId: string | null;
}

export interface NewQuote {
  id: string;
  customerId: string;
  currency: string;
  lines: OrderLine[];
  total: number;
  validUntil: Date;
  notes: string | null;
}

/** The customer's e-mail with the quote's link, for the outbox (docs/deliveries.md). */
export interface QuoteMail {
  address: string;
  subject: string;
  text: string;
  html: string;
}

export interface QuoteFilter {
  status?: QuoteStatus | undefined;
  customerId?: string | undefined;
  limit: number;
}

interface QuoteRow {
  id: string;
  number: string;
  status: QuoteStatus;
  customer_id: string;
  currency: string;
  lines: OrderLine[];
  total: string;
  valid_until: string;
  notes: string | null;
  created_by: Actor;
  created_at: string;
  sent_at: string | null;
  answered_at: string | null;
  order_id: string | null;
}

/** Raw SQL answers timestamps as text. */
const dateOrNull = (value: string | null) => (value === null ? null : new Date(value));

const quoteOf = (row: QuoteRow, now: Date): Quote => ({
  id: row.id,
  number: row.number,
  status: quoteStatusAt(row.status, new Date(row.valid_until), now),
  customerId: row.customer_id,
  currency: row.currency,
  lines: row.lines,
  total: Number(row.total),
  validUntil: new Date(row.valid_until),
  notes: row.notes,
  createdBy: row.created_by,
  createdAt: new Date(row.created_at),
  sentAt: dateOrNull(row.sent_at),
  answeredAt: dateOrNull(row.answered_at),
  orderId: row.order_id,
});

const auditView = (quote: Quote) => ({
  number: quote.number,
  status: quote.status,
  customerId: quote.customerId,
  total: quote.total,
  currency: quote.currency,
  validUntil: quote.validUntil.toISOString(),
  orderId: quote.orderId,
});

/**
 * The writes allowed on a quote while its row is locked (`whileLocked`): each changes the row and records
 * its audit entry in the lock's transaction.
 */
export interface LockedQuote {
  accepted(orderId: string, actor: Actor): Promise<Quote>;
  declined(actor: Actor): Promise<Quote>;
  /** Writes down that the quote expired (it already reads so), audited as `quote.expired` by the system. */
  expired(): Promise<void>;
}

/** Quotes (table `quotes`); every change is audited in its own transaction. */
export class QuoteRepository {
  constructor(private readonly em: EntityManager) {}

  /** Stores a new quote, numbered `Q-<year>-<nnnnnn>`, with its audit entry. */
  async create(quote: NewQuote, actor: Actor, now = new Date()): Promise<Quote> {
    return this.em.transactional(async (em) => {
      const [row] = await sqlOf(em)<QuoteRow[]>(
        `insert into quotes (id, number, customer_id, currency, lines, total, valid_until, notes, created_by)
         values (?, 'Q-' || to_char(now(), 'YYYY') || '-' || lpad(nextval('quote_numbers')::text, 6, '0'),
           ?, ?, ?::jsonb, ?, ?, ?, ?::jsonb)
         returning *`,
        [
          quote.id,
          quote.customerId,
          quote.currency,
          JSON.stringify(quote.lines),
          quote.total,
          quote.validUntil.toISOString(),
          quote.notes,
          JSON.stringify({ id: actor.id, username: actor.username, roles: actor.roles }),
        ],
      );
      const created = quoteOf(row!, now);
      await new AuditRepository(em).record({
        actor,
        action: 'quote.created',
        entity: 'quote',
        entityId: created.id,
        before: null,
        after: auditView(created),
      });
      return created;
    });
  }

  async findById(id: string, now = new Date()): Promise<Quote | null> {
    if (!isUuid(id)) return null;
    const [row] = await sqlOf(this.em)<QuoteRow[]>(`select * from quotes where id = ?`, [id]);
    return row ? quoteOf(row, now) : null;
  }

  /** Newest first; the status filter sees an open quote past `validUntil` as `expired`, as a read does. */
  async list(filter: QuoteFilter, now = new Date()): Promise<Quote[]> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    if (filter.status === 'expired') {
      conditions.push(`(status = 'expired' or (status = any(?::text[]) and valid_until <= ?))`);
      params.push(arrayLiteral(OPEN_QUOTE_STATUSES), now.toISOString());
    } else if (filter.status !== undefined) {
      conditions.push(`status = ?`);
      params.push(filter.status);
      if (OPEN_QUOTE_STATUSES.includes(filter.status)) {
        conditions.push(`valid_until > ?`);
        params.push(now.toISOString());
      }
    }
    if (filter.customerId !== undefined) {
      if (!isUuid(filter.customerId)) return [];
      conditions.push(`customer_id = ?`);
      params.push(filter.customerId);
    }
    const where = conditions.length > 0 ? `where ${conditions.join(' and ')}` : '';
    const rows = await sqlOf(this.em)<QuoteRow[]>(
      `select * from quotes ${where} order by created_at desc, id desc limit ?`,
      [...params, filter.limit],
    );
    return rows.map((row) => quoteOf(row, now));
  }

  /**
   * Marks the quote sent and puts the customer's e-mail in the outbox, in one transaction with its audit
   * entry (and `sending`, which starts its timer), if `allowed` says yes for the quote as it is under the lock; answers the quote (sent, or as it
   * was when refused) and whether it was sent.
   */
  async send(
    id: string,
    allowed: (quote: Quote) => boolean,
    mail: (quote: Quote) => QuoteMail,
    actor: Actor,
    /** Runs before the transaction commits (the quote's timer starts here); its failure rolls it all back. */
    sending: (quote: Quote) => Promise<void> = () => Promise.resolve(),
    now = new Date(),
  ): Promise<{ quote: Quote; sent: boolean } | null> {
    return this.em.transactional(async (em) => {
      const sql = sqlOf(em);
      const current = await locked(sql, id, now);
      if (!current) return null;
      if (!allowed(current)) return { quote: current, sent: false };
      const message = mail(current);
      await sql(
        `insert into deliveries (dedup_key, order_id, kind, channel, recipient, address, subject, text_body,
           html_body, destination)
         values ('quote:' || ? || ':' || gen_random_uuid(), null, ?, 'email', ?, ?, ?, ?, ?, 'smtp')`,
        [
          id,
          QUOTE_KIND,
          `customer:${current.customerId}`,
          message.address,
          message.subject,
          message.text,
          message.html,
        ],
      );
      const [row] = await sql<QuoteRow[]>(
        `update quotes set status = 'sent', sent_at = ? where id = ? returning *`,
        [now.toISOString(), id],
      );
      const sent = quoteOf(row!, now);
      await new AuditRepository(em).record({
        actor,
        action: 'quote.sent',
        entity: 'quote',
        entityId: id,
        before: auditView(current),
        after: { ...auditView(sent), to: message.address },
      });
      await sending(sent);
      return { quote: sent, sent: true };
    });
  }

  /**
   * Runs `work` with the quote's row locked (`select … for update`) until it returns: two answers to one
   * quote, from two requests or two API processes, run one after the other, the second seeing the first's
   * outcome. Null for an unknown quote.
   */
  async whileLocked<T>(
    id: string,
    work: (quote: Quote, writes: LockedQuote) => Promise<T>,
    now = new Date(),
  ): Promise<T | null> {
    return this.em.transactional(async (em) => {
      const sql = sqlOf(em);
      const current = await locked(sql, id, now);
      if (!current) return null;
      const answer = async (status: 'accepted' | 'declined', orderId: string | null, actor: Actor) => {
        const [row] = await sql<QuoteRow[]>(
          `update quotes set status = ?, answered_at = ?, order_id = ? where id = ? returning *`,
          [status, now.toISOString(), orderId, id],
        );
        const after = quoteOf(row!, now);
        await new AuditRepository(em).record({
          actor,
          action: `quote.${status}`,
          entity: 'quote',
          entityId: id,
          before: auditView(current),
          after: auditView(after),
        });
        return after;
      };
      return work(current, {
        accepted: (orderId, actor) => answer('accepted', orderId, actor),
        declined: (actor) => answer('declined', null, actor),
        expired: async () => {
          await expireOpen(em, id, now);
        },
      });
    });
  }

  /**
   * The quote's timer has run out (`quoteExpiryWorkflow`): marks it `expired` if it is still open and due at
   * `now`, with its audit entry, in one conditional update. An accept or decline holding the row makes the
   * update wait for it and then find the quote answered.
   */
  async expireIfDue(
    id: string,
    now = new Date(),
  ): Promise<
    | { outcome: 'expired' }
    | { outcome: 'answered'; status: QuoteStatus | null }
    | { outcome: 'early'; remainingMs: number }
  > {
    return this.em.transactional(async (em) => {
      if (await expireOpen(em, id, now)) return { outcome: 'expired' as const };
      const [row] = await sqlOf(em)<Pick<QuoteRow, 'status' | 'valid_until'>[]>(
        `select status, valid_until from quotes where id = ?`,
        [id],
      );
      if (row && OPEN_QUOTE_STATUSES.includes(row.status))
        return {
          outcome: 'early' as const,
          remainingMs: new Date(row.valid_until).getTime() - now.getTime(),
        };
      return { outcome: 'answered' as const, status: row?.status ?? null };
    });
  }
}

/**
 * Writes `expired` into an open quote due at `now` (one conditional update) and audits it as done by the
 * system; answers whether it did.
 */
async function expireOpen(em: EntityManager, id: string, now: Date): Promise<boolean> {
  if (!isUuid(id)) return false;
  // The row is locked first (waiting for an accept or decline holding it, then reading what it wrote), so
  // the status before is the one this update replaces.
  const [row] = await sqlOf(em)<(QuoteRow & { stored_status: QuoteStatus })[]>(
    `with current as (select id, status from quotes where id = ? for update)
     update quotes set status = 'expired' from current
      where quotes.id = current.id and current.status = any(?::text[]) and quotes.valid_until <= ?
      returning quotes.*, current.status as stored_status`,
    [id, arrayLiteral(OPEN_QUOTE_STATUSES), now.toISOString()],
  );
  if (!row) return false;
  const after = quoteOf(row, now);
  await new AuditRepository(em).record({
    actor: SYSTEM_ACTOR,
    action: 'quote.expired',
    entity: 'quote',
    entityId: id,
    before: { ...auditView(after), status: row.stored_status },
    after: auditView(after),
  });
  return true;
}

async function locked(sql: Sql, id: string, now: Date): Promise<Quote | null> {
  if (!isUuid(id)) return null;
  const [row] = await sql<QuoteRow[]>(`select * from quotes where id = ? for update`, [id]);
  return row ? quoteOf(row, now) : null;
}
