/**
 * One order's life inside its workflow, single-threaded: staff actions arrive as commands in a queue and the
 * order's own loop carries them out one at a time, between the work it does by itself (reserving stock,
 * taking payment, reminding, and on cancellation returning stock and money). Nothing else changes the order,
 * so no lock is needed and no step of one action interleaves with another's.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { awaitingFor, editNeedsApproval, mayApprove, requiredApproval } from '../domain/approval.rules';
import { EscalationWatch, type WatchMemory } from './escalation.watch';
import {
  FAILURE,
  SYSTEM_ACTOR,
  type Actor,
  type ActorInput,
  type ApproveInput,
  type EditInput,
  type OrderInput,
  type OrderSnapshot,
  type ReasonInput,
  type RefusalDetails,
  type ShipInput,
} from '../domain/order';
import { ORDER_AWAITING_KEY, ORDER_STATUS_KEY, orderWorkflowId } from './order.definitions';
import { initialSnapshot, isAwaitingApproval, isFinal, withChanges, refusalOf } from '../domain/order.state';
import { local, remote, step, type StepSubject } from './order.steps';

/** Marks orders whose archive is written after their workflow closes (see `run`). */
export const ARCHIVE_AFTER_CLOSE_PATCH = 'archive-after-close';

/** A staff action, as its update brought it. */
export type Command =
  | ({ action: 'approve' } & ApproveInput)
  | ({ action: 'reject' } & ReasonInput)
  | ({ action: 'edit' } & EditInput)
  | ({ action: 'retryPayment' } & ActorInput)
  | ({ action: 'ship' } & ShipInput)
  | ({ action: 'complete' } & ActorInput)
  | ({ action: 'cancel' } & ReasonInput);

interface Pending {
  command: Command;
  done: (order: OrderSnapshot) => void;
  failed: (error: unknown) => void;
}

/** What an order carries into its next run when its history is continued as new. */
export interface OrderMemory {
  order: OrderSnapshot;
  charges: number;
  refunds: number;
  watch: WatchMemory;
}

/**
 * How long an order waiting for stock waits before looking again without a signal (a lost signal must not
 * strand it): from a minute, doubling while nothing changes, up to an hour.
 */
const STOCK_RECHECK_MS = { first: 60_000, longest: 3_600_000 };

/** How long a cancelled or rejected order waits before trying again to return stock or money that failed. */
const COMPENSATION_RETRY = '1 hour';

/**
 * A waiting order continues as new past this many history events (a month waiting for stock, a long
 * escalation), carrying its state; its place in the queue for stock is its creation time, kept in the state.
 */
export const CONTINUE_AFTER_EVENTS = 1_000;

const now = () => new Date().toISOString();

/** Why a staff action was refused because one of its steps failed for good. */
const stepFailedMessage = (action: string) =>
  `the ${action} could not be carried out because a step failed; the order shows the problem and the managers have been told`;

function refuse(type: string, message: string, order: OrderSnapshot): never {
  const details: RefusalDetails = { status: order.status, awaiting: order.awaiting };
  throw ApplicationFailure.create({ type, message, details: [details], nonRetryable: true });
}

export class OrderProcess implements StepSubject {
  order: OrderSnapshot;
  private readonly watch: EscalationWatch;
  private readonly queue: Pending[] = [];
  private readonly id: string;
  /** The order as first written to PostgreSQL, once it is: what its creator is answered with. */
  private recorded: OrderSnapshot | null;
  /** Set by a stock signal, a recheck and every action: the next pass tries to reserve again. */
  private stockMayHaveChanged = true;
  private stockRechecks = 0;
  private paymentRetryRequested = false;
  /** For a cancelled or rejected order: whether its stock and money are back; null before the first try. */
  private returned: boolean | null = null;
  private charges: number;
  private refunds: number;
  /** What visibility shows of the order, so it is upserted once per change, not once per step. */
  private published: { status: string; awaiting: string };

  constructor(
    private readonly input: OrderInput,
    memory?: OrderMemory,
  ) {
    this.order = memory?.order ?? initialSnapshot(input, now());
    this.id = orderWorkflowId(input.orderId);
    this.recorded = memory?.order ?? null;
    this.charges = memory?.charges ?? 0;
    this.refunds = memory?.refunds ?? 0;
    this.watch = new EscalationWatch(memory?.watch);
    this.published = memory
      ? { status: this.order.status, awaiting: this.order.awaiting ?? 'none' }
      : // The API sets these attributes when it starts the workflow.
        { status: 'created', awaiting: 'approval' };
  }

  // ---- what the handlers delegate to ----

  /** The order as first written to PostgreSQL, once it is: what its creator is answered with. */
  async whenRecorded(): Promise<OrderSnapshot> {
    await condition(() => this.recorded !== null);
    return this.recorded!;
  }

