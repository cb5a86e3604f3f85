import type { EntityManager } from '@mikro-orm/postgresql';
import type { Role } from '../entities';
import { isUuid } from './ids';
import { sqlOf } from './sql';
import type { Language } from '../../workflows/people.definitions';

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

interface Row {
  id: string;
  kind: string;
  order_id: string;
  title: string;
  body: string;
  created_at: Date;
  read_at: Date | null;
}

const toNotification = (row: Row): NotificationRow => ({
  id: row.id,
  kind: row.kind,
  orderId: row.order_id,
  title: row.title,
  body: row.body,
  createdAt: new Date(row.created_at).toISOString(),
  readAt: row.read_at ? new Date(row.read_at).toISOString() : null,
});

/** The in-app inbox. */
export class NotificationRepository {
  constructor(private readonly em: EntityManager) {}

  /** Enabled users holding any of these roles or named here, each once. */
  async recipients(roles: Role[], usernames: string[] = []): Promise<Recipient[]> {
    return sqlOf(this.em)<Recipient[]>(
      `select id, username, email, language from users
        where not disabled and (roles && ?::text[] or username = any(?::text[])) order by username`,
      [`{${roles.join(',')}}`, `{${usernames.map((u) => JSON.stringify(u)).join(',')}}`],
    );
  }

  /** Adds notifications, skipping any whose dedup key was delivered before. Returns how many were new. */
  async deliver(notifications: NewNotification[]): Promise<number> {
    let delivered = 0;
    for (const n of notifications) {
      const rows = await sqlOf(this.em)<{ id: string }[]>(
        `insert into notifications (recipient_id, kind, order_id, title, body, dedup_key) values (?, ?, ?, ?, ?, ?)
         on conflict (dedup_key) do nothing returning id`,
        [n.recipientId, n.kind, n.orderId, n.title, n.body, n.dedupKey],
      );
      delivered += rows.length;
    }
    return delivered;
  }

  /** The user's inbox, newest first. */
  async inbox(recipientId: string, unreadOnly: boolean, limit: number): Promise<NotificationRow[]> {
    const rows = await sqlOf(this.em)<Row[]>(
      `select id, kind, order_id, title, body, created_at, read_at from notifications
        where recipient_id = ? ${unreadOnly ? 'and read_at is null' : ''} order by created_at desc, id limit ?`,
      [recipientId, limit],
    );
    return rows.map(toNotification);
  }

  /** Marks one of the user's notifications read; null when it is not theirs or does not exist. */
  async markRead(recipientId: string, id: string): Promise<NotificationRow | null> {
    if (!isUuid(id)) return null;
    const rows = await sqlOf(this.em)<Row[]>(
      `update notifications set read_at = coalesce(read_at, now()) where id = ? and recipient_id = ?
       returning id, kind, order_id, title, body, created_at, read_at`,
      [id, recipientId],
    );
    return rows[0] ? toNotification(rows[0]) : null;
  }
}
