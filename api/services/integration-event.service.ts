import { Injectable } from '@nestjs/common';
import { IntegrationEventRepository, UnknownEventError } from '../../db/repositories';
import type { IntegrationEventPageDto, IntegrationEventQueryDto } from '../dtos/integration.dto';
import { invalidField } from '../errors/domain.error';

@Injectable()
export class IntegrationEventService {
  constructor(private readonly events: IntegrationEventRepository) {}

  /** The order events after the one `after` names, oldest first: the stream the webhooks get, to poll. */
  async after(query: IntegrationEventQueryDto): Promise<IntegrationEventPageDto> {
    try {
      const items = (await this.events.after(query.after, query.limit)) as IntegrationEventPageDto['items'];
      return { items, next: items.at(-1)?.id ?? query.after ?? null };
    } catch (error) {
      if (error instanceof UnknownEventError)
        throw invalidField('after', 'names no event of the stream: pass the id of an event read before');
      throw error;
    }
  }
}
