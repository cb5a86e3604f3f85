/**
 * Deliveries of e-mails and webhook calls: starting the workflow that sends each planned one, and the
 * activities that workflow runs (one attempt at sending, giving up).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { DeliveryRepository, WebhookRepository } from '../db/repositories';
import { DELIVERY_WORKFLOW, deliveryStart } from '../workflows/notification.definitions';
import { type DeliveryStatus } from '../domain/notifications';
import { WebhookCallError, postWebhook, type Mailer } from './delivery.transports';

export interface DeliveryActivityDeps {
  em: () => EntityManager;
  /** Starts the workflow that sends each e-mail or webhook call. */
  client: Client;
  /** The task queue delivery workflows start on: the worker's own (OMS_TASK_QUEUE). */
  taskQueue: string;
  /** Null when no SMTP server is configured: then nobody is e-mailed. */
  mailer: Mailer | null;
  delivery: { attempts: number; retryIntervalMs: number };
  /** Internal hosts webhooks may reach nonetheless (OMS_WEBHOOK_ALLOWED_HOSTS). */
  webhookAllowedHosts: readonly string[];
}

/** The error recorded on a delivery: the transports' own safe wording, never a raw network error. */
function errorText(error: unknown): string {
  if (error instanceof WebhookCallError || error instanceof ApplicationFailure) return error.message;
  return 'sending failed';
}

/** Starts the sending workflow of each delivery; one already started (a retried activity) is left alone. */
export async function startDeliveries(
  deps: Pick<DeliveryActivityDeps, 'client' | 'taskQueue' | 'delivery'>,
  deliveryIds: string[],
): Promise<void> {
  for (const deliveryId of deliveryIds) {
    try {
      await deps.client.workflow.start(DELIVERY_WORKFLOW, {
        ...deliveryStart(deps.taskQueue, deliveryId, deps.delivery.attempts, deps.delivery.retryIntervalMs),
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  }
}

/** The activities of the delivery workflow. */
export function createDeliveryActivities(deps: DeliveryActivityDeps) {
  return {
    /**
     * One attempt at sending a planned e-mail or webhook call. Each attempt is recorded (`sending`, with the
     * attempt count) before anything leaves. An attempt that finds the previous one still `sending` knows it
     * died mid-send: a webhook call is made again (receivers deduplicate by `X-OMS-Delivery`), an e-mail is
     * not, because it may have reached the person already; it is marked `unconfirmed` for someone to check.
     */
    async sendDelivery({ deliveryId }: { deliveryId: string }): Promise<DeliveryStatus> {
      const deliveries = new DeliveryRepository(deps.em());
      const claim = await deliveries.claim(deliveryId);
      if (claim.state === 'settled') return claim.delivery.status;
      const { delivery } = claim;
      const recordOutcome = (status: 'retrying' | 'sent' | 'unconfirmed', error: string | null) =>
        deliveries.recordOutcome(deliveryId, delivery.attempts, status, error);
      if (claim.interrupted && delivery.channel === 'email') {
        await recordOutcome(
          'unconfirmed',
          'an earlier attempt stopped in the middle of sending; not sent again so that nobody receives it twice',
        );
        return 'unconfirmed';
      }
      try {
        if (delivery.channel === 'email') {
          if (!deps.mailer)
            throw ApplicationFailure.nonRetryable('no SMTP server is configured (OMS_SMTP_URL)');
          await deps.mailer.send({
            to: delivery.address,
            subject: delivery.subject ?? '',
            text: delivery.textBody ?? '',
            html: delivery.htmlBody ?? '',
            messageId: `<${delivery.id}@oms.local>`,
          });
        } else {
          const secret = delivery.webhookId
            ? await new WebhookRepository(deps.em()).secretOf(delivery.webhookId)
            : null;
          if (!secret) throw ApplicationFailure.nonRetryable('the webhook no longer exists');
          await postWebhook({
            url: delivery.address,
            secret,
            body: JSON.stringify(delivery.payload),
            deliveryId: delivery.id,
            kind: delivery.kind,
            allowedHosts: deps.webhookAllowedHosts,
          });
        }
      } catch (error) {
        await recordOutcome('retrying', errorText(error));
        throw error;
      }
      await recordOutcome('sent', null);
      return 'sent';
    },

    /** Marks a delivery failed for good once its attempts are used up, with the last error. */
    async giveUpDelivery({ deliveryId, error }: { deliveryId: string; error: string }): Promise<void> {
      await new DeliveryRepository(deps.em()).fail(deliveryId, error);
    },
  };
}
