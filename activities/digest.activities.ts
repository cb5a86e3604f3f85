/**
 * The daily digest: for each member of staff who chose `digest`, one e-mail listing what reached their inbox
 * since their last one, written to the outbox like any other e-mail.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  DeliveryRepository,
  NotificationRepository,
  UserRepository,
  type DeliveryPolicy,
} from '../db/repositories';
import { DIGEST_KIND } from '../domain/notifications';
import { DIGEST_ITEMS, renderDigest } from './notification.render';

export interface DigestActivityDeps {
  em: () => EntityManager;
  /** Whether an SMTP server is configured; without one there is nothing to send. */
  email: boolean;
  /** The time zone a digest shows times in (OMS_DIGEST_TIME_ZONE). */
  digestTimeZone: string;
  /** Attempts and retry wait the digest's e-mails keep. */
  deliveryPolicy: DeliveryPolicy;
}

const DAY_MS = 86_400_000;

/** Activities of the digest workflow. */
export function createDigestActivities(deps: DigestActivityDeps) {
  return {
    /**
     * Plans the digests of the period ending `through`, each reader in a transaction of their own: the
     * e-mail (dedup key per reader and period) and the end of the period they have been told about. A first
     * digest covers the day before; a day missed (the schedule did not run) is in the next one. Safe to run
     * again: a reader whose period is covered gets nothing more.
     */
    async planDigests({ through }: { through: string }): Promise<{ readers: number; planned: number }> {
      if (!deps.email) return { readers: 0, planned: 0 };
      const end = new Date(through);
      const readers = await new NotificationRepository(deps.em()).digestReaders();
      let planned = 0;
      for (const reader of readers) {
        const from = reader.lastDigestAt ?? new Date(end.getTime() - DAY_MS);
        if (from >= end) continue;
        planned += await deps.em().transactional(async (em) => {
          const { items, total } = await new NotificationRepository(em).between(
            reader.id,
            from,
            end,
            DIGEST_ITEMS,
          );
          let added = 0;
          if (total > 0) {
            const message = renderDigest(
              reader.language,
              reader.displayName,
              items,
              total,
              deps.digestTimeZone,
            );
            added = await new DeliveryRepository(em).plan(
              [
                {
                  dedupKey: `${DIGEST_KIND}:${reader.id}:${end.toISOString()}`,
                  orderId: null,
                  kind: DIGEST_KIND,
                  channel: 'email',
                  recipient: `user:${reader.username}`,
                  address: reader.email,
                  subject: message.subject,
                  textBody: message.text,
                  htmlBody: message.html,
                },
              ],
              deps.deliveryPolicy,
            );
          }
          await new UserRepository(em).markDigested(reader.id, end);
          return added;
        });
      }
      return { readers: readers.length, planned };
    },
  };
}
