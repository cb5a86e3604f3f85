/**
 * The order's stock: reserved line by line before payment, moved with an edit, handed over with the
 * shipment, and released (its place in the queue for stock too) when the order is cancelled or rejected.
 * An order that waits for stock looks again when a restock signals it, and by itself on a growing timer.
 */
import { patched } from '@temporalio/workflow';
import { FAILURE, type AllocatedLine, type OrderLine, type OrderSnapshot } from '../../domain/order';
import { isAwaitingApproval } from '../../domain/order.state';
import { shippedQuantities, unshippedLines } from '../../domain/shipment.rules';
import { local } from './proxies';
import { refuse, stepFailedMessage, type OrderRecord } from './record';

/**
 * Marks orders that reserve what is available now, line by line, and wait for the rest (`allowPartial`).
 * Consulted only for orders placed with `allowPartial`, so no other order's history changes.
 */
export const ALLOW_PARTIAL_PATCH = 'allow-partial';

/**
 * How long an order waiting for stock waits before looking again without a signal (a lost signal must not
 * strand it): from a minute, doubling while nothing changes, up to an hour.
 */
const RECHECK_MS = { first: 60_000, longest: 3_600_000 };

export class OrderStock {
  /** Set by a stock signal, a recheck and every action: the next pass tries to reserve again. */
  private mayHaveChanged = true;
  private rechecks = 0;

  constructor(private readonly record: OrderRecord) {}

  /** Stock the order may be waiting for moved (a restock, a release, a staff action). */
  changed(): void {
    this.mayHaveChanged = true;
  }

  /** Whether the order reserves what is available now and waits for the rest (`allowPartial`). */
  get partial(): boolean {
    return this.record.order.allowPartial === true && patched(ALLOW_PARTIAL_PATCH);
  }

  /**
   * Whether the order is waiting for stock it has not got. An `allowPartial` order waits for the rest of its
   * lines while it ships what it holds, so it may be awaiting `shipment` (or `payment`) and still wait.
   */
  get waiting(): boolean {
    const order = this.record.order;
    if (this.partial) {
      return order.status === 'processing' && !isAwaitingApproval(order) && !order.reserved;
    }
    return order.awaiting === 'stock' && !order.reserved;
  }

  /** Whether a signal or action since the last look makes another try worthwhile. */
  get worthAnotherLook(): boolean {
    return this.mayHaveChanged;
  }

  /** Milliseconds until the order waiting for stock looks again by itself, or null when it is not waiting. */
  recheckMs(): number | null {
    return this.waiting ? Math.min(RECHECK_MS.first * 2 ** this.rechecks, RECHECK_MS.longest) : null;
  }

  /** The recheck timer fired: look again, and wait longer next time if nothing changed. */
  recheckDue(): void {
    this.rechecks++;
    this.mayHaveChanged = true;
  }

  /** Tries to reserve the order's lines; false while it waits for stock. */
  async reserve(): Promise<boolean> {
    const order = this.record.order;
    if (order.awaiting === 'stock' && !this.mayHaveChanged) return false;
    // Cleared before the attempt, so a signal that arrives during it triggers another one.
    this.mayHaveChanged = false;
    const reservation = (await this.record.step('reserveStock', () =>
      local.reserveStock({ orderId: order.orderId, lines: order.lines, since: order.createdAt }),
    )) ?? { ok: false as const, shortages: order.stockShortages };
    if (reservation.ok) {
      this.rechecks = 0;
      await this.record.change({ reserved: true, stockShortages: [], awaiting: 'payment' });
      return true;
    }
    const current = this.record.order;
    if (
      current.awaiting !== 'stock' ||
      JSON.stringify(current.stockShortages) !== JSON.stringify(reservation.shortages)
    ) {
      this.rechecks = 0;
      await this.record.change({ awaiting: 'stock', stockShortages: reservation.shortages });
    }
    return false;
  }

