import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/config';
import { orderIdOfTrackingToken, trackingKey, trackingLinkExpired } from '../../config/tracking-link';
import {
  CustomerRepository,
  EscalationRepository,
  LoginThrottleRepository,
  OrderRepository,
  type ThrottleRule,
} from '../../db/repositories';
import {
  orderEndedAt,
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

const refused = (status: TrackingAnswer['status'], refusal: TrackingRefusal): TrackingAnswer => ({
  status,
  html: renderTrackingRefusal(refusal),
});

/** The customer's tracking page behind a signed link. */
@Injectable()
export class TrackingService {
  private readonly key: string;

  constructor(
    private readonly config: AppConfig,
    private readonly orders: OrderRepository,
    private readonly customers: CustomerRepository,
    private readonly escalation: EscalationRepository,
    private readonly throttle: LoginThrottleRepository,
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
      html: renderTrackingPage(trackingView(snapshot), customer?.language ?? 'zh-CN', timeZone),
    };
  }
}
