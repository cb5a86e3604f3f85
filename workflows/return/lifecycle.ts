/**
 * A return's life (issue 25): requested → approved → received → refunded → closed, or rejected. Each change
 * is recorded in PostgreSQL as the return's snapshot and an event the order's history shows; the receipt
 * puts resellable units back on hand; the refund goes through the payment gateway with the return's own
 * idempotency key, so a retried refund is made once. Staff actions run one at a time, each checked against
 * the state it meets, not only the state its validator saw.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ApplicationFailure, ParentClosePolicy, patched, startChild } from '@temporalio/workflow';
import { FAILURE, type Actor, type RefusalDetails } from '../../domain/order';
import {
  receiptRefusal,
  receivedLines,
  receivedValue,
  returnActionRefusal,
  type ReturnAction,
  type ReturnSnapshot,
  type ReturnStatus,
} from '../../domain/return';
import type { ReceiveInput, RefundReturnInput, ReturnReasonInput } from '../return.definitions';
import { ORDER_AWAITING_KEY, ORDER_STATUS_KEY, orderWorkflowId } from '../order.definitions';
import type { orderWorkflow } from '../order.workflow';
import { MAIN_LOCATION } from '../../domain/shipment.rules';
import { local, remote } from '../order/proxies';
import { now } from '../order/record';

type Who = Pick<Actor, 'id' | 'username'>;

/** Refuses an action: the update fails with this type, naming the return's status (and the field). */
function refuse(type: string, message: string, status: ReturnStatus, field?: string): never {
  const details: RefusalDetails = { status: status as RefusalDetails['status'], awaiting: null };
  throw ApplicationFailure.create({
    type,
    message,
    details: [{ ...details, ...(field ? { field } : {}) }],
    nonRetryable: true,
  });
}

const person = ({ id, username }: Who): Who => ({ id, username });

export class ReturnLifecycle {
  private current: ReturnSnapshot;
  /** The work running now: the next one starts when it has settled. */
  private running: Promise<unknown> = Promise.resolve();

  /**
   * @param oneAtATime everything the return does with the outside world (staff actions with their signature
   * check, its first notice, the escalation watch's policy loads and reminders) runs one after the other, so
   * that at most one local activity is ever in flight. Side by side, their results reached the workflow in the
   * order they finished, and on replay all at once: the history did not replay. False for returns started
   * before (`RETURN_ONE_AT_A_TIME_PATCH`), which replay as they ran.
   */
  constructor(
    input: ReturnSnapshot,
    readonly oneAtATime = false,
  ) {
    this.current = input;
  }

  get snapshot(): ReturnSnapshot {
    return this.current;
  }

  /** Refuses an action the return's status does not allow now (an update's validator, and again in turn). */
  checkState(action: ReturnAction): void {
    const refusal = returnActionRefusal(this.current.status, action);
    if (refusal !== null) refuse(FAILURE.invalidTransition, refusal, this.current.status);
  }

  /** Refuses a receipt that does not fit the return's lines. */
  checkReceipt({ lines }: ReceiveInput): void {
    this.checkState('receive');
    const refusal = receiptRefusal(this.current.lines, lines);
    if (refusal) refuse(FAILURE.invalidInput, refusal.message, this.current.status, refusal.field);
  }

  /**
   * Runs the staff actions one after the other, each against the state it meets; `verify` (the signature
   * check) first, in turn, when the return does one thing at a time.
   */
  inTurn(
    action: ReturnAction,
    run: () => Promise<void>,
    verify?: () => Promise<void> | null,
  ): Promise<ReturnSnapshot> {
    return this.alone(async () => {
      if (verify) await verify();
      this.checkState(action);
      await run();
      return this.current;
    });
  }

  /**
   * Runs work with the outside world that is not a staff action: alone, when the return does one thing at a
   * time, and then only if it is still `wanted` when its turn comes; at once (as before) otherwise.
   */
  outside<T>(work: () => Promise<T>, wanted: () => boolean = () => true): Promise<T | undefined> {
    if (!this.oneAtATime) return work();
    return this.alone(async () => (wanted() ? work() : undefined));
  }

  private alone<T>(work: () => Promise<T>): Promise<T> {
    const turn = this.running.then(work);
    this.running = turn.catch(() => undefined);
    return turn;
  }

  approve(by: Who, why: Record<string, unknown> = {}): Promise<void> {
    return this.change({ status: 'approved' }, by, why);
  }

  reject({ reason, actor }: ReturnReasonInput): Promise<void> {
    const rejection = { reason, by: person(actor), at: now() };
    return this.change({ status: 'rejected', rejection }, actor, { reason });
  }

