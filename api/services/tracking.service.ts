import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../config/config';
import { orderIdOfTrackingToken, trackingKey, trackingLinkExpired } from '../../config/tracking-link';
import {
  CustomerRepository,
  EscalationRepository,
  LoginThrottleRepository,
  OrderRepository,
  ReturnRepository,
  type ThrottleRule,
} from '../../db/repositories';
import type { Actor, OrderSnapshot } from '../../domain/order';
import { returnableUnits, shippedLines } from '../../domain/return';
import { CreateReturnDto, type CustomerReturnDto } from '../dtos/return.dto';
import { DomainError, invalidField } from '../errors/domain.error';
import { errorBody, type ErrorBody } from '../errors/http-exception.filter';
import { createValidationPipe } from '../errors/validation';
import { ReturnService } from './return.service';
import {
  orderEndedAt,
  renderReturnAnswer,
  renderTrackingPage,
  renderTrackingRefusal,
  trackingView,
  type TrackingRefusal,
} from '../tracking/tracking.page';

/**
 * Guessing links is slowed per address like guessing passwords: ten wrong links free, then a wait that
 * doubles from 2 s up to 15 min. Only wrong links count; while an address waits, even a right link is
 * refused, so the answer never tells a guesser that a guess was right.
 */
export const TRACKING_THROTTLE: ThrottleRule = {
  free: 10,
  baseDelaySeconds: 2,
  maxDelaySeconds: 15 * 60,
  windowSeconds: 15 * 60,
};

export interface TrackingAnswer {
  status: 200 | 404 | 410 | 429;
  html: string;
}

/** The answer to a customer's return request: JSON for a client, HTML for the page's form. */
export interface ReturnRequestAnswer {
  status: 201 | 400 | 403 | 404 | 409 | 410 | 429 | 503;
  json: CustomerReturnDto | ErrorBody;
  html: string;
}

/** Units of the page's items (`item-<position>` fields) in a form post. */
const ITEM_FIELD = /^item-(\d{1,4})$/;

const refused = (status: TrackingAnswer['status'], refusal: TrackingRefusal): TrackingAnswer => ({
  status,
  html: renderTrackingRefusal(refusal),
});

/** The customer's tracking page behind a signed link. */
@Injectable()
export class TrackingService {
  private readonly key: string;
  private readonly logger = new Logger('Tracking');

  constructor(
    private readonly config: AppConfig,
    private readonly orders: OrderRepository,
    private readonly customers: CustomerRepository,
    private readonly escalation: EscalationRepository,
    private readonly throttle: LoginThrottleRepository,
    private readonly returns: ReturnRepository,
    private readonly returnService: ReturnService,
  ) {
    this.key = trackingKey(config);
  }

  /**
   * The page for a token seen from an address: 200 with the order's progress, 404 for a link that is not
   * ours, 410 once the order ended more than the configured days ago, 429 while the address must wait.
   */
  async page(token: string, address: string, now = new Date()): Promise<TrackingAnswer> {
    const throttleKey = `tracking-address:${address}`;
    if (await this.throttle.isWaiting(throttleKey)) return refused(429, 'throttled');
    const orderId = orderIdOfTrackingToken(this.key, token);
    const order = orderId === null ? null : await this.orders.findById(orderId);
    if (!order) {
      return (await this.throttle.admit(throttleKey, TRACKING_THROTTLE))
        ? refused(404, 'unknown')
        : refused(429, 'throttled');
    }
    const snapshot = order.snapshot;
    if (trackingLinkExpired(orderEndedAt(snapshot), this.config.tracking.linkDays, now))
      return refused(410, 'expired');
    const customer = await this.customers.findById(snapshot.customerId);
    const { timeZone } = await this.escalation.calendar();
    return {
      status: 200,
      html: renderTrackingPage(
        trackingView(snapshot, await this.returns.list({ orderId: snapshot.orderId, limit: 200 })),
        customer?.language ?? 'zh-CN',
        timeZone,
        await this.returnForm(token, snapshot, now),
      ),
    };
  }

  /** The form for a return when customers may request one and some shipped unit may still come back. */
  private async returnForm(token: string, order: OrderSnapshot, now: Date) {
    const settings = await this.returns.settings();
    if (!settings.customerMayRequest) return null;
    const returned = await this.returns.returnedForOrder(order.orderId);
    const items = returnableUnits(shippedLines(order), returned, settings.windowDays, now);
    return { token, items: items.map(({ item, left }) => ({ item, left })) };
  }

