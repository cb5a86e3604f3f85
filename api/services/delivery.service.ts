import { Injectable } from '@nestjs/common';
import { DeliveryRepository, OrderArchiveRepository, type Page } from '../../db/repositories';
import type { DeliveryDto, DeliveryQueryDto, OrderArchiveDto } from '../dtos/delivery.dto';
import { DomainError } from '../errors/domain.error';

@Injectable()
export class DeliveryService {
  constructor(
    private readonly deliveries: DeliveryRepository,
    private readonly archives: OrderArchiveRepository,
  ) {}

  /** E-mails and webhook calls with their delivery state, newest first (bodies left out). */
  async list(query: DeliveryQueryDto): Promise<Page<DeliveryDto>> {
    const page = await this.deliveries.list(query);
    return {
      items: page.items.map(
        ({ textBody: _text, htmlBody: _html, payload: _payload, webhookId: _id, ...d }) => d,
      ),
      nextCursor: page.nextCursor,
    };
  }

  /** A finished order's permanent record, checked against its checksum. */
  async archive(orderId: string): Promise<OrderArchiveDto> {
    const archived = await this.archives.find(orderId);
    if (!archived) {
      throw new DomainError('not_found', `order ${JSON.stringify(orderId)} has no archived record (yet)`);
    }
    const { json, ...rest } = archived;
    return { ...rest, record: JSON.parse(json) as Record<string, unknown> };
  }
}
