/**
 * The worker's archiver: it writes the archive of each order queued in `order_archive_queue` once the
 * order's workflow has closed. Not a Temporal workflow: a loop in the worker process, on the rows in
 * PostgreSQL.
 *
 * Why a loop and not, as before, a workflow per order: the row is the durable state either way, and an
 * archiving workflow cost the Temporal server a workflow start and its tasks for every order, and the worker
 * their activations; measured, that was about a sixth of a full order's throughput (docs/benchmarks.md).
 *
 * - Rows are claimed oldest first with `FOR UPDATE SKIP LOCKED`, each with a lease: several worker processes
 *   share the queue, and the rows of one that dies are taken up when their lease runs out.
 * - An order whose workflow has not closed yet, and any failure (Temporal or PostgreSQL unreachable), is
 *   tried again later, with a growing wait, its reason kept in the row. Writing an archive twice adds
 *   nothing: a record is added only when the history has grown.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { ArchiveQueueRepository } from '../db/repositories';

export interface ArchiverDeps {
  em: () => EntityManager;
  /** Writes the archive of a closed order; fails while its workflow is open. */
  archive(orderId: string): Promise<void>;
  log: { warn(message: string, attributes?: Record<string, unknown>): void };
}

/** How often it looks for due archives when it found none. */
const POLL_MS = 500;
/** Archives claimed at once. */
const BATCH = 10;
/** How long a claimed archive stays this archiver's: far longer than writing one takes. */
const LEASE_MS = 120_000;
const FIRST_RETRY_MS = 1_000;
const LONGEST_RETRY_MS = 10 * 60_000;

/** How long an archive that could not be written waits before its next try (`attempts` counts this one). */
function archiveRetryMs(attempts: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), LONGEST_RETRY_MS);
}

export class OrderArchiver {
  private stopped = false;
  private loopDone: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  constructor(private readonly deps: ArchiverDeps) {}

  start(): void {
    this.loopDone ??= this.loop();
  }

  /** Stops after the archive it is writing; the rows it claimed and did not reach are due again at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loopDone;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      let claimed = 0;
      try {
        claimed = await this.pass();
      } catch (error) {
        this.deps.log.warn('archive queue not read', { error: String(error) });
      }
      if (claimed < BATCH) await this.sleep(POLL_MS);
    }
  }

  /** Writes the archives due now (at most a batch); answers how many it claimed. */
  private async pass(): Promise<number> {
    const queue = () => new ArchiveQueueRepository(this.deps.em());
    const due = await queue().claim(BATCH, LEASE_MS);
    for (const [index, { orderId, attempts }] of due.entries()) {
      if (this.stopped) {
        // Stopping: what it claimed and did not reach is due again at once, for the next archiver.
        await queue().release(due.slice(index).map((row) => row.orderId));
        break;
      }
      try {
        await this.deps.archive(orderId);
        await queue().done(orderId);
      } catch (error) {
        const delayMs = archiveRetryMs(attempts);
        if (attempts > 3)
          this.deps.log.warn('order not archived yet', { orderId, attempts, error: String(error) });
        await queue()
          .retryLater(orderId, delayMs, String(error))
          .catch(() => undefined); // its lease brings it back
      }
    }
    return due.length;
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
    });
  }
}
