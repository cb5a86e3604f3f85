import type { EntityManager } from '@mikro-orm/postgresql';
import { PaymentRepository, type ChargeRequest, type ChargeResult } from '../db/repositories';

/**
 * A payment provider. Implementations must be idempotent per `idempotencyKey`: the same key never moves
 * money twice, and returns the first call's outcome.
 */
export interface PaymentGateway {
  /** Authorizes and captures; a decline is a result, not an error. */
  charge(request: ChargeRequest): Promise<ChargeResult>;
  /** Returns captured money to the customer. */
  refund(request: { orderId: string; amount: number; idempotencyKey: string }): Promise<void>;
}

/** The built-in gateway: charges against each customer's credit limit, recorded in the PostgreSQL ledger. */
export function creditLimitGateway(em: EntityManager): PaymentGateway {
  const ledger = new PaymentRepository(em);
  return {
    charge: (request) => ledger.charge(request),
    refund: (request) => ledger.refund(request),
  };
}
