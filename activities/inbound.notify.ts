/**
 * Telling staff that a customer's e-mail joined an order (`order.message`, docs/inbound-mail.md): through
 * the same planning as every order notification, so the order's assignee hears of it (else the kind's
 * roles), delegations apply, e-mail follows each person's preference, and webhooks of the kind are called.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { OrderRepository, type DeliveryPolicy } from '../db/repositories';
import type { JoinedMessage } from './inbound.reader';
import { createNotificationActivities } from './notification.activities';
import { mailExcerpt } from './notification.render';

export interface JoinedNoticeDeps {
  em: () => EntityManager;
  /** Whether an SMTP server is configured: without one, nobody is e-mailed (the inbox still is). */
  email: boolean;
  /** Attempts and retry wait each planned e-mail or webhook call keeps. */
  deliveryPolicy: DeliveryPolicy;
}

/**
 * The reader's `onJoined`: idempotent by the message's id (each recipient's notification and e-mail has a
 * dedup key naming it), so a reader that tells twice after dying tells each person once.
 */
export function joinedNotifier(deps: JoinedNoticeDeps): (joined: JoinedMessage) => Promise<void> {
  const notifications = createNotificationActivities({ ...deps, trackingLink: null });
  return async (joined) => {
    const order = await new OrderRepository(deps.em()).findById(joined.orderId);
    if (!order) return;
    await notifications.notifyOrder({
      kind: 'order.message',
      order: order.snapshot,
      occurrence: `mail:${joined.id}`,
      mail: { from: joined.from, subject: joined.subject, excerpt: mailExcerpt(joined.text) },
    });
  };
}
