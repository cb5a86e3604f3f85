import type { EntityManager } from '@mikro-orm/postgresql';
import { NotificationEntity, User, type Role } from '../entities';
import { isUuid } from './ids';
import type { Language } from '../../domain/people';

export interface Recipient {
  id: string;
  username: string;
  email: string | null;
  language: Language;
}

export interface NewNotification {
  recipientId: string;
  kind: string;
  orderId: string;
  title: string;
  body: string;
  /** Order, kind, occurrence, recipient and channel: a retry can never deliver twice. */
  dedupKey: string;
}

export interface NotificationRow {
  id: string;
  kind: string;
  orderId: string;
  title: string;
  body: string;
  createdAt: string;
  readAt: string | null;
}

const toNotification = (row: NotificationEntity): NotificationRow => ({
  id: row.id,
  kind: row.kind,
  orderId: row.orderId,
  title: row.title,
  body: row.body,
  createdAt: row.createdAt.toISOString(),
  readAt: row.readAt?.toISOString() ?? null,
});

/** The in-app inbox. */
export class NotificationRepository {
  constructor(private readonly em: EntityManager) {}

  /** Enabled users holding any of these roles or named here, each once. */
  async recipients(roles: Role[], usernames: string[] = []): Promise<Recipient[]> {
    const users = await this.em.find(
      User,
      { disabled: false, $or: [{ roles: { $overlap: roles } }, { username: { $in: usernames } }] },
      { orderBy: { username: 'asc' } },
    );
    return users.map(({ id, username, email, language }) => ({ id, username, email, language }));
  }

  /** Adds notifications, skipping any whose dedup key was delivered before. Returns how many were new. */
  async deliver(notifications: NewNotification[]): Promise<number> {
    if (notifications.length === 0) return 0;
    const inserted = await this.em
      .createQueryBuilder(NotificationEntity)
      .insert(notifications)
      .onConflict('dedupKey')
      .ignore()
      .execute<{ affectedRows: number }>('run');
    return inserted.affectedRows;
  }

  /** The user's inbox, newest first. */
  async inbox(recipientId: string, unreadOnly: boolean, limit: number): Promise<NotificationRow[]> {
    const rows = await this.em.find(
      NotificationEntity,
      { recipientId, ...(unreadOnly ? { readAt: null } : {}) },
      { orderBy: { createdAt: 'desc', id: 'asc' }, limit },
    );
    return rows.map(toNotification);
  }

  /** Marks one of the user's notifications read; null when it is not theirs or does not exist. */
  async markRead(recipientId: string, id: string): Promise<NotificationRow | null> {
    if (!isUuid(id)) return null;
    const row = await this.em.findOne(NotificationEntity, { id, recipientId });
    if (!row) return null;
    row.readAt ??= new Date();
    await this.em.flush();
    return toNotification(row);
  }
}