  /**
   * Records the receipt, puts resellable units back on hand, and marks the return received; an exchange
   * then places its replacement order at once.
   */
  async receive(input: ReceiveInput): Promise<void> {
    this.checkReceipt(input);
    const received = receivedLines(this.current.lines, input.lines);
    const location = input.location ?? MAIN_LOCATION;
    await local.receiveReturn({
      snapshot: this.current,
      lines: received,
      by: person(input.actor),
      at: now(),
      location,
    });
    await this.change({ status: 'received', received, receivedLocation: location }, input.actor, {
      received: received.map(({ sku, quantity, condition }) => ({ sku, quantity, condition })),
      location,
    });
    if (this.current.resolution === 'exchange') await this.exchange(input.actor);
  }

  /**
   * An exchange's replacement: a new order of the received units at no charge, started as this workflow's
   * child and left to run on its own (it outlives the return): it reserves, waits for stock, is shipped
   * with its tracking number and tells the customer as any order does. The return is then `exchanged`.
   */
  private async exchange(actor: Actor): Promise<void> {
    const order = await local.prepareReplacement({ snapshot: this.current, actor });
    try {
      await startChild<typeof orderWorkflow>('orderWorkflow', {
        workflowId: orderWorkflowId(order.orderId),
        args: [order],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        typedSearchAttributes: [
          { key: ORDER_STATUS_KEY, value: 'created' },
          { key: ORDER_AWAITING_KEY, value: 'approval' },
        ],
      });
    } catch (error) {
      // Placed already (its id is the return's): the exchange goes on with that order.
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
    const replacement = { orderId: order.orderId, number: order.number };
    await this.change({ status: 'exchanged', replacement }, actor, {
      replacementOrderId: order.orderId,
      replacementNumber: order.number,
    });
  }

  /**
   * Refunds the amount asked for, or the value of the received units, through the gateway (once, by the
   * return's key). The gateway refuses more than the order still holds; the return then stays received.
   */
  async refund({ amount, actor }: RefundReturnInput): Promise<void> {
    const { returnId, orderId, currency, status } = this.current;
    const due = amount ?? receivedValue(this.current.lines, this.current.received);
    if (due <= 0) refuse(FAILURE.invalidInput, 'amount: there is nothing to refund', status, 'amount');
    try {
      await remote.refundReturn({
        returnId,
        orderId,
        amount: due,
        idempotencyKey: `return:${returnId}:refund`,
      });
    } catch (error) {
      const cause = (error as { cause?: unknown }).cause;
      if (cause instanceof ApplicationFailure && cause.type === FAILURE.invalidTransition) {
        refuse(FAILURE.invalidTransition, `the refund was refused: ${cause.message}`, status, 'amount');
      }
      throw error;
    }
    await this.change({ status: 'refunded', refundedAmount: due }, actor, { amount: due, currency });
  }

  close(by: Who): Promise<void> {
    return this.change({ status: 'closed' }, by);
  }

  private async change(
    changes: Partial<ReturnSnapshot> & { status: ReturnStatus },
    by: Who,
    extra: Record<string, unknown> = {},
  ): Promise<void> {
    const at = now();
    const next: ReturnSnapshot = {
      ...this.current,
      ...changes,
      version: this.current.version + 1,
      updatedAt: at,
    };
    await local.recordReturn({
      snapshot: next,
      event: {
        returnId: next.returnId,
        orderId: next.orderId,
        version: next.version,
        kind: `return.${next.status}`,
        actor: person(by),
        at,
        details: {
          returnId: next.returnId,
          number: next.number,
          lines: next.lines.map(({ sku, quantity }) => ({ sku, quantity })),
          ...extra,
        },
      },
    });
    this.current = next;
    await this.tell();
  }

  /**
   * Tells the customer (and whoever the kind's setting names) of the return as it is now, `return.updated`;
   * a side channel: its failure never holds the return up. Returns that changed before this was built do
   * not tell of those changes.
   */
  async tell(): Promise<void> {
    if (!TOLD.includes(this.current.status) || !patched(RETURN_NOTICE_PATCH)) return;
    await local.notifyReturn({ snapshot: this.current }).catch(() => undefined);
  }
}

/** Marks returns that do one thing with the outside world at a time (see `ReturnLifecycle`). */
export const RETURN_ONE_AT_A_TIME_PATCH = 'return-one-at-a-time';

/** Marks returns whose changes are told to the customer (`return.updated`). */
export const RETURN_NOTICE_PATCH = 'return-notice';

/** The changes a customer hears of; `closed` is the staff's bookkeeping. */
const TOLD: readonly ReturnStatus[] = [
  'requested',
  'approved',
  'rejected',
  'received',
  'refunded',
  'exchanged',
];
