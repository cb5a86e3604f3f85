/**
 * Retries of Temporal client calls that end cleanly when their connection closes.
 *
 * The SDK's retry interceptor waits on a timer between attempts and then starts the next attempt on the
 * connection's channel. Closing the channel fails every queued call with UNAVAILABLE, which the default
 * decider retries: the timer then fires on a closed channel and throws "Channel has been shut down" from a
 * timer, where nobody can catch it (a test file "failed to run", a process crashed on shutdown). So once a
 * close begins no call is retried any more, and the close waits for the retries already scheduled to have
 * started before it closes the channel; their calls then end with the channel's error, to their callers.
 */
import {
  defaultGrpcRetryOptions,
  makeGrpcRetryInterceptor,
  type ConnectionLike,
  type GrpcRetryOptions,
} from '@temporalio/client';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ClosableRetries {
  /** The retry interceptor to give the connection (`interceptors: [retries.interceptor]`). */
  interceptor: ReturnType<typeof makeGrpcRetryInterceptor>;
  /** Stops retrying, lets the retries already scheduled start, then closes the connection. */
  close(connection: Pick<ConnectionLike, 'close'>): Promise<void>;
}

/** Retries as `base` decides (the SDK's defaults when omitted), until the connection is closed. */
export function closableRetries(base: GrpcRetryOptions = defaultGrpcRetryOptions()): ClosableRetries {
  let closing = false;
  /** When the last scheduled retry starts, in epoch milliseconds. */
  let lastRetryAt = 0;
  const interceptor = makeGrpcRetryInterceptor({
    retryableDecider: (attempt, status) => !closing && base.retryableDecider(attempt, status),
    delayFunction: (attempt, status) => {
      const delay = base.delayFunction(attempt, status);
      lastRetryAt = Math.max(lastRetryAt, Date.now() + delay);
      return delay;
    },
  });
  return {
    interceptor,
    async close(connection) {
      closing = true;
      const pending = lastRetryAt - Date.now();
      // The timer may fire a few milliseconds late; its attempt must be on the channel before it closes.
      if (pending > -50) await sleep(Math.max(pending, 0) + 50);
      await connection.close();
    },
  };
}
