import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/config';
import { CustomerRepository, InboundRepository, type InboundItem } from '../../db/repositories';
import type { Actor } from '../../domain/order';
import type { FileInboundDto, InboundListDto, OrderMessageDto, OrderMessagesDto } from '../dtos/inbound.dto';
import { DomainError, invalidField, notFound } from '../errors/domain.error';
import { OrderService } from './order.service';

/** How many open messages the list shows at once, oldest first: staff work them down. */
const OPEN_LIST_LIMIT = 200;

/** Mail that comes in (docs/inbound-mail.md): the orders' conversations and the messages nobody matched. */
@Injectable()
export class InboundService {
  constructor(
    private readonly inbound: InboundRepository,
    private readonly customers: CustomerRepository,
    private readonly orders: OrderService,
    private readonly config: AppConfig,
  ) {}

  /** The order's conversation with its customer, oldest first (404 for an order the viewer cannot see). */
  async conversation(orderId: string, viewer: Actor): Promise<OrderMessagesDto> {
    await this.orders.get(orderId, viewer);
    return { items: await this.inbound.conversation(orderId) };
  }

  /** E-mails the order's customer, threaded on the conversation so their answer comes back to it. */
  async send(orderId: string, text: string, actor: Actor): Promise<OrderMessageDto> {
    const order = await this.orders.get(orderId, actor);
    const customer = await this.customers.findById(order.customerId);
    if (!customer?.email) throw new DomainError('invalid_state', 'the customer has no e-mail address', {});
    return this.inbound.sendToCustomer(
      { id: order.id, number: order.number, customerId: customer.id, customerEmail: customer.email },
      text,
      this.config.notifications.mailFrom,
      actor,
    );
  }

  /** The messages waiting for staff. */
  async open(): Promise<InboundListDto> {
    return { items: await this.inbound.open(OPEN_LIST_LIMIT) };
  }

  /** Files an open message as feedback or onto an order; order drafts wait for the imports. */
  async file(id: string, dto: FileInboundDto, actor: Actor): Promise<InboundItem> {
    if (dto.as === 'order-draft')
      throw new DomainError(
        'invalid_state',
        'filing a message as an order draft is not available yet: it needs order imports (/api/imports)',
        {},
      );
    if (dto.as === 'message' && dto.orderId === undefined)
      throw invalidField('orderId', 'is required to file a message onto an order');
    if (dto.orderId !== undefined) await this.orders.get(dto.orderId, actor);
    return this.settle(id, dto.as, actor, dto.orderId ?? null);
  }

  /** Closes an open message without filing it anywhere (spam, a thank-you). */
  async close(id: string, actor: Actor): Promise<InboundItem> {
    return this.settle(id, 'closed', actor, null);
  }

  private async settle(
    id: string,
    as: 'feedback' | 'message' | 'closed',
    actor: Actor,
    orderId: string | null,
  ): Promise<InboundItem> {
    const done = await this.inbound.file(id, as, actor, orderId);
    if (done) return done;
    const current = await this.inbound.findIncoming(id);
    if (!current) throw notFound('inbound message', id);
    throw new DomainError('invalid_state', `the message is ${current.status}, not open`, {
      status: current.status,
    });
  }
}
