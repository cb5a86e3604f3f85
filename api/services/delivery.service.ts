import { Injectable } from '@nestjs/common';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { AppConfig } from '../../config/config';
import { DeliveryRepository, type Delivery, type Page } from '../../db/repositories';
import { DELIVERY_WORKFLOW, deliveryStart } from '../../workflows/notification.definitions';
import type { Actor } from '../../domain/order';
import type { DeliveryDto, DeliveryQueryDto } from '../dtos/delivery.dto';
import { DomainError, notFound } from '../errors/domain.error';

/**
 * A delivery as the API shows it to this person: the bodies and the webhook's id stay inside, and a webhook's
 * URL is shown whole to admins only, who register webhooks. Its path and query often carry the receiver's
 * token (as in Slack's or Teams' hook URLs); everyone else sees its origin, enough to tell receivers apart.
 */
function toDto(
  { textBody: _text, htmlBody: _html, payload: _payload, webhookId: _id, ...d }: Delivery,
  viewer: Actor,
): DeliveryDto {
  if (d.channel !== 'webhook' || viewer.roles.includes('admin')) return d;
  return { ...d, address: originOf(d.address) };
}

function originOf(url: string): string {
  try {
    return `${new URL(url).origin}/…`;
  } catch {
    return '…';
  }
}

@Injectable()
export class DeliveryService {
  constructor(
    private readonly config: AppConfig,
    private readonly temporal: Client,
    private readonly deliveries: DeliveryRepository,
  ) {}

  /** E-mails and webhook calls with their delivery state, newest first. */
  async list(query: DeliveryQueryDto, viewer: Actor): Promise<Page<DeliveryDto>> {
    const page = await this.deliveries.list(query);
    return { items: page.items.map((delivery) => toDto(delivery, viewer)), nextCursor: page.nextCursor };
  }

  /**
   * Sends a failed or unconfirmed delivery again, on a person's decision (an unconfirmed e-mail may have
   * arrived already, which is why the system never resends it by itself). 409 for any other status.
   */
  async resend(id: string, actor: Actor): Promise<DeliveryDto> {
    const outcome = await this.deliveries.reopen(id, actor);
    if (!outcome) throw notFound('delivery', id);
    // A resend that committed but could not start its workflow (Temporal was unreachable: the caller got a
    // 503) left the delivery pending with its previous run closed; repeating the request finishes it.
    const unfinished = !outcome.reopened && (await this.resendUnfinished(outcome.delivery));
    if (!outcome.reopened && !unfinished) {
      throw new DomainError(
        'invalid_state',
        `delivery ${id} is ${outcome.delivery.status}; only failed or unconfirmed deliveries can be sent again`,
        { status: outcome.delivery.status },
      );
    }
    const { deliveryAttempts, retryIntervalMs } = this.config.notifications;
    // The delivery's earlier workflow has closed: the same ID starts a new run.
    await this.temporal.workflow.start(DELIVERY_WORKFLOW, {
      ...deliveryStart(this.config.temporal.taskQueue, id, deliveryAttempts, retryIntervalMs),
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    });
    return toDto(outcome.delivery, actor);
  }

  /** Pending, with a closed delivery workflow: a resend whose workflow never started. */
  private async resendUnfinished(delivery: Delivery): Promise<boolean> {
    if (delivery.status !== 'pending') return false;
    const { workflowId } = deliveryStart(this.config.temporal.taskQueue, delivery.id, 1, 1);
    try {
      const described = await this.temporal.workflow.getHandle(workflowId).describe();
      return described.status.name !== 'RUNNING';
    } catch (error) {
      // No run at all: the delivery's first sending is being started by its order right now.
      if (error instanceof WorkflowNotFoundError) return false;
      throw error;
    }
  }
}
