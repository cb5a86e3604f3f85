import { LockMode, type FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../../domain/order';
import { FeedbackEntity, type PersonRef } from '../entities';
import { AuditRepository } from './audit.repository';
import { isUuid } from './ids';
import { newestFirst, pageOf, type Page } from './pagination';

export interface Feedback {
  id: string;
  author: PersonRef;
  message: string;
  rating: number | null;
  orderId: string | null;
  createdAt: string;
  handledAt: string | null;
  handledBy: PersonRef | null;
  channel: 'console' | 'email';
}

export interface FeedbackFilter {
  handled?: boolean;
  rating?: number;
  orderId?: string;
  limit: number;
  cursor?: string;
}

const toFeedback = (row: FeedbackEntity): Feedback => ({
  id: row.id,
  author: row.author,
  message: row.message,
  rating: row.rating,
  orderId: row.orderId,
  createdAt: row.createdAt.toISOString(),
  handledAt: row.handledAt?.toISOString() ?? null,
  handledBy: row.handledBy,
  channel: row.channel,
});

const personOf = (actor: Actor): PersonRef => ({ id: actor.id, username: actor.username });

/** What users tell us, and whether someone has dealt with it. */
export class FeedbackRepository {
  constructor(private readonly em: EntityManager) {}

  async create(entry: {
    author: Actor;
    message: string;
    rating: number | null;
    orderId: string | null;
  }): Promise<Feedback> {
    const row = this.em.create(FeedbackEntity, { ...entry, author: personOf(entry.author) });
    await this.em.flush();
    return toFeedback(row);
  }

  /** Newest first, filtered. */
  async list(filter: FeedbackFilter): Promise<Page<Feedback>> {
    const where: FilterQuery<FeedbackEntity>[] = [];
    if (filter.handled !== undefined) where.push({ handledAt: filter.handled ? { $ne: null } : null });
    if (filter.rating !== undefined) where.push({ rating: filter.rating });
    if (filter.orderId !== undefined) where.push({ orderId: filter.orderId });
    if (filter.cursor) where.push(newestFirst.after(filter.cursor));
    const rows = await this.em.find(FeedbackEntity, where.length ? { $and: where } : {}, {
      orderBy: newestFirst.orderBy,
      limit: filter.limit + 1,
    });
    return pageOf(rows.map(toFeedback), filter.limit, (f) => [f.createdAt, f.id]);
  }

  /**
   * Marks the feedback handled and records who did it in the audit log, in one transaction. Null for an
   * unknown id; the row unchanged when it was handled already.
   */
  async markHandled(id: string, actor: Actor): Promise<{ feedback: Feedback; changed: boolean } | null> {
    if (!isUuid(id)) return null;
    return this.em.transactional(async (em) => {
      const row = await em.findOne(FeedbackEntity, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!row) return null;
      const before = toFeedback(row);
      if (row.handledAt) return { feedback: before, changed: false };
      em.assign(row, { handledAt: new Date(), handledBy: personOf(actor) });
      await em.flush();
      const feedback = toFeedback(row);
      await new AuditRepository(em).record({
        actor,
        action: 'feedback.handled',
        entity: 'feedback',
        entityId: id,
        before,
        after: feedback,
      });
      return { feedback, changed: true };
    });
  }
}
