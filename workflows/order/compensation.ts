/**
 * Compensation for a cancelled or rejected order: its stock and its money go back. Each step is idempotent
 * and retried until it succeeds, and the workflow resumes here after a crash, so they always go back. A step
 * that fails for good is shown as the order's problem and tried again later, never given up.
 */
import { sleep } from '@temporalio/workflow';
import type { OrderPayment } from './payment';
import type { OrderRecord } from './record';
import type { OrderStock } from './stock';

/** How long a cancelled or rejected order waits before trying again to return stock or money that failed. */
const RETRY = '1 hour';

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
    while (!this.returned) {
      await sleep(RETRY);
      this.returned = await this.giveBack();
    }
  }

  private async giveBack(): Promise<boolean> {
    return (await this.stock.release()) && (await this.payment.refundAll());
  }
}
