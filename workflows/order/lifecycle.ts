/**
 * One order's life inside its workflow:
 *
 *   created ──approve──▶ processing ──ship──▶ shipped ──complete──▶ completed
 *      │                     │ reserve stock (wait for it), take payment, then wait to be shipped
 *      │                     │ (in one go, or in parts: shipped once the last unit has left)
 *      └──reject/cancel──────┴──▶ rejected / cancelled ──▶ stock and money go back
 *
 * `run` reads as that life; stock, payment, approval, shipments and compensation are modules it calls. Under it sits the
 * order's loop: staff actions arrive as commands in a queue and are carried out one at a time, between the
 * work the order does by itself (reserving stock, taking payment, reminding), so nothing else changes the
 * order, no lock is needed and no step of one action interleaves with another's.
 */
import { allHandlersFinished, condition, continueAsNew, patched, workflowInfo } from '@temporalio/workflow';
import {
  SYSTEM_ACTOR,
  type EditInput,
  type OrderInput,
  type OrderSnapshot,
  type OrderStatus,
} from '../../domain/order';
import { initialSnapshot, isAwaitingApproval } from '../../domain/order.state';
import { readyLines } from '../../domain/shipment.rules';
import { EscalationWatch, type WatchMemory } from '../escalation.watch';
import { orderWorkflowId } from '../order.definitions';
import { local, remote } from './proxies';
import { approval, approvalAfterEdit, approvalLevel } from './approval';
import { remindAssigneeFirst } from './assignee-first';
import { admitCancelOfUnshipped } from './cancel-unshipped';
import { CommandQueue, check, type Command, type Pending } from './commands';
import { OrderCompensation } from './compensation';
import { OrderPayment } from './payment';
import { OrderRecord, now } from './record';
import { OrderShipments } from './shipments';
import { OrderStock } from './stock';

/** Marks orders whose archive is written after their workflow closes (see `run`). */
export const ARCHIVE_AFTER_CLOSE_PATCH = 'archive-after-close';

/**
 * A waiting order continues as new past this many history events (a month waiting for stock, a long
 * escalation), carrying its state; its place in the queue for stock is its creation time, kept in the state.
 */
export const CONTINUE_AFTER_EVENTS = 1_000;

/** What an order carries into its next run when its history is continued as new. */
export interface OrderMemory {
  order: OrderSnapshot;
  charges: number;
  refunds: number;
  watch: WatchMemory;
}

export class OrderLifecycle {
  private readonly record: OrderRecord;
  private readonly watch: EscalationWatch;
  private readonly stock: OrderStock;
  private readonly payment: OrderPayment;
  private readonly compensation: OrderCompensation;
  private readonly shipments: OrderShipments;
  private readonly commands = new CommandQueue();
  /** The order as first written to PostgreSQL, once it is: what its creator is answered with. */
  private recorded: OrderSnapshot | null;

  constructor(
    private readonly input: OrderInput,
    memory?: OrderMemory,
  ) {
    this.watch = new EscalationWatch(memory?.watch);
    this.record = new OrderRecord(memory?.order ?? initialSnapshot(input, now()), this.watch, !!memory);
    this.recorded = memory?.order ?? null;
    this.stock = new OrderStock(this.record);
    this.payment = new OrderPayment(this.record, orderWorkflowId(input.orderId), {
      charges: memory?.charges ?? 0,
      refunds: memory?.refunds ?? 0,
    });
    this.compensation = new OrderCompensation(this.record, this.stock, this.payment);
    this.shipments = new OrderShipments(this.record);
  }

  get order(): OrderSnapshot {
    return this.record.order;
  }

  get escalation(): EscalationWatch {
    return this.watch;
  }

  // ---- the order's life ----

