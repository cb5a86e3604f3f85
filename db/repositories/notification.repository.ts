import type { EntityManager } from '@mikro-orm/postgresql';
import { NotificationEntity, User, type Role } from '../entities';
import { isUuid } from './ids';
import type { EmailPreference } from '../../domain/notifications';
import type { Language } from '../../domain/people';

export interface Recipient {
  id: string;
  username: string;
  email: string | null;
  language: Language;
  /** Which notifications also reach them by e-mail. */
  emailNotifications: EmailPreference;
  roles: Role[];
}

/** A member of staff who gets the daily digest. */
export interface DigestReader {
  id: string;
  username: string;
  displayName: string;
  email: string;
  language: Language;
  /** The end of the period their last digest covered; null before the first. */
  lastDigestAt: Date | null;
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
    // No one asked for (no holder, nobody away): no query.
    if (roles.length === 0 && usernames.length === 0) return [];
    const users = await this.em.find(
      User,
      { disabled: false, $or: [{ roles: { $overlap: roles } }, { username: { $in: usernames } }] },
      { orderBy: { username: 'asc' } },
    );
    return users.map(({ id, username, email, language, emailNotifications, roles: held }) => ({
      id,
      username,
      email,
      language,
      emailNotifications,
      roles: held,
    }));
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

  /** Enabled users who chose the daily digest and have an e-mail address. */
  async digestReaders(): Promise<DigestReader[]> {
    const users = await this.em.find(
      User,
      { disabled: false, emailNotifications: 'digest', email: { $ne: null } },
      { orderBy: { username: 'asc' } },
    );
    return users.map(({ id, username, displayName, email, language, lastDigestAt }) => ({
      id,
      username,
      displayName,
      email: email!,
      language,
      lastDigestAt,
    }));
  }

  /**
   * What reached the user's inbox after `from` up to and including `through`, oldest first: the first
   * `limit` of them and how many there are.
   */
  async between(
    recipientId: string,
    from: Date,
    through: Date,
    limit: number,
  ): Promise<{ items: NotificationRow[]; total: number }> {
    const where = { recipientId, createdAt: { $gt: from, $lte: through } };
    const [rows, total] = await this.em.findAndCount(NotificationEntity, where, {
      orderBy: { createdAt: 'asc', id: 'asc' },
      limit,
    });
    return { items: rows.map(toNotification), total };
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
