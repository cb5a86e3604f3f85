/**
 * The activities of the delivery workflows started before the outbox, one per e-mail or webhook call. Such
 * a workflow still running after the upgrade hands its delivery to the outbox at its next attempt and ends;
 * the delivery worker's dispatcher sends it, once (see activities/delivery.dispatcher.ts).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { ApplicationFailure } from '@temporalio/common';
import { DeliveryRepository } from '../db/repositories';
import type { DeliveryStatus } from '../domain/notifications';

export interface DeliveryActivityDeps {
  em: () => EntityManager;
}

/** The activities of the delivery workflow (workflows/delivery.workflow.ts), kept for those still running. */
export function createDeliveryActivities(deps: DeliveryActivityDeps) {
  return {
    /**
     * An attempt of a delivery workflow: the delivery stays in the outbox, whose dispatcher sends it (given
     * its destination if it has none yet). Answers the delivery's status, with which the workflow ends.
     */
    async sendDelivery({ deliveryId }: { deliveryId: string }): Promise<DeliveryStatus> {
      const status = await new DeliveryRepository(deps.em()).handOver(deliveryId);
      if (status === null) throw ApplicationFailure.nonRetryable(`delivery ${deliveryId} does not exist`);
      return status;
    },

    /** Marks a delivery failed for good once its workflow's attempts are used up, with the last error. */
    async giveUpDelivery({ deliveryId, error }: { deliveryId: string; error: string }): Promise<void> {
      await new DeliveryRepository(deps.em()).fail(deliveryId, error);
    },
  };
}
