import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import type { Channel, DeliveryStatus } from '../../domain/notifications';

/** An e-mail or webhook call, rendered and addressed, with where its sending stands. */
@Entity({ tableName: 'deliveries' })
export class DeliveryEntity {
  [OptionalProps]?:
    | 'subject'
    | 'textBody'
    | 'htmlBody'
    | 'payload'
    | 'webhookId'
    | 'status'
    | 'attempts'
    | 'lastError'
    | 'createdAt'
    | 'updatedAt'
    | 'sentAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** Order, kind, occurrence, recipient and channel: planning the same message twice adds nothing. */
  @Property({ type: 'text', unique: true })
  dedupKey!: string;

  @Property({ type: 'uuid' })
  orderId!: string;

  @Property({ type: 'text' })
  kind!: string;

  @Property({ type: 'text' })
  channel!: Channel;

  /** Who it is for: `user:<username>`, `customer:<id>` or `webhook:<id>`. */
  @Property({ type: 'text' })
  recipient!: string;

  /** E-mail address or URL. */
  @Property({ type: 'text' })
  address!: string;

  @Property({ type: 'text', nullable: true })
  subject: string | null = null;

  @Property({ type: 'text', nullable: true })
  textBody: string | null = null;

  @Property({ type: 'text', nullable: true })
  htmlBody: string | null = null;

  @Property({ type: 'jsonb', nullable: true })
  payload: unknown = null;

  @Property({ type: 'uuid', nullable: true })
  webhookId: string | null = null;

  @Property({ type: 'text' })
  status: DeliveryStatus = 'pending';

  @Property({ type: 'integer' })
  attempts: number = 0;

  @Property({ type: 'text', nullable: true })
  lastError: string | null = null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  sentAt: Date | null = null;
}
