/**
 * Compensation for a cancelled or rejected order: its stock and its money go back. Each step is idempotent
 * and retried until it succeeds, and the workflow resumes here after a crash, so they always go back. A step
 * that fails for good is shown as the order's problem and tried again later, never given up.
 */
import { patched, sleep } from '@temporalio/workflow';
import { keptOnCancel } from './cancel-unshipped';
import type { OrderPayment } from './payment';
import type { OrderRecord } from './record';
import type { OrderStock } from './stock';

/** Marks orders that try a failed compensation again after 10 s, doubling up to an hour (before: every hour). */
export const COMPENSATION_BACKOFF_PATCH = 'compensation-backoff';

/** The pause before the n-th further try (0 = first) to give back what failed. */
function pauseBeforeRetry(attempt: number): number | string {
  if (!patched(COMPENSATION_BACKOFF_PATCH)) return '1 hour';
  return Math.min(10_000 * 2 ** attempt, 3_600_000);
}

export class OrderCompensation {
  /** Whether the stock and money are back; null before the first try. */
  private returned: boolean | null = null;

  constructor(
    private readonly record: OrderRecord,
    private readonly stock: OrderStock,
    private readonly payment: OrderPayment,
  ) {}

  /** Cancelled or rejected: the order's stock and money go back. */
  get due(): boolean {
    const { status } = this.record.order;
    return status === 'cancelled' || status === 'rejected';
  }

  /** The first try, right when the order is cancelled or rejected (its staff action is answered after it). */
  async begin(): Promise<void> {
    this.returned = await this.giveBack();
  }

  /** Tries again, with growing pauses, until everything is back. */
  async finish(): Promise<void> {
    if (!this.due) return;
    this.returned ??= await this.giveBack();
    for (let attempt = 0; !this.returned; attempt++) {
      await sleep(pauseBeforeRetry(attempt));
      this.returned = await this.giveBack();
    }
  }

  private async giveBack(): Promise<boolean> {
    return (await this.stock.release()) && (await this.payment.refundAll(keptOnCancel(this.record.order)));
  }
}
