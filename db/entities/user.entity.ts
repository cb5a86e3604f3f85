import { OptionalProps } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { randomUUID } from 'node:crypto';

import { DEFAULT_EMAIL_PREFERENCE, type EmailPreference } from '../../domain/notifications';
import type { Language, Role } from '../../domain/people';
export { ROLES, isRole, type Role } from '../../domain/people';

@Entity({ tableName: 'users' })
export class User {
  [OptionalProps]?:
    | 'createdAt'
    | 'updatedAt'
    | 'disabled'
    | 'email'
    | 'language'
    | 'tokenVersion'
    | 'emailNotifications'
    | 'lastDigestAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text', unique: true })
  username!: string;

  @Property({ type: 'text' })
  displayName!: string;

  @Property({ type: 'text', nullable: true })
  email: string | null = null;

  /** scrypt, with its parameters and salt; never leaves the repository layer except for verification. */
  @Property({ type: 'text', hidden: true })
  passwordHash!: string;

  @Property({ type: 'text[]' })
  roles!: Role[];

  /** The language of the user's notifications. */
  @Property({ type: 'text' })
  language: Language = 'zh-CN';

  /** Which notifications also reach them by e-mail (the in-app inbox has them all). */
  @Property({ type: 'text' })
  emailNotifications: EmailPreference = DEFAULT_EMAIL_PREFERENCE;

  /** The end of the period their last daily digest covered. */
  @Property({ type: 'timestamptz', nullable: true })
  lastDigestAt: Date | null = null;

  @Property({ type: 'boolean' })
  disabled: boolean = false;

  /** Bumped when the password, roles or `disabled` change: every token of an older version stops working. */
  @Property({ type: 'integer' })
  tokenVersion: number = 0;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