  /** Refuses an action that the order's state or the actor's role does not allow now. */
  check(command: Command): void {
    const refusal = refusalOf(this.order, command.action);
    if (refusal !== null) refuse(FAILURE.invalidTransition, refusal, this.order);
    if (command.action !== 'approve' && command.action !== 'reject') return;
    if (!mayApprove(command.actor, this.order.awaiting === 'manager_approval' ? 'manager' : 'staff')) {
      refuse(
        FAILURE.forbidden,
        `only a manager may ${command.action} an order of ${this.order.total} ${this.order.currency}`,
        this.order,
      );
    }
  }

  /** Queues a staff action; answers with the order once it is carried out and the order has settled. */
  submit(command: Command): Promise<OrderSnapshot> {
    return new Promise((done, failed) => this.queue.push({ command, done, failed }));
  }

  stockChanged(): void {
    this.stockMayHaveChanged = true;
  }

  get escalation(): EscalationWatch {
    return this.watch;
  }

  // ---- the order's loop ----

  async run(): Promise<OrderSnapshot> {
    if (this.recorded === null) {
      // The row is written by the workflow itself, so no row can exist without its workflow, and a crash
      // anywhere after the start only delays this step: it is retried until the row exists.
      await this.record(this.order, this.order);
      this.recorded = this.order;
      if (this.approvalLevel() === 'auto') await this.change(this.approved(SYSTEM_ACTOR, null, true));
    }
    while (!isFinal(this.order.status)) {
      const pending = this.queue.shift();
      if (pending) {
        await this.carryOut(pending);
        continue;
      }
      await this.advance();
      if (this.queue.length > 0) continue;
      this.publish();
      if (this.historyIsLong()) {
        await this.continueAsNew();
        continue;
      }
      await this.waitForWork();
    }
    await this.compensate();
    this.publish();
    await condition(allHandlersFinished);
    const orderId = this.order.orderId;
    // The archive is written after the workflow has closed, so that it holds the complete history; the
    // order only starts it (one marker, no round trip). Orders that began before run the archive step.
    if (patched(ARCHIVE_AFTER_CLOSE_PATCH))
      await step(this, 'startArchive', () => local.startArchive({ orderId }));
    else await step(this, 'archiveOrder', () => remote.archiveOrder({ orderId }));
    return this.order;
  }

  private async carryOut({ command, done, failed }: Pending): Promise<void> {
    try {
      this.check(command);
      await this.apply(command);
      this.stockMayHaveChanged = true;
      // A cancelled or rejected order is answered once its stock and money are back (or shown as a problem).
      if (this.isClosedUnfulfilled()) this.returned = await this.returnStockAndMoney();
      else await this.advance();
      this.publish();
      done(this.order);
    } catch (error) {
      failed(error);
    }
  }

  private async apply(command: Command): Promise<void> {
    switch (command.action) {
      case 'approve':
        return this.change(this.approved(command.actor, command.comment ?? null, false));
      case 'reject':
        return this.change({
          status: 'rejected',
          awaiting: null,
          rejection: { by: command.actor, reason: command.reason, at: now() },
        });
      case 'edit':
        return this.edit(command);
      case 'retryPayment':
        this.paymentRetryRequested = true;
        return;
      case 'ship': {
        const fulfilled = await step(this, 'fulfilStock', () =>
          local.fulfilStock({ orderId: this.order.orderId }),
        );
        if (fulfilled === null) refuse(FAILURE.stepFailed, stepFailedMessage('ship'), this.order);
        const { carrier, trackingNumber } = command;
        return this.change({
          status: 'shipped',
          awaiting: 'delivery',
          reserved: false,
          shipment: { carrier, trackingNumber, shippedAt: now() },
        });
      }
      case 'complete':
        return this.change({ status: 'completed', awaiting: null, completedAt: now() });
      case 'cancel':
        return this.change({
          status: 'cancelled',
          awaiting: null,
          cancellation: { by: command.actor, reason: command.reason, at: now() },
        });
    }
  }

  private async edit({ actor, lines, total, notes }: EditInput): Promise<void> {
    const order = this.order;
    const before = order.total;
    const after = total ?? before;
    if (lines && order.reserved) {
      const adjusted = await step(this, 'adjustReservation', () =>
        local.adjustReservation({ orderId: order.orderId, lines }),
      );
      if (!adjusted) refuse(FAILURE.stepFailed, stepFailedMessage('edit'), this.order);
      if (!adjusted.ok) {
        const detail = adjusted.shortages.map(
          (s) => `${s.sku}: ${s.requested} wanted, ${s.available} available`,
        );
        refuse(FAILURE.insufficientStock, `not enough stock for the edit (${detail.join('; ')})`, this.order);
      }
    }
    const needsApproval =
      isAwaitingApproval(order) ||
      order.approvedTotal === null ||
      editNeedsApproval(before, after, order.approvedTotal, actor, order.approvalRule);
    const level = requiredApproval(after, order.currency, order.approvalRule);
    const approval = !needsApproval
      ? {}
      : level === 'auto'
        ? this.approved(SYSTEM_ACTOR, null, true, after)
        : { awaiting: awaitingFor(level) };
    await this.change({
      ...(lines ? { lines, total: after, stockShortages: [] } : {}),
      ...(notes !== undefined ? { notes } : {}),
      ...approval,
    });
  }

