import { OptionalProps } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { randomUUID } from 'node:crypto';

/** A URL an admin registered to receive order notifications, with the key its calls are signed with. */
@Entity({ tableName: 'webhooks' })
export class WebhookEntity {
  [OptionalProps]?: 'active' | 'createdAt' | 'description';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text' })
  url!: string;

  /** Only the activity that signs and the admin who registered it (once) see it. */
  @Property({ type: 'text', hidden: true })
  secret!: string;

  /** The kinds it receives; empty means every kind. */
  @Property({ type: 'text[]' })
  kinds!: string[];

  @Property({ type: 'text', nullable: true })
  description: string | null = null;

  @Property({ type: 'boolean' })
  active: boolean = true;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
