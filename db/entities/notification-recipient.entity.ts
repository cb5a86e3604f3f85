import { OptionalProps } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { Role } from '../../domain/people';

/** Who hears of one notification kind: staff by role, and whether the order's customer is e-mailed. */
@Entity({ tableName: 'notification_recipients' })
export class NotificationRecipient {
  [OptionalProps]?: 'updatedAt';

  @PrimaryKey({ type: 'text' })
  kind!: string;

  @Property({ type: 'text[]' })
  roles!: Role[];

  @Property({ type: 'boolean' })
  customer!: boolean;

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
