import { Injectable } from '@nestjs/common';
import {
  FeedbackRepository,
  InvalidCursorError,
  OrderRepository,
  type Feedback,
  type Page,
} from '../../db/repositories';
import type { Actor } from '../../domain/order';
import type { CreateFeedbackDto, FeedbackQueryDto } from '../dtos/feedback.dto';
import { invalidField, notFound } from '../errors/domain.error';

/** Feedback from anyone signed in; managers read it and mark it handled. */
@Injectable()
export class FeedbackService {
  constructor(
    private readonly feedback: FeedbackRepository,
    private readonly orders: OrderRepository,
  ) {}

  /** Records a message, optionally rated and about an order (which must exist). */
  async create(dto: CreateFeedbackDto, actor: Actor): Promise<Feedback> {
    if (dto.orderId !== undefined && !(await this.orders.findById(dto.orderId))) {
      throw invalidField('orderId', `names an unknown order ${JSON.stringify(dto.orderId)}`);
    }
    return this.feedback.create({
      author: actor,
      message: dto.message,
      rating: dto.rating ?? null,
      orderId: dto.orderId ?? null,
    });
  }

  /** Newest first; filter by handled, rating, order. */
  async list(query: FeedbackQueryDto): Promise<Page<Feedback>> {
    try {
      return await this.feedback.list(query);
    } catch (error) {
      if (error instanceof InvalidCursorError) throw invalidField('cursor', error.message);
      throw error;
    }
  }

  /** Marks it handled, audited; marking it again changes nothing. */
  async markHandled(id: string, actor: Actor): Promise<Feedback> {
    const result = await this.feedback.markHandled(id, actor);
    if (!result) throw notFound('feedback', id);
    return result.feedback;
  }
}
