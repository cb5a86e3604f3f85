import type { ChargeRequest, ChargeResult } from '../db/repositories';
import type { PaymentGateway } from './payment.gateway';

export interface PaymentActivityDeps {
  /** A gateway bound to a fresh unit of work for each activity run. */
  gateway: () => PaymentGateway;
}

export interface RefundInput {
  orderId: string;
  amount: number;
  idempotencyKey: string;
}

/** Payment activities; `refundPayment` is the compensation of `chargePayment`. Keys come from the workflow. */
export function createPaymentActivities(deps: PaymentActivityDeps) {
  return {
    /** Charges the order's customer; a decline comes back as `{ok: false, reason}` for the order to wait on. */
    async chargePayment(request: ChargeRequest): Promise<ChargeResult> {
      return deps.gateway().charge(request);
    },

    /** Refunds captured money, once per key. */
    async refundPayment(request: RefundInput): Promise<void> {
      await deps.gateway().refund(request);
    },
  };
}
