import type { EntityManager } from '@mikro-orm/postgresql';
import { ApplicationFailure } from '@temporalio/common';
import { RefundExceedsCaptureError, ReturnRepository } from '../db/repositories';
import type { Actor } from '../domain/order';
import { FAILURE } from '../domain/order';
import type { ReceivedLine, ReturnEvent, ReturnSnapshot } from '../domain/return';
import type { PaymentGateway } from './payment.gateway';

export interface ReturnActivityDeps {
  em: () => EntityManager;
  gateway: () => PaymentGateway;
  /** Tells these orders' workflows that stock they may wait for came back (best effort). */
  notifyStockChanged: (orderIds: string[]) => Promise<void>;
}

export interface RecordReturnInput {
  snapshot: ReturnSnapshot;
  event: ReturnEvent;
}

export interface ReceiveReturnInput {
  snapshot: ReturnSnapshot;
  lines: ReceivedLine[];
  by: Pick<Actor, 'id' | 'username'>;
  at: string;
}

export interface RefundReturnInput {
  returnId: string;
  orderId: string;
  amount: number;
  idempotencyKey: string;
}

/** The return workflow's side effects; each one transaction, and safe to run twice. */
export function createReturnActivities(deps: ReturnActivityDeps) {
  return {
    /** Mirrors the return's snapshot and records the change as an event (with its credit note when refunded). */
    async recordReturn({ snapshot, event }: RecordReturnInput): Promise<void> {
      await new ReturnRepository(deps.em()).record(snapshot, event);
    },

    /** Records the receipt once and puts resellable units back on hand; wakes orders waiting for them. */
    async receiveReturn({ snapshot, lines, by, at }: ReceiveReturnInput): Promise<void> {
      const waiting = await new ReturnRepository(deps.em()).receive(snapshot, lines, by, at);
      await deps.notifyStockChanged(waiting);
    },

    /**
     * Refunds part of what the order paid through the payment gateway, once per key. More than the order
     * still holds (paid minus earlier refunds) is refused for good: retrying cannot make it fit.
     */
    async refundReturn({ orderId, amount, idempotencyKey }: RefundReturnInput): Promise<void> {
      try {
        await deps.gateway().refund({ orderId, amount, idempotencyKey });
      } catch (error) {
        if (error instanceof RefundExceedsCaptureError) {
          throw ApplicationFailure.nonRetryable(error.message, FAILURE.invalidTransition);
        }
        throw error;
      }
    },
  };
}