  /** Reserves stock, then settles payment, as far as the order can go by itself now. */
  private async advance(): Promise<void> {
    if (this.order.status !== 'processing' || isAwaitingApproval(this.order)) return;
    if (!this.order.reserved && !(await this.reserve())) return;
    if (!(await this.settlePayment())) return;
    if (this.order.awaiting !== 'shipment') await this.change({ awaiting: 'shipment' });
  }

  /** Tries to reserve the order's lines; false when it waits for stock. */
  private async reserve(): Promise<boolean> {
    const order = this.order;
    if (order.awaiting === 'stock' && !this.stockMayHaveChanged) return false;
    // Cleared before the attempt, so a signal that arrives during it triggers another one.
    this.stockMayHaveChanged = false;
    const reservation = (await step(this, 'reserveStock', () =>
      local.reserveStock({ orderId: order.orderId, lines: order.lines, since: order.createdAt }),
    )) ?? { ok: false as const, shortages: order.stockShortages };
    if (reservation.ok) {
      this.stockRechecks = 0;
      await this.change({ reserved: true, stockShortages: [], awaiting: 'payment' });
      return true;
    }
    if (
      this.order.awaiting !== 'stock' ||
      JSON.stringify(this.order.stockShortages) !== JSON.stringify(reservation.shortages)
    ) {
      this.stockRechecks = 0;
      await this.change({ awaiting: 'stock', stockShortages: reservation.shortages });
    }
    return false;
  }

  /** Charges what is due or refunds what was overpaid after an edit; false when the order waits for payment. */
  private async settlePayment(): Promise<boolean> {
    const order = this.order;
    const held = order.payment?.amount ?? 0;
    const due = order.total - held;
    if (due > 0) {
      if (order.payment?.status === 'failed' && !this.paymentRetryRequested) return false;
      this.paymentRetryRequested = false;
      const charge = (await step(this, 'chargePayment', () =>
        remote.chargePayment({
          orderId: order.orderId,
          customerId: order.customerId,
          amount: due,
          currency: order.currency,
          idempotencyKey: `${this.id}:charge:${++this.charges}`,
        }),
      )) ?? { ok: false as const, reason: 'the payment could not be processed; the managers have been told' };
      if (!charge.ok) {
        await this.change({
          awaiting: 'payment',
          payment: { status: 'failed', amount: held, lastError: charge.reason },
        });
        return false;
      }
      await this.change({
        awaiting: 'shipment',
        payment: { status: 'captured', amount: held + due, lastError: null },
      });
    } else if (due < 0) {
      const refunded = await step(this, 'refundPayment', () =>
        remote.refundPayment({
          orderId: order.orderId,
          amount: -due,
          idempotencyKey: `${this.id}:refund:${++this.refunds}`,
        }),
      );
      if (refunded === null) {
        await this.change({
          awaiting: 'payment',
          payment: { status: 'failed', amount: held, lastError: 'the refund of the difference failed' },
        });
        return false;
      }
      await this.change({ payment: { status: 'captured', amount: order.total, lastError: null } });
    }
    return true;
  }

  /**
   * Waits until there is something to do: an action, a stock signal, a changed escalation policy, or a
   * timer (the next reminder, the next stock recheck). A durable timer per wait, cancelled when the wait ends.
   */
  private async waitForWork(): Promise<void> {
    const waitingForStock = this.order.awaiting === 'stock' && !this.order.reserved;
    const recheckMs = waitingForStock
      ? Math.min(STOCK_RECHECK_MS.first * 2 ** this.stockRechecks, STOCK_RECHECK_MS.longest)
      : null;
    const reminderMs = this.watch.untilNext(Date.now());
    const planChanges = this.watch.changes;
    const wake = () =>
      this.queue.length > 0 ||
      this.watch.changes !== planChanges ||
      (waitingForStock && this.stockMayHaveChanged);
    const timeouts = [recheckMs, reminderMs].filter((ms): ms is number => ms !== null);
    if (timeouts.length === 0) return void (await condition(wake));
    if (await condition(wake, Math.min(...timeouts))) return;
    await this.remind();
    if (waitingForStock && recheckMs !== null && (reminderMs === null || recheckMs <= reminderMs)) {
      this.stockRechecks++;
      this.stockMayHaveChanged = true;
    }
  }

