import type { EntityManager } from '@mikro-orm/postgresql';
import { sqlOf, type Sql } from './sql';

export type ChargeResult = { ok: true } | { ok: false; reason: string };

export interface ChargeRequest {
  orderId: string;
  customerId: string;
  amount: number;
  currency: string;
  idempotencyKey: string;
}

export interface RefundRequest {
  orderId: string;
  amount: number;
  idempotencyKey: string;
}

interface LedgerRow {
  kind: 'authorization' | 'capture' | 'refund';
  status: 'succeeded' | 'failed';
  reason: string | null;
}

/** Raised when a refund would return more than the order holds: a bug, never retried into success. */
export class RefundExceedsCaptureError extends Error {}

/**
 * The append-only payment ledger, and the built-in gateway that charges against each customer's credit
 * limit. Every entry carries the caller's idempotency key; a repeated call returns the first call's outcome
 * and writes nothing, so retries never charge or refund twice.
 */
export class PaymentRepository {
  constructor(private readonly em: EntityManager) {}

  /** Authorizes against the customer's credit limit, then captures; all or nothing, once per key. */
  async charge(request: ChargeRequest): Promise<ChargeResult> {
    return this.em.transactional(async (em) => {
      const connection = sqlOf(em);
      // Serialises charges per customer, so two orders cannot both squeeze under the same limit.
      const [customer] = await connection<{ credit_limit: string | null }[]>(
        `select credit_limit from customers where id = ? for update`,
        [request.customerId],
      );
      const previous = await connection<LedgerRow[]>(
        `select kind, status, reason from payments where idempotency_key = ? order by id`,
        [request.idempotencyKey],
      );
      const authorization = previous.find((row) => row.kind === 'authorization');
      if (authorization) {
        return authorization.status === 'succeeded'
          ? { ok: true }
          : { ok: false, reason: authorization.reason ?? 'declined' };
      }
      const entry = (kind: LedgerRow['kind'], status: LedgerRow['status'], reason: string | null) =>
        connection(
          `insert into payments (order_id, customer_id, kind, status, amount, currency, reason, idempotency_key)
           values (?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            request.orderId,
            request.customerId,
            kind,
            status,
            request.amount,
            request.currency,
            reason,
            request.idempotencyKey,
          ],
        );
      const limit = customer?.credit_limit == null ? null : Number(customer.credit_limit);
      if (limit !== null) {
        const held = await this.held(connection, 'customer_id', request.customerId);
        if (held + request.amount > limit) {
          const reason = `credit limit exceeded: ${held} already held, ${request.amount} requested, limit ${limit} (${request.currency})`;
          await entry('authorization', 'failed', reason);
          return { ok: false, reason };
        }
      }
      await entry('authorization', 'succeeded', null);
      await entry('capture', 'succeeded', null);
      return { ok: true };
    });
  }

  /** Returns money captured for the order, once per key. */
  async refund(request: RefundRequest): Promise<void> {
    await this.em.transactional(async (em) => {
      const connection = sqlOf(em);
      const [order] = await connection<{ customer_id: string; currency: string }[]>(
        `select customer_id, currency from orders where id = ? for update`,
        [request.orderId],
      );
      const done = await connection(`select 1 from payments where idempotency_key = ? and kind = 'refund'`, [
        request.idempotencyKey,
      ]);
      if (done.length > 0 || !order) return;
      const held = await this.held(connection, 'order_id', request.orderId);
      if (request.amount > held) {
        throw new RefundExceedsCaptureError(
          `refund of ${request.amount} exceeds the ${held} held for order ${request.orderId}`,
        );
      }
      await connection(
        `insert into payments (order_id, customer_id, kind, status, amount, currency, idempotency_key)
         values (?, ?, 'refund', 'succeeded', ?, ?, ?)`,
        [request.orderId, order.customer_id, request.amount, order.currency, request.idempotencyKey],
      );
    });
  }

  /** Captured minus refunded for one order. */
  async heldForOrder(orderId: string): Promise<number> {
    return this.held(sqlOf(this.em), 'order_id', orderId);
  }

  /** Captured minus refunded across all of a customer's orders. */
  async heldForCustomer(customerId: string): Promise<number> {
    return this.held(sqlOf(this.em), 'customer_id', customerId);
  }

  private async held(sql: Sql, column: 'order_id' | 'customer_id', id: string): Promise<number> {
    const [row] = await sql<{ held: string }[]>(
      `select coalesce(sum(case kind when 'capture' then amount when 'refund' then -amount else 0 end), 0) as held
         from payments where ${column} = ? and status = 'succeeded'`,
      [id],
    );
    return Number(row?.held ?? 0);
  }
}
