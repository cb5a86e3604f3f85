/**
 * The stockChanged signals that wake orders waiting for stock, at most one to an order every `gapMs` from
 * this process: those asked for meanwhile become one, sent once the gap has passed. A burst of restocks or
 * cancellations (an import, the end of a sale) would otherwise send a waiting order one signal per change,
 * and 100 of them arriving while one of its workflow tasks runs make Temporal fail that task
 * (`history.maximumBufferedEventsBatch`), which the SDK's core mishandles when the task was running a local
 * activity: the order's history no longer replays (docs/testing.md, "A flood of signals"). A waiting order
 * also looks at the stock again on its own, so a signal only wakes it early and one per gap loses nothing.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { orderWorkflowId, stockChangedSignal } from '../workflows/order.definitions';

/** The shortest time between two signals to one order from one process. */
export const STOCK_SIGNAL_GAP_MS = 250;

export class StockSignals {
  /** Orders signalled within the gap, and whether another signal was asked for since. */
  private readonly recent = new Map<string, { again: boolean }>();

  constructor(
    private readonly send: (orderId: string) => Promise<void>,
    /** A signal sent after its gap has no caller to fail: its error is handed here. */
    private readonly onLateError: (orderId: string, error: unknown) => void,
    private readonly gapMs = STOCK_SIGNAL_GAP_MS,
  ) {}

  /**
   * Signals each order now, or once its gap has passed when it was signalled lately. A signal sent now
   * fails the call as it fails; the orders after it are then not signalled.
   */
  async tell(orderIds: string[]): Promise<void> {
    for (const orderId of orderIds) {
      const recent = this.recent.get(orderId);
      if (recent) {
        recent.again = true;
        continue;
      }
      const state = { again: false };
      this.recent.set(orderId, state);
      try {
        await this.send(orderId);
      } catch (error) {
        this.recent.delete(orderId);
        throw error;
      }
      this.afterGap(orderId, state);
    }
  }

  private afterGap(orderId: string, state: { again: boolean }): void {
    setTimeout(() => {
      if (!state.again) {
        this.recent.delete(orderId);
        return;
      }
      state.again = false;
      this.send(orderId).then(
        () => this.afterGap(orderId, state),
        (error: unknown) => {
          this.recent.delete(orderId);
          this.onLateError(orderId, error);
        },
      );
    }, this.gapMs).unref();
  }
}

/** Stock signals through a Temporal client; an order that has finished meanwhile is skipped. */
export function stockSignals(
  client: Client,
  onLateError: (orderId: string, error: unknown) => void,
): StockSignals {
  return new StockSignals(async (orderId) => {
    try {
      await client.workflow.getHandle(orderWorkflowId(orderId)).signal(stockChangedSignal);
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
  }, onLateError);
}
