import { createBackupActivities, type BackupActivityDeps } from './backup.activities';
import { createArchiveActivities, type ArchiveActivityDeps } from './archive.activities';
import { createCommandActivities, type CommandActivityDeps } from './command.activities';
import { createDeliveryActivities } from './delivery.activities';
import { createDigestActivities, type DigestActivityDeps } from './digest.activities';
import { createEscalationActivities, type EscalationActivityDeps } from './escalation.activities';
import { createInventoryActivities, type InventoryActivityDeps } from './inventory.activities';
import { createNotificationActivities, type NotificationActivityDeps } from './notification.activities';
import { createOrderActivities, type OrderActivityDeps } from './order.activities';
import { createPaymentActivities, type PaymentActivityDeps } from './payment.activities';
import { createQuoteActivities, type QuoteActivityDeps } from './quote.activities';
import { createRecordAndNotifyActivities } from './record-notify.activities';
import { createReturnActivities, type ReturnActivityDeps } from './return.activities';

export type ActivityDeps = OrderActivityDeps &
  InventoryActivityDeps &
  PaymentActivityDeps &
  ArchiveActivityDeps &
  NotificationActivityDeps &
  DigestActivityDeps &
  EscalationActivityDeps &
  BackupActivityDeps &
  CommandActivityDeps &
  ReturnActivityDeps &
  QuoteActivityDeps;

/** Every activity the worker registers, wired to its dependencies. */
export function createActivities(deps: ActivityDeps) {
  const orders = createOrderActivities(deps);
  const notifications = createNotificationActivities(deps);
  return {
    ...orders,
    ...createInventoryActivities(deps),
    ...createPaymentActivities(deps),
    ...createArchiveActivities(deps),
    ...notifications,
    ...createRecordAndNotifyActivities(orders, notifications),
    ...createDeliveryActivities(deps),
    ...createDigestActivities(deps),
    ...createEscalationActivities(deps),
    ...createBackupActivities(deps),
    ...createCommandActivities(deps),
    ...createReturnActivities(deps),
    ...createQuoteActivities(deps),
  };
}