  /**
   * A return requested by the customer through the tracking link (which authorises that order only), when
   * the managers let customers ask: the same checks as staff's request, recorded with the customer as its
   * actor. `form` is the page's form (`item-<n>` units and `reason`); otherwise the body is the staff
   * request's `{lines: [{sku, quantity}], reason, resolution?}`.
   */
  async requestReturn(
    token: string,
    address: string,
    body: unknown,
    form: boolean,
    now = new Date(),
  ): Promise<ReturnRequestAnswer> {
    const throttleKey = `tracking-address:${address}`;
    let language: 'zh-CN' | 'en' = 'zh-CN';
    try {
      if (await this.throttle.isWaiting(throttleKey)) {
        throw new DomainError('throttled', 'too many attempts; wait a little and try again');
      }
      const orderId = orderIdOfTrackingToken(this.key, token);
      const order = orderId === null ? null : await this.orders.findById(orderId);
      if (!order) {
        const admitted = await this.throttle.admit(throttleKey, TRACKING_THROTTLE);
        throw admitted
          ? new DomainError('not_found', 'this tracking link is not valid')
          : new DomainError('throttled', 'too many attempts; wait a little and try again');
      }
      const snapshot = order.snapshot;
      language = (await this.customers.findById(snapshot.customerId))?.language ?? 'zh-CN';
      if (trackingLinkExpired(orderEndedAt(snapshot), this.config.tracking.linkDays, now)) {
        throw new DomainError('gone', 'this order ended some time ago; its tracking link no longer works');
      }
      if (!(await this.returns.settings()).customerMayRequest) {
        throw new DomainError('forbidden', 'returns cannot be requested from the tracking page');
      }
      const request = await this.returnRequest(snapshot, body, form);
      const created = await this.returnService.create(snapshot.orderId, request, customerActor(snapshot));
      const json: CustomerReturnDto = {
        id: created.id,
        number: created.number,
        orderId: created.orderId,
        status: created.status,
        lines: created.lines,
        resolution: created.resolution,
        reason: created.reason,
        createdAt: created.createdAt,
      };
      return { status: 201, json, html: renderReturnAnswer(language, token, { number: created.number }) };
    } catch (error) {
      const json = errorBody(error, this.logger);
      if (json.statusCode >= 500 && json.statusCode !== 503) throw error;
      return {
        status: json.statusCode as ReturnRequestAnswer['status'],
        json,
        html: renderReturnAnswer(language, token, { message: json.message }),
      };
    }
  }

  /** The request as staff's `POST /api/orders/:id/returns` takes it, checked as that route checks it. */
  private async returnRequest(order: OrderSnapshot, body: unknown, form: boolean): Promise<CreateReturnDto> {
    const fields = (body ?? {}) as Record<string, unknown>;
    const plain = form ? formRequest(order, fields) : { resolution: 'refund', ...fields };
    return (await createValidationPipe().transform(plain, {
      type: 'body',
      metatype: CreateReturnDto,
    })) as CreateReturnDto;
  }
}

/** The customer of the order, as the return's history and events name who asked for it. */
function customerActor(order: OrderSnapshot): Actor {
  return { id: order.customerId, username: 'customer', roles: ['customer'] };
}

/**
 * The page's form as a request: units per item position (0 or absent: none of that item), a reason, and
 * refund (the default) or exchange.
 */
function formRequest(order: OrderSnapshot, fields: Record<string, unknown>) {
  const lines: { sku: string; quantity: number }[] = [];
  for (const [name, value] of Object.entries(fields)) {
    if (name === 'reason' || name === 'resolution') continue;
    const item = ITEM_FIELD.exec(name);
    const line = item ? order.lines[Number(item[1]) - 1] : undefined;
    if (!line) throw invalidField(name, 'is not an item of this order');
    if (typeof value !== 'string' || !/^\d{1,6}$/.test(value.trim())) {
      throw invalidField(name, 'must be a whole number of units');
    }
    const quantity = Number(value.trim());
    if (quantity > 0) lines.push({ sku: line.sku, quantity });
  }
  return { lines, reason: fields.reason, resolution: fields.resolution ?? 'refund' };
}
