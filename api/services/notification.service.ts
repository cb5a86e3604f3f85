import { Injectable } from '@nestjs/common';
import { NotificationRepository, type NotificationRow } from '../../db/repositories';
import type { Actor } from '../../domain/order';
import { notFound } from '../errors/domain.error';

@Injectable()
export class NotificationService {
  constructor(private readonly notifications: NotificationRepository) {}

  /** The signed-in user's inbox, newest first. */
  async inbox(actor: Actor, unreadOnly: boolean, limit: number): Promise<{ items: NotificationRow[] }> {
    return { items: await this.notifications.inbox(actor.id, unreadOnly, limit) };
  }

  /** Marks one of the user's own notifications read (404 for anyone else's). */
  async markRead(actor: Actor, id: string): Promise<NotificationRow> {
    const notification = await this.notifications.markRead(actor.id, id);
    if (!notification) throw notFound('notification', id);
    return notification;
  }
}
