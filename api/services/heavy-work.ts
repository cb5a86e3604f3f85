import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/config';
import { RetryLater } from '../errors/domain.error';

/** What a request beyond the limit is told to wait before asking again. */
export const BUSY_RETRY_AFTER_SECONDS = 2;

/**
 * At most `concurrency` pieces of work at once, `queue` more waiting their turn in order of arrival, and
 * anything beyond refused at once with `RetryLater` (503 with Retry-After): the bound on what CPU-heavy
 * requests (PDFs, history replays) may take of one process, so that one user asking again and again cannot
 * pin its processors. A piece that fails frees its place like one that succeeds.
 */
export class WorkLimit {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly concurrency: number,
    private readonly queue: number,
  ) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.queue) {
        throw new RetryLater(
          'unavailable',
          `the server is busy with other PDFs and history replays; try again in ${BUSY_RETRY_AFTER_SECONDS} s`,
          BUSY_RETRY_AFTER_SECONDS,
        );
      }
      // The place is handed over by the piece that finishes (`running` is not decremented in between).
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}

/** The API process's one limit for CPU-heavy requests (OMS_HEAVY_WORK_CONCURRENCY, OMS_HEAVY_WORK_QUEUE). */
@Injectable()
export class HeavyWork extends WorkLimit {
  constructor(config: AppConfig) {
    super(config.api.heavyWork.concurrency, config.api.heavyWork.queue);
  }
}
