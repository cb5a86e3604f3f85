/**
 * The order's money: what is due is charged once the stock is reserved, an edit that lowers the total refunds
 * the difference, and a cancelled or rejected order gets back everything it paid. Each call to the gateway
 * carries an idempotency key, so a retried charge or refund is made once.
 */
import { remote } from './proxies';
import type { OrderRecord } from './record';

/** How many charges and refunds the order has asked for: part of their idempotency keys. */
export interface PaymentMemory {
  charges: number;
  refunds: number;
}

export class OrderPayment {
  private retryRequested = false;

  constructor(
    private readonly record: OrderRecord,
    /** The order's workflow ID, the prefix of its idempotency keys. */
    private readonly keyPrefix: string,
    private readonly counts: PaymentMemory,
  ) {}

  get memory(): PaymentMemory {
    return { ...this.counts };
  }

  /** Staff asked to try a declined payment again. */
  retry(): void {
    this.retryRequested = true;
  }

  /** Charges what is due or refunds what was overpaid after an edit; false while the order waits for payment. */
  async settle(): Promise<boolean> {
    const order = this.record.order;
    const held = order.payment?.amount ?? 0;
    const due = order.total - held;
    if (due > 0) {
      if (order.payment?.status === 'failed' && !this.retryRequested) return false;
      this.retryRequested = false;
      const charge = (await this.record.step('chargePayment', () =>
        remote.chargePayment({
          orderId: order.orderId,
          customerId: order.customerId,
          amount: due,
          currency: order.currency,
          idempotencyKey: `${this.keyPrefix}:charge:${++this.counts.charges}`,
        }),
      )) ?? { ok: false as const, reason: 'the payment could not be processed; the managers have been told' };
      if (!charge.ok) {
        await this.record.change({
          awaiting: 'payment',
          payment: { status: 'failed', amount: held, lastError: charge.reason },
        });
        return false;
      }
      await this.record.change({
        awaiting: 'shipment',
        payment: { status: 'captured', amount: held + due, lastError: null },
      });
    } else if (due < 0) {
      const refunded = await this.record.step('refundPayment', () =>
        remote.refundPayment({
          orderId: order.orderId,
          amount: -due,
          idempotencyKey: `${this.keyPrefix}:refund:${++this.counts.refunds}`,
        }),
      );
      if (refunded === null) {
        await this.record.change({
          awaiting: 'payment',
          payment: { status: 'failed', amount: held, lastError: 'the refund of the difference failed' },
        });
        return false;
      }
      await this.record.change({ payment: { status: 'captured', amount: order.total, lastError: null } });
    }
    return true;
  }

  /**
   * Compensation of `settle`: refunds everything held beyond `kept` (the value of what shipped before a
   * cancellation, else nothing), once; false when that failed for good.
   */
  async refundAll(kept = 0): Promise<boolean> {
    const { orderId, payment } = this.record.order;
    const held = payment?.amount ?? 0;
    const amount = held - kept;
    if (amount <= 0) return true;
    const refund = () =>
      remote.refundPayment({ orderId, amount, idempotencyKey: `${this.keyPrefix}:refund:final` });
    if ((await this.record.step('refundPayment', refund)) === null) return false;
    await this.record.change({ payment: { status: 'refunded', amount: kept, lastError: null } });
    return true;
  }
}
