import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../../domain/order';
import { User, type Role } from '../entities';
import { createAudited, updateAudited, type Audited } from './audited';
import { isUuid } from './ids';
import { sqlOf } from './sql';
import type { EmailPreference } from '../../domain/notifications';
import type { Language } from '../../domain/people';

export interface NewUser {
  username: string;
  displayName: string;
  email: string | null;
  passwordHash: string;
  roles: Role[];
  language?: Language;
  emailNotifications?: EmailPreference;
}

export type UserChanges = Partial<
  Pick<
    User,
    'displayName' | 'email' | 'roles' | 'disabled' | 'passwordHash' | 'language' | 'emailNotifications'
  >
>;

/** Raised when a username is taken. */
export class DuplicateUsernameError extends Error {}

/** What the audit log may show of a user: never the password hash. */
const AUDITED: Audited<User> = {
  entity: 'user',
  view: ({ id, username, displayName, email, roles, disabled, language, emailNotifications }) => ({
    id,
    username,
    displayName,
    email,
    roles: [...roles],
    disabled,
    language,
    emailNotifications,
  }),
};

export class UserRepository {
  constructor(private readonly em: EntityManager) {}

  async findById(id: string): Promise<User | null> {
    if (!isUuid(id)) return null;
    return this.em.findOne(User, { id }, { refresh: true });
  }

  async findByUsername(username: string): Promise<User | null> {
    return this.em.findOne(User, { username: username.toLowerCase() }, { refresh: true });
  }

  /** Which of these usernames belong to users. */
  async existing(usernames: string[]): Promise<string[]> {
    if (usernames.length === 0) return [];
    const users = await this.em.find(User, { username: { $in: usernames } }, { fields: ['username'] });
    return users.map((user) => user.username);
  }

  /** Records that the user's digest covers everything up to `through` (never moving it back). */
  async markDigested(id: string, through: Date): Promise<void> {
    await this.em.nativeUpdate(
      User,
      { id, $or: [{ lastDigestAt: null }, { lastDigestAt: { $lt: through } }] },
      { lastDigestAt: through },
    );
  }

  async list(): Promise<User[]> {
    return this.em.find(User, {}, { orderBy: { username: 'asc' } });
  }

  /** Creates a user and records it in the audit log, in one transaction. */
  async create(data: NewUser, actor: Actor): Promise<User> {
    try {
      return await createAudited(
        this.em,
        User,
        { ...data, username: data.username.toLowerCase() },
        actor,
        AUDITED,
      );
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException)
        throw new DuplicateUsernameError(data.username);
      throw error;
    }
  }

  /**
   * Applies changes and records before and after (a password change shows only that it happened). A new
   * password, new roles or a change of `disabled` ends the user's existing tokens and sessions.
   */
  update(id: string, changes: UserChanges, actor: Actor): Promise<User | null> {
    const action = changes.passwordHash ? 'user.updated (password changed)' : 'user.updated';
    const revokes = [changes.passwordHash, changes.roles, changes.disabled].some((c) => c !== undefined);
    const alsoChange = (row: User) => {
      if (revokes) row.tokenVersion += 1;
    };
    return updateAudited(this.em, User, id, changes, actor, { ...AUDITED, action, alsoChange });
  }

  /** Creates user `admin` if there is none; returns whether it did. Safe when several instances race. */
  async createAdminIfMissing(passwordHash: string): Promise<boolean> {
    const inserted = await sqlOf(this.em)<{ id: string }[]>(
      `insert into users (id, username, display_name, password_hash, roles)
       values (gen_random_uuid(), 'admin', 'Administrator', ?, array['admin'])
       on conflict (username) do nothing returning id`,
      [passwordHash],
    );
    return inserted.length > 0;
  }
}
