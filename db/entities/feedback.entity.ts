import { OptionalProps } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { randomUUID } from 'node:crypto';

/** A person as feedback names them: who wrote it, who handled it. */
export interface PersonRef {
  id: string;
  username: string;
}

/** What a signed-in user told us, optionally about an order, and whether a manager has dealt with it. */
@Entity({ tableName: 'feedback' })
export class FeedbackEntity {
  [OptionalProps]?: 'rating' | 'orderId' | 'createdAt' | 'handledAt' | 'handledBy' | 'channel';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'jsonb' })
  author!: PersonRef;

  @Property({ type: 'text' })
  message!: string;

  /** 1 to 5; null when the user gave none. */
  @Property({ type: 'integer', nullable: true })
  rating: number | null = null;

  @Property({ type: 'uuid', nullable: true })
  orderId: string | null = null;

  /** Milliseconds, as pages are cut by it (the column holds no more). */
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  handledAt: Date | null = null;

  @Property({ type: 'jsonb', nullable: true })
  handledBy: PersonRef | null = null;

  /**
   * `console`: the form; `email`: a customer's message filed as feedback (docs/inbound-mail.md), whose
   * author is the sender's address (and the customer's id when known, else the message's).
   */
  @Property({ type: 'text' })
  channel: FeedbackChannel = 'console';
}

export type FeedbackChannel = 'console' | 'email';