  async run(): Promise<OrderSnapshot> {
    if (this.recorded === null) await this.placed();
    // Waits for a person to approve or reject it; edits and cancellation may come meanwhile.
    await this.whileStatus('created');
    // Reserves stock (waiting for it if need be), takes payment, then waits to be shipped.
    await this.whileStatus('processing');
    // Waits for the delivery to be confirmed.
    await this.whileStatus('shipped');
    // Completed, or cancelled or rejected before shipping: then its stock and money go back.
    await this.compensation.finish();
    this.record.publish();
    await condition(allHandlersFinished);
    await this.archive();
    return this.order;
  }

  /**
   * The new order's row is written by its workflow, so no row can exist without its workflow, and a crash
   * anywhere after the start only delays this step: it is retried until the row exists. The system approves
   * an order at or below its threshold at once.
   */
  private async placed(): Promise<void> {
    await this.record.recordNew();
    this.recorded = this.order;
    if (approvalLevel(this.order) === 'auto') {
      await this.record.change(approval(this.order, SYSTEM_ACTOR, null, true));
    }
  }

  /** What the order does by itself now: while processing and approved, reserve stock, then take payment. */
  private async advance(): Promise<void> {
    if (this.order.status !== 'processing' || isAwaitingApproval(this.order)) return;
    if (this.stock.partial) return this.advanceInPart();
    if (!this.order.reserved && !(await this.stock.reserve())) return;
    if (!(await this.payment.settle())) return;
    if (this.order.awaiting !== 'shipment') await this.record.change({ awaiting: 'shipment' });
  }

  /**
   * An `allowPartial` order: reserves what is available now (the rest waits for stock); with something
   * reserved to ship, takes payment for the whole order and awaits `shipment`; awaits `stock` while nothing
   * reserved is left to ship.
   */
  private async advanceInPart(): Promise<void> {
    if (!this.order.reserved) await this.stock.reserveAvailable();
    if (readyLines(this.order).length === 0) {
      if (this.order.awaiting !== 'stock') await this.record.change({ awaiting: 'stock' });
      return;
    }
    if (!(await this.payment.settle())) return;
    if (this.order.awaiting !== 'shipment') await this.record.change({ awaiting: 'shipment' });
  }

  /** Carries out one staff action. */
  private async apply(command: Command): Promise<void> {
    switch (command.action) {
      case 'approve':
        return this.record.change(approval(this.order, command.actor, command.comment ?? null, false));
      case 'reject':
        return this.record.change({
          status: 'rejected',
          awaiting: null,
          rejection: { by: command.actor, reason: command.reason, at: now() },
        });
      case 'edit':
        return this.edit(command);
      case 'retryPayment':
        return this.payment.retry();
      case 'shipPart':
        return this.shipments.shipPart(command);
      case 'ship': {
        if (this.shipments.recorded) return this.shipments.shipRest(command);
        await this.stock.handOver();
        const { carrier, trackingNumber } = command;
        return this.record.change({
          status: 'shipped',
          awaiting: 'delivery',
          reserved: false,
          shipment: { carrier, trackingNumber, shippedAt: now() },
        });
      }
      case 'complete':
        return this.record.change({ status: 'completed', awaiting: null, completedAt: now() });
      case 'cancel':
        admitCancelOfUnshipped(this.order);
        return this.record.change({
          status: 'cancelled',
          awaiting: null,
          cancellation: { by: command.actor, reason: command.reason, at: now() },
        });
    }
  }

  /** New lines (already priced by the API) or notes; the reservation follows, and approval if need be. */
  private async edit({ actor, lines, total, notes }: EditInput): Promise<void> {
    const before = this.order;
    const inPart = lines && this.stock.partial ? await this.stock.editedInPart(lines) : {};
    if (lines && before.reserved && !this.stock.partial) await this.stock.adjust(lines);
    const after = total ?? before.total;
    await this.record.change({
      ...(lines ? { lines, total: after, stockShortages: [], ...inPart } : {}),
      ...(notes !== undefined ? { notes } : {}),
      ...approvalAfterEdit(before, actor, after),
    });
  }