  /** Sends every reminder that is due, each level to its own recipients, and records the level reached. */
  private async remind(): Promise<void> {
    const due = this.watch.takeDue(this.order, Date.now());
    if (!due) return;
    for (const reminder of due.reminders) {
      await step(this, 'notifyOrder', () =>
        local.notifyOrder({ kind: 'order.escalated', order: this.order, ...reminder }),
      );
    }
    await this.change({ escalation: due.escalation });
  }

  /**
   * Compensation for a cancelled or rejected order: each step is idempotent and retried until it succeeds,
   * and the workflow resumes here after a crash, so stock and money are always returned. A step that fails
   * for good is shown as the order's problem and tried again later, never given up.
   */
  private async compensate(): Promise<void> {
    if (!this.isClosedUnfulfilled()) return;
    this.returned ??= await this.returnStockAndMoney();
    while (!this.returned) {
      await sleep(COMPENSATION_RETRY);
      this.returned = await this.returnStockAndMoney();
    }
  }

  private async returnStockAndMoney(): Promise<boolean> {
    const orderId = this.order.orderId;
    // Also drops the order's place in the queue for stock, so it is called even with nothing reserved.
    if ((await step(this, 'releaseStock', () => local.releaseStock({ orderId }))) === null) return false;
    if (this.order.reserved) await this.change({ reserved: false });
    const held = this.order.payment?.amount ?? 0;
    if (held > 0) {
      const refund = () =>
        remote.refundPayment({ orderId, amount: held, idempotencyKey: `${this.id}:refund:final` });
      if ((await step(this, 'refundPayment', refund)) === null) return false;
      await this.change({ payment: { status: 'refunded', amount: 0, lastError: null } });
    }
    return true;
  }

  // ---- state changes ----

  /** Moves the order: records it (with the escalation policy of a wait it enters) and tells whoever hears of it. */
  private async change(changes: Parameters<typeof withChanges>[2]): Promise<void> {
    const previous = this.order;
    this.order = withChanges(previous, now(), changes);
    await this.record(previous, this.order);
  }

  private async record(previous: OrderSnapshot, next: OrderSnapshot): Promise<void> {
    const created = next.version === 1;
    const planFor = this.watch.stageEntered(next);
    const recorded = await step(this, 'recordOrder', () => local.recordOrder({ order: next, planFor }));
    this.watch.follow(this.order, recorded?.plan ?? null);
    if (created || previous.status !== next.status) {
      await step(this, 'notifyOrder', () =>
        local.notifyOrder({ kind: created ? 'order.created' : `order.${next.status}`, order: this.order }),
      );
    }
  }

  /** Cancelled or rejected: the order's stock and money go back. */
  private isClosedUnfulfilled(): boolean {
    return this.order.status === 'cancelled' || this.order.status === 'rejected';
  }

  private approvalLevel() {
    return requiredApproval(this.order.total, this.order.currency, this.order.approvalRule);
  }

  private approved(by: Actor, comment: string | null, automatic: boolean, amount = this.order.total) {
    const order = this.order;
    return {
      approvals: [
        ...order.approvals,
        { by, comment, at: now(), amount, automatic, ruleVersion: order.approvalRule.version },
      ],
      approvedTotal: Math.max(amount, order.approvedTotal ?? 0),
      status: 'processing' as const,
      awaiting: order.reserved ? ('payment' as const) : ('stock' as const),
    };
  }

  /** Publishes status and wait to visibility when they changed: one upsert per settled step. */
  private publish(): void {
    const status = this.order.status;
    const awaiting = this.order.awaiting ?? 'none';
    if (status === this.published.status && awaiting === this.published.awaiting) return;
    this.published = { status, awaiting };
    upsertSearchAttributes([
      { key: ORDER_STATUS_KEY, value: status },
      { key: ORDER_AWAITING_KEY, value: awaiting },
    ]);
  }

  private historyIsLong(): boolean {
    const info = workflowInfo();
    return info.continueAsNewSuggested || info.historyLength > CONTINUE_AFTER_EVENTS;
  }

  /**
   * Starts the order's next run with its state, once no handler is busy; its workflow id stays the same. An
   * action that arrives meanwhile is carried out first (its handler waits for this loop), and the order
   * continues as new at its next wait.
   */
  private async continueAsNew(): Promise<void> {
    await condition(() => this.queue.length > 0 || allHandlersFinished());
    if (this.queue.length > 0) return;
    const memory: OrderMemory = {
      order: this.order,
      charges: this.charges,
      refunds: this.refunds,
      watch: this.watch.memory,
    };
    await continueAsNew<(input: OrderInput, memory?: OrderMemory) => Promise<OrderSnapshot>>(
      this.input,
      memory,
    );
  }
}
