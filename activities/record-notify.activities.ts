/**
 * A change of the order's status, recorded and told in one local activity: the order workflow's most
 * frequent pair of steps (four of them for every order: placed, processing, shipped, completed) costs one
 * step of the worker and one marker in the history instead of two.
 */
import type { NotificationKind } from '../domain/notifications';
import type { createNotificationActivities, NotifyResult } from './notification.activities';
import type { createOrderActivities, RecordOrderInput, RecordOrderResult } from './order.activities';
import { permanentFailureOf } from './permanent-failures';

export interface RecordAndNotifyInput extends RecordOrderInput {
  /** The kind of the status change, told once the order is recorded. */
  notify: NotificationKind;
}

/**
 * What `recordOrder` answers, and the notification's result; or, when the notification failed for good
 * (the order is recorded all the same), that failure's kind and message, which the workflow shows on the
 * order as the problem of its `notifyOrder` step.
 */
export type RecordAndNotifyResult = RecordOrderResult &
  ({ notified: NotifyResult } | { notifyFailed: { type: string; message: string } });

type OrderActivities = ReturnType<typeof createOrderActivities>;
type NotificationActivities = ReturnType<typeof createNotificationActivities>;

export function createRecordAndNotifyActivities(
  orders: Pick<OrderActivities, 'recordOrder'>,
  notifications: Pick<NotificationActivities, 'notifyOrder'>,
) {
  return {
    /**
     * `recordOrder`, then `notifyOrder` for the status the order entered. Each half is safe to run twice
     * (the row only moves to a newer version; each message has a dedup key), so a retry after an outage
     * repeats nothing. A failure of the notification that retrying cannot fix is answered, not raised: the
     * order is recorded, and the step that failed is the notification.
     */
    async recordOrderAndNotify({ notify, ...input }: RecordAndNotifyInput): Promise<RecordAndNotifyResult> {
      const recorded = await orders.recordOrder(input);
      try {
        return {
          ...recorded,
          notified: await notifications.notifyOrder({ kind: notify, order: input.order }),
        };
      } catch (error) {
        const failure = permanentFailureOf(error);
        if (!failure) throw error;
        return { ...recorded, notifyFailed: { type: failure.type ?? '', message: failure.message } };
      }
    },
  };
}
