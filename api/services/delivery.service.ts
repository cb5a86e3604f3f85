import { Injectable } from '@nestjs/common';
import {
  DeliveryRepository,
  DestinationRepository,
  type Delivery,
  type DestinationView,
  type Page,
} from '../../db/repositories';
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
    private readonly deliveries: DeliveryRepository,
    private readonly destinations: DestinationRepository,
  ) {}

  /** E-mails and webhook calls with their delivery state, newest first. */
  async list(query: DeliveryQueryDto, viewer: Actor): Promise<Page<DeliveryDto>> {
    const page = await this.deliveries.list(query);
    return { items: page.items.map((delivery) => toDto(delivery, viewer)), nextCursor: page.nextCursor };
  }

  /**
   * Puts a failed or unconfirmed delivery back into the outbox, on a person's decision (an unconfirmed
   * e-mail may have arrived already, which is why the system never resends it by itself). 409 otherwise.
   */
  async resend(id: string, actor: Actor): Promise<DeliveryDto> {
    const outcome = await this.deliveries.reopen(id, actor);
    if (!outcome) throw notFound('delivery', id);
    if (!outcome.reopened) {
      throw new DomainError(
        'invalid_state',
        `delivery ${id} is ${outcome.delivery.status}; only failed or unconfirmed deliveries can be sent again`,
        { status: outcome.delivery.status },
      );
    }
    return toDto(outcome.delivery, actor);
  }

  /** Every destination with its breaker, whether it is paused, and its outbox depth and oldest wait. */
  async listDestinations(): Promise<{ items: DestinationView[] }> {
    return { items: await this.destinations.list() };
  }

  /** Pauses or resumes a destination (nothing is sent to a paused one; its deliveries wait). */
  async setPaused(id: string, paused: boolean, actor: Actor): Promise<DestinationView> {
    const outcome = await this.destinations.setPaused(id, paused, actor);
    if (!outcome) throw notFound('delivery destination', id);
    return outcome.destination;
  }
}
