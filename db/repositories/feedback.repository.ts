import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../../workflows/order.definitions';
import { AuditRepository } from './audit.repository';
import { isUuid } from './ids';
import { decodeCursor, pageOf, type Page } from './pagination';
import { sqlOf } from './sql';

export interface Feedback {
  id: string;
  author: { id: string; username: string };
  message: string;
  rating: number | null;
  orderId: string | null;
  createdAt: string;
  handledAt: string | null;
  handledBy: { id: string; username: string } | null;
}

export interface FeedbackFilter {
  handled?: boolean;
  rating?: number;
  orderId?: string;
  limit: number;
  cursor?: string;
}

interface FeedbackRow {
  id: string;
  author: Feedback['author'];
  message: string;
  rating: number | null;
  order_id: string | null;
  created_at: Date;
  handled_at: Date | null;
  handled_by: Feedback['handledBy'];
}

const toFeedback = (row: FeedbackRow): Feedback => ({
  id: row.id,
  author: row.author,
  message: row.message,
  rating: row.rating,
  orderId: row.order_id,
  createdAt: new Date(row.created_at).toISOString(),
  handledAt: row.handled_at ? new Date(row.handled_at).toISOString() : null,
  handledBy: row.handled_by,
});

/** What users tell us, and whether someone has dealt with it. */
export class FeedbackRepository {
  constructor(private readonly em: EntityManager) {}

  async create(entry: { author: Actor; message: string; rating: number | null; orderId: string | null }) {
    const [row] = await sqlOf(this.em)<FeedbackRow[]>(
      `insert into feedback (author, message, rating, order_id) values (?::jsonb, ?, ?, ?) returning *`,
      [
        JSON.stringify({ id: entry.author.id, username: entry.author.username }),
        entry.message,
        entry.rating,
        entry.orderId,
      ],
    );
    return toFeedback(row!);
  }

  /** Newest first, filtered. */
  async list(filter: FeedbackFilter): Promise<Page<Feedback>> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.handled !== undefined) where.push(`handled_at is ${filter.handled ? 'not ' : ''}null`);
    if (filter.rating !== undefined) {
      where.push('rating = ?');
      params.push(filter.rating);
    }
    if (filter.orderId !== undefined) {
      where.push('order_id = ?');
      params.push(filter.orderId);
    }
    if (filter.cursor) {
      const [createdAt, id] = decodeCursor(filter.cursor, 'time');
      // The cursor carries milliseconds; compare at that precision so no row repeats across pages.
      where.push(`(date_trunc('milliseconds', created_at), id) < (?::timestamptz, ?::uuid)`);
      params.push(createdAt, id);
    }
    const rows = await sqlOf(this.em)<FeedbackRow[]>(
      `select * from feedback ${where.length ? `where ${where.join(' and ')}` : ''}
        order by date_trunc('milliseconds', created_at) desc, id desc limit ?`,
      [...params, filter.limit + 1],
    );
    return pageOf(rows.map(toFeedback), filter.limit, (f) => [f.createdAt, f.id]);
  }

  /**
   * Marks the feedback handled and records who did it in the audit log, in one transaction. Null for an
   * unknown id; the row unchanged when it was handled already.
   */
  async markHandled(id: string, actor: Actor): Promise<{ feedback: Feedback; changed: boolean } | null> {
    if (!isUuid(id)) return null;
    return this.em.transactional(async (em) => {
      const [before] = await sqlOf(em)<FeedbackRow[]>(`select * from feedback where id = ? for update`, [id]);
      if (!before) return null;
      if (before.handled_at) return { feedback: toFeedback(before), changed: false };
      const [after] = await sqlOf(em)<FeedbackRow[]>(
        `update feedback set handled_at = now(), handled_by = ?::jsonb where id = ? returning *`,
        [JSON.stringify({ id: actor.id, username: actor.username }), id],
      );
      const feedback = toFeedback(after!);
      await new AuditRepository(em).record({
        actor,
        action: 'feedback.handled',
        entity: 'feedback',
        entityId: id,
        before: toFeedback(before),
        after: feedback,
      });
      return { feedback, changed: true };
    });
  }
}
