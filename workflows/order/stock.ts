/**
 * The order's stock: reserved line by line before payment, moved with an edit, handed over with the
 * shipment, and released (its place in the queue for stock too) when the order is cancelled or rejected.
 * An order that waits for stock looks again when a restock signals it, and by itself on a growing timer.
 */
import { FAILURE, type OrderLine } from '../../domain/order';
import { local } from './proxies';
import { refuse, stepFailedMessage, type OrderRecord } from './record';

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

  /** Whether the order is waiting for stock it has not got. */
  get waiting(): boolean {
    return this.record.order.awaiting === 'stock' && !this.record.order.reserved;
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

  /** Moves the reservation to edited lines, all or nothing; refuses the edit when the stock is not there. */
  async adjust(lines: OrderLine[]): Promise<void> {
    const order = this.record.order;
    const adjusted = await this.record.step('adjustReservation', () =>
      local.adjustReservation({ orderId: order.orderId, lines }),
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
    if (this.record.order.reserved) await this.record.change({ reserved: false });
    return true;
  }
}
