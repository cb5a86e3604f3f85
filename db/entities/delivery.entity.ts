import { OptionalProps } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { randomUUID } from 'node:crypto';
import type { Channel, DeliveryStatus } from '../../domain/notifications';

/**
 * An e-mail or webhook call, rendered and addressed, with where its sending stands: while it waits, a row of
 * the outbox that the delivery worker's dispatcher sends (see activities/delivery.dispatcher.ts).
 */
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
    | 'sentAt'
    | 'orderId'
    | 'destination'
    | 'nextAttemptAt'
    | 'leaseUntil'
    | 'failures';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** Order, kind, occurrence, recipient and channel: planning the same message twice adds nothing. */
  @Property({ type: 'text', unique: true })
  dedupKey!: string;

  /** Null for a message about no one order (the daily digest). */
  @Property({ type: 'uuid', nullable: true })
  orderId: string | null = null;

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

  /** `smtp` or `webhook:<host>`: whose circuit breaker it waits behind (null on deliveries settled before). */
  @Property({ type: 'text', nullable: true })
  destination: string | null = null;

  /** When a waiting delivery is due. */
  @Property({ type: 'timestamptz' })
  nextAttemptAt: Date = new Date();

  /** While `sending`: until when the dispatcher that claimed it answers for it. */
  @Property({ type: 'timestamptz', nullable: true })
  leaseUntil: Date | null = null;

  /** Failures of this delivery itself (a receiver refusing it); an unreachable destination does not count. */
  @Property({ type: 'integer' })
  failures: number = 0;

  /** Its own failures before it is marked failed, as planned (null: the sending process's setting). */
  @Property({ type: 'integer', nullable: true })
  maxAttempts: number | null = null;

  /** The wait after its first own failure, doubled after each, as planned (null: the sender's setting). */
  @Property({ type: 'integer', nullable: true })
  retryIntervalMs: number | null = null;
}
