import { Injectable, Logger } from '@nestjs/common';
import type { Actor } from '../../domain/order';
import type { BulkOrderActionDto, BulkResultDto, BulkResultItemDto } from '../dtos/bulk.dto';
import type { OrderDto } from '../dtos/order.dto';
import { invalidField } from '../errors/domain.error';
import { errorBody } from '../errors/http-exception.filter';
import { OrderService } from './order.service';

/** How many orders of one bulk request are acted on at a time: fast, without flooding Temporal. */
const CONCURRENCY = 16;

/**
 * One action on many orders (`POST /api/orders/bulk`). The request as a whole is checked first (what the
 * action needs, each id once): a wrong one is a 400 and touches no order. Then each order goes through the
 * same service call, with the same rules, as one by one, a few at a time; each succeeds or fails on its
 * own, and its row says what the same action alone would have answered.
 */
@Injectable()
export class OrderBulkService {
  private readonly logger = new Logger('BulkActions');

  constructor(private readonly orders: OrderService) {}

  async run(dto: BulkOrderActionDto, actor: Actor): Promise<BulkResultDto> {
    const act = this.actionFor(dto, actor);
    const results = new Array<BulkResultItemDto>(dto.ids.length);
    let next = 0;
    const lane = async () => {
      for (let index = next++; index < dto.ids.length; index = next++) {
        const id = dto.ids[index] ?? '';
        try {
          results[index] = { id, status: 200, order: await act(id, index) };
        } catch (error) {
          const { statusCode, message } = errorBody(error, this.logger);
          results[index] = { id, status: statusCode, message };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, dto.ids.length) }, lane));
    return { results };
  }

  /** The call for one order, once the request has what the action needs; else the field that is missing. */
  private actionFor(dto: BulkOrderActionDto, actor: Actor): (id: string, index: number) => Promise<OrderDto> {
    const seen = new Set<string>();
    for (const id of dto.ids) {
      if (seen.has(id)) throw invalidField('ids', `names order ${JSON.stringify(id)} twice`);
      seen.add(id);
    }
    const required = <T>(field: string, value: T | undefined): T => {
      if (value === undefined) throw invalidField(field, `is required for the action ${dto.action}`);
      return value;
    };
    switch (dto.action) {
      case 'approve':
        return (id) => this.orders.approve(id, { comment: dto.comment }, actor);
      case 'reject': {
        const reason = required('reason', dto.reason);
        return (id) => this.orders.reject(id, { reason }, actor);
      }
      case 'cancel': {
        const reason = required('reason', dto.reason);
        return (id) => this.orders.cancel(id, { reason }, actor);
      }
      case 'ship': {
        const carrier = required('carrier', dto.carrier);
        const trackingNumbers = required('trackingNumbers', dto.trackingNumbers);
        if (trackingNumbers.length !== dto.ids.length)
          throw invalidField(
            'trackingNumbers',
            `has ${trackingNumbers.length} numbers for ${dto.ids.length} orders: give one per order, in the order of ids`,
          );
        return (id, index) =>
          this.orders.ship(id, { carrier, trackingNumber: trackingNumbers[index] ?? '' }, actor);
      }
      case 'complete':
        return (id) => this.orders.complete(id, actor);
      case 'claim':
        return (id) => this.orders.claim(id, actor);
      case 'unclaim':
        return (id) => this.orders.unclaim(id, actor);
      case 'assign': {
        const userId = required('userId', dto.userId);
        return (id) => this.orders.assign(id, { userId }, actor);
      }
    }
  }
}
