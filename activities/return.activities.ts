import type { EntityManager } from '@mikro-orm/postgresql';
import { ApplicationFailure } from '@temporalio/common';
import {
  OrderRepository,
  RefundExceedsCaptureError,
  ReturnRepository,
  SettingsRepository,
} from '../db/repositories';
import { orderIdForExternalRef } from '../db/order-ids';
import type { Actor, OrderInput } from '../domain/order';
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
  /** Where the units came back (resellable ones are stocked there); `MAIN` when absent. */
  location?: string;
}

export interface PrepareReplacementInput {
  snapshot: ReturnSnapshot;
  actor: Actor;
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

    /**
     * Records the receipt once and puts resellable units back on hand at the location they came back to;
     * wakes orders waiting for them.
     */
    async receiveReturn({ snapshot, lines, by, at, location }: ReceiveReturnInput): Promise<void> {
      const waiting = await new ReturnRepository(deps.em()).receive(snapshot, lines, by, at, location);
      await deps.notifyStockChanged(waiting);
    },

    /**
     * The replacement order of an exchange: the received units, of the returned order's customer and
     * currency, at no charge (source `exchange`, the return's id as its reference, so its id is the
     * return's). Its number is taken here, or kept once the order is written; numbers may skip.
     */
    async prepareReplacement({ snapshot, actor }: PrepareReplacementInput): Promise<OrderInput> {
      const em = deps.em();
      const orders = new OrderRepository(em);
      const order = await orders.findById(snapshot.orderId);
      if (!order) throw ApplicationFailure.nonRetryable(`order ${snapshot.orderId} is gone`);
      const { customerId, currency, lines } = order.snapshot;
      const replaced = new Map<string, number>();
      for (const line of snapshot.received)
        replaced.set(line.sku, (replaced.get(line.sku) ?? 0) + line.quantity);
      const orderId = orderIdForExternalRef('exchange', snapshot.returnId);
      // Placed already (the workflow wrote its row): the same order, under its number.
      const placed = await orders.findById(orderId);
      return {
        orderId,
        number: placed?.snapshot.number ?? (await orders.nextNumber(new Date())),
        customerId,
        currency,
        lines: lines
          .filter((line) => replaced.has(line.sku))
          .map(({ productId, sku, name }) => ({
            productId,
            sku,
            name,
            quantity: replaced.get(sku)!,
            unitPrice: 0,
            lineTotal: 0,
          })),
        total: 0,
        notes: `Replacement for return ${snapshot.number} of order ${order.snapshot.number}`,
        createdBy: actor,
        approvalRule: await new SettingsRepository(em).currentApprovalRule(),
        requestHash: null,
        source: 'exchange',
        externalRef: snapshot.returnId,
      };
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
