import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../../workflows/order.definitions';
import { User, type Role } from '../entities';
import { AuditRepository } from './audit.repository';
import { definedOnly } from './defined';
import { isUuid } from './ids';
import { sqlOf } from './sql';

export interface NewUser {
  username: string;
  displayName: string;
  email: string | null;
  passwordHash: string;
  roles: Role[];
  language?: 'zh-CN' | 'en';
}

export type UserChanges = Partial<
  Pick<User, 'displayName' | 'email' | 'roles' | 'disabled' | 'passwordHash' | 'language'>
>;

/** Raised when a username is taken. */
export class DuplicateUsernameError extends Error {}

/** What the audit log may show of a user: never the password hash. */
function auditView(user: User) {
  const { id, username, displayName, email, roles, disabled, language } = user;
  return { id, username, displayName, email, roles: [...roles], disabled, language };
}

export class UserRepository {
  constructor(private readonly em: EntityManager) {}

  async findById(id: string): Promise<User | null> {
    if (!isUuid(id)) return null;
    return this.em.findOne(User, { id }, { refresh: true });
  }

  async findByUsername(username: string): Promise<User | null> {
    return this.em.findOne(User, { username: username.toLowerCase() }, { refresh: true });
  }

  async list(): Promise<User[]> {
    return this.em.find(User, {}, { orderBy: { username: 'asc' } });
  }

  /** Creates a user and records it in the audit log, in one transaction. */
  async create(data: NewUser, actor: Actor): Promise<User> {
    try {
      return await this.em.transactional(async (em) => {
        const user = em.create(User, { ...data, username: data.username.toLowerCase() });
        await em.flush();
        await new AuditRepository(em).record({
          actor,
          action: 'user.created',
          entity: 'user',
          entityId: user.id,
          before: null,
          after: auditView(user),
        });
        return user;
      });
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException)
        throw new DuplicateUsernameError(data.username);
      throw error;
    }
  }

  /** Applies changes and records before and after (a password change shows only that it happened). */
  async update(id: string, changes: UserChanges, actor: Actor): Promise<User | null> {
    if (!isUuid(id)) return null;
    return this.em.transactional(async (em) => {
      const user = await em.findOne(User, { id }, { lockMode: 4 /* pessimistic write */ });
      if (!user) return null;
      const before = auditView(user);
      em.assign(user, definedOnly(changes));
      await em.flush();
      await new AuditRepository(em).record({
        actor,
        action: changes.passwordHash ? 'user.updated (password changed)' : 'user.updated',
        entity: 'user',
        entityId: user.id,
        before,
        after: auditView(user),
      });
      return user;
    });
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
