import { ActivityFailure, proxyActivities } from '@temporalio/workflow';
import type * as activities from '../activities';
import type { DeliveryInput } from './notification.definitions';
import type { DeliveryStatus } from '../domain/notifications';

type Activities = ReturnType<typeof activities.createActivities>;

const { giveUpDelivery } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * Sends one e-mail or webhook call, retrying with exponential backoff; after the last attempt the delivery
 * is marked failed with its last error. Runs apart from the order's workflow, which never waits for it.
 */
export async function deliveryWorkflow(input: DeliveryInput): Promise<DeliveryStatus> {
  const { sendDelivery } = proxyActivities<Activities>({
    // Longer than the transports' own timeouts, so a hung attempt is abandoned only when its worker is gone.
    startToCloseTimeout: '20 seconds',
    retry: {
      initialInterval: input.initialIntervalMs,
      backoffCoefficient: 2,
      maximumInterval: '10 minutes',
      maximumAttempts: input.maxAttempts,
    },
  });
  try {
    return await sendDelivery({ deliveryId: input.deliveryId });
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    await giveUpDelivery({ deliveryId: input.deliveryId, error: error.cause?.message ?? error.message });
    return 'failed';
  }
}