  /**
   * An `allowPartial` order reserves what is available now of what it still needs (what has not shipped),
   * line by line, first come first served; the rest waits in the queue. `reserved` becomes true once it
   * holds all it still needs. Does nothing unless a signal or action since the last look may have changed
   * something.
   */
  async reserveAvailable(): Promise<void> {
    if (!this.mayHaveChanged) return;
    this.mayHaveChanged = false;
    const order = this.record.order;
    const shipped = shippedQuantities(order);
    const needed = order.lines.flatMap((line) => {
      const left = line.quantity - (shipped.get(line.sku) ?? 0);
      return left > 0 ? [{ ...line, quantity: left }] : [];
    });
    if (needed.length === 0) return;
    const result = await this.record.step('reserveAvailable', () =>
      local.reserveAvailable({ orderId: order.orderId, lines: needed, since: order.createdAt }),
    );
    if (result === null) return;
    const held = new Map(result.held.map((line) => [line.sku, line.quantity]));
    const allocated: AllocatedLine[] = order.lines.map(({ sku }) => ({
      sku,
      quantity: (shipped.get(sku) ?? 0) + (held.get(sku) ?? 0),
    }));
    const reserved = needed.every((line) => (held.get(line.sku) ?? 0) >= line.quantity);
    const current = this.record.order;
    if (
      reserved === current.reserved &&
      JSON.stringify(allocated) === JSON.stringify(current.allocated) &&
      JSON.stringify(result.shortages) === JSON.stringify(current.stockShortages)
    )
      return;
    this.rechecks = 0;
    await this.record.change({ allocated, reserved, stockShortages: result.shortages });
  }

  /**
   * An `allowPartial` order's lines were edited (nothing has shipped: an edit is refused after that). What it
   * holds is cut to the new lines and kept, never lost to another order; the next pass reserves what is
   * available of the rest, in the order's place in the queue. Answers the changes to record with the edit.
   */
  async editedInPart(lines: OrderLine[]): Promise<Partial<Pick<OrderSnapshot, 'allocated' | 'reserved'>>> {
    const order = this.record.order;
    this.changed();
    if (!(order.allocated ?? []).some((line) => line.quantity > 0)) return {};
    // What has shipped is no longer held: the reservation is cut to what is left of each edited line.
    const trimmed = await this.record.step('trimReservation', () =>
      local.trimReservation({ orderId: order.orderId, lines: unshippedLines(order, lines) }),
    );
    if (trimmed === null) refuse(FAILURE.stepFailed, stepFailedMessage('edit'), this.record.order);
    const before = new Map((order.allocated ?? []).map((line) => [line.sku, line.quantity]));
    const allocated = lines.map(({ sku, quantity }) => ({
      sku,
      quantity: Math.min(quantity, before.get(sku) ?? 0),
    }));
    return { allocated, reserved: false };
  }

  /**
   * Moves the reservation to edited lines (less what has shipped of them), all or nothing; refuses the edit
   * when the stock is not there.
   */
  async adjust(lines: OrderLine[]): Promise<void> {
    const order = this.record.order;
    const adjusted = await this.record.step('adjustReservation', () =>
      local.adjustReservation({ orderId: order.orderId, lines: unshippedLines(order, lines) }),
    );
    if (!adjusted) refuse(FAILURE.stepFailed, stepFailedMessage('edit'), this.record.order);
    if (!adjusted.ok) {
      const detail = adjusted.shortages.map(
        (s) => `${s.sku}: ${s.requested} wanted, ${s.available} available`,
      );
      refuse(
        FAILURE.insufficientStock,
        `not enough stock for the edit (${detail.join('; ')})`,
        this.record.order,
      );
    }
  }

  /** The reserved goods leave with the shipment; refuses the shipment when that step failed for good. */
  async handOver(): Promise<void> {
    const orderId = this.record.order.orderId;
    const fulfilled = await this.record.step('fulfilStock', () => local.fulfilStock({ orderId }));
    if (fulfilled === null) refuse(FAILURE.stepFailed, stepFailedMessage('ship'), this.record.order);
  }

  /**
   * Compensation of `reserve`: gives back the reservation and the order's place in the queue (so it runs even
   * with nothing reserved); false when that failed for good and must be tried again later.
   */
  async release(): Promise<boolean> {
    const orderId = this.record.order.orderId;
    if ((await this.record.step('releaseStock', () => local.releaseStock({ orderId }))) === null)
      return false;
    if (this.partial && this.record.order.allocated !== undefined) {
      // What shipped stays allocated; what was held is back in stock.
      const shipped = shippedQuantities(this.record.order);
      const allocated = this.record.order.lines.map(({ sku }) => ({ sku, quantity: shipped.get(sku) ?? 0 }));
      if (
        this.record.order.reserved ||
        JSON.stringify(allocated) !== JSON.stringify(this.record.order.allocated)
      )
        await this.record.change({ reserved: false, allocated });
      return true;
    }
    if (this.record.order.reserved) await this.record.change({ reserved: false });
    return true;
  }
}