  /**
   * The archive is written after the workflow has closed, so that it holds the complete history; the order
   * only starts it (one marker, no round trip). Orders that began before run the archive step.
   */
  private async archive(): Promise<void> {
    const orderId = this.order.orderId;
    if (patched(ARCHIVE_AFTER_CLOSE_PATCH))
      await this.record.step('startArchive', () => local.startArchive({ orderId }));
    else await this.record.step('archiveOrder', () => remote.archiveOrder({ orderId }));
  }

  // ---- what the handlers delegate to ----

  /** The order as first written to PostgreSQL, once it is: what its creator is answered with. */
  async whenRecorded(): Promise<OrderSnapshot> {
    await condition(() => this.recorded !== null);
    return this.recorded!;
  }

  /** Refuses an action that the order's state or the actor's role does not allow now. */
  check(command: Command): void {
    check(this.order, command);
  }

  /** Queues a staff action; answers with the order once it is carried out and the order has settled. */
  submit(command: Command): Promise<OrderSnapshot> {
    return this.commands.submit(command);
  }

  stockChanged(): void {
    this.stock.changed();
  }

  // ---- the loop under it ----

  /** Carries out staff actions and the order's own work while the order is in `status`. */
  private async whileStatus(status: OrderStatus): Promise<void> {
    while (this.order.status === status) {
      const pending = this.commands.next();
      if (pending) {
        await this.carryOut(pending);
        continue;
      }
      await this.advance();
      if (this.commands.length > 0) continue;
      this.record.publish();
      if (this.historyIsLong()) {
        await this.continueAsNew();
        continue;
      }
      await this.waitForWork();
    }
  }

  private async carryOut({ command, done, failed }: Pending): Promise<void> {
    try {
      check(this.order, command);
      await this.apply(command);
      this.stock.changed();
      // A cancelled or rejected order is answered once its stock and money are back (or shown as a problem).
      if (this.compensation.due) await this.compensation.begin();
      else await this.advance();
      this.record.publish();
      done(this.order);
    } catch (error) {
      failed(error);
    }
  }

  /**
   * Waits until there is something to do: an action, a stock signal, a changed escalation policy, or a
   * timer (the next reminder, the next stock recheck). A durable timer per wait, cancelled when the wait ends.
   */
  private async waitForWork(): Promise<void> {
    const waitingForStock = this.stock.waiting;
    const recheckMs = this.stock.recheckMs();
    const reminderMs = this.watch.untilNext(Date.now());
    const planChanges = this.watch.changes;
    const wake = () =>
      this.commands.length > 0 ||
      this.watch.changes !== planChanges ||
      (waitingForStock && this.stock.worthAnotherLook);
    const timeouts = [recheckMs, reminderMs].filter((ms): ms is number => ms !== null);
    if (timeouts.length === 0) return void (await condition(wake));
    if (await condition(wake, Math.min(...timeouts))) return;
    await this.remind();
    if (recheckMs !== null && (reminderMs === null || recheckMs <= reminderMs)) this.stock.recheckDue();
  }

  /**
   * Sends every reminder that is due, the assignee's first, then each level to its own recipients, and
   * records the level reached.
   */
  private async remind(): Promise<void> {
    await remindAssigneeFirst(this.record, this.watch, this.order, Date.now());
    const due = this.watch.takeDue(this.order, Date.now());
    if (!due) return;
    for (const reminder of due.reminders) {
      await this.record.step('notifyOrder', () =>
        local.notifyOrder({ kind: 'order.escalated', order: this.order, ...reminder }),
      );
    }
    await this.record.change({ escalation: due.escalation });
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
    await condition(() => this.commands.length > 0 || allHandlersFinished());
    if (this.commands.length > 0) return;
    const memory: OrderMemory = { order: this.order, ...this.payment.memory, watch: this.watch.memory };
    await continueAsNew<(input: OrderInput, memory?: OrderMemory) => Promise<OrderSnapshot>>(
      this.input,
      memory,
    );
  }
}
