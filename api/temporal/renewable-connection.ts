import { Logger } from '@nestjs/common';
import { Connection, type CallContext, type ConnectionOptions } from '@temporalio/client';
import { AsyncLocalStorage } from 'node:async_hooks';

/** What a failed call says about itself (grpc-js's status object). */
export interface CallStatus {
  code: number;
  details: string;
}

const INTERNAL = 13;
const UNAVAILABLE = 14;

/**
 * Whether a call failed because the channel under it is dead rather than because Temporal is down or slow.
 * grpc-js can be left holding an HTTP/2 session that Node has destroyed without an event to say so (seen
 * when a TLS stream breaks mid-record, e.g. a route that dropped bytes and came back: the peer answers
 * "bad record mac" and hangs up). The channel then stays READY, its keepalive pings stop (none is sent on
 * a destroyed session), and every call fails at once with "The session has been destroyed", for as long
 * as the process lives.
 */
export function isDeadChannel(status: CallStatus): boolean {
  return (
    (status.code === INTERNAL || status.code === UNAVAILABLE) &&
    /session has been destroyed/i.test(status.details)
  );
}

/** After a renewal, a channel is given this long before another failure may replace it. */
const MIN_RENEWAL_INTERVAL_MS = 2000;
/**
 * A replaced connection closes this much later, after every call and scheduled retry on it has ended (a
 * retry whose timer fires on a closed channel throws where nobody can catch it; see ops/temporal-retries).
 */
const RETIRE_AFTER_MS = 60_000;

/**
 * The API's Temporal connection, replaced by a fresh one when a call finds its channel dead. `connection`
 * is what the `Client` holds: it forwards to whichever connection is current, and all of them share one
 * call context, so a deadline a request set (`withDeadline`) still holds for its calls after a renewal.
 */
export class RenewableConnection {
  private readonly logger = new Logger('Temporal');
  private readonly storage = new AsyncLocalStorage<CallContext>();
  private readonly make: () => Connection;
  private current: Connection;
  private readonly retired = new Set<Connection>();
  private renewedAt = 0;
  private closed = false;
  /** The stable handle to give the SDK's `Client`. */
  readonly connection: Connection;
  /** How many times the channel was found dead and replaced (for tests and metrics). */
  renewals = 0;

  constructor(options: ConnectionOptions) {
    const SharedContext = sharingCallContext(this.storage);
    this.make = () => SharedContext.lazy(options);
    this.current = this.make();
    this.connection = new Proxy(this.current, {
      get: (_target, property) => {
        const value: unknown = Reflect.get(this.current, property, this.current);
        return typeof value === 'function' ? (value.bind(this.current) as unknown) : value;
      },
    });
  }

  /** Told of every failed call (by the retry interceptor's decider): replaces the channel if it is dead. */
  noticeFailure(status: CallStatus): void {
    if (this.closed || !isDeadChannel(status)) return;
    if (Date.now() - this.renewedAt < MIN_RENEWAL_INTERVAL_MS) return;
    this.renewedAt = Date.now();
    this.renewals += 1;
    const old = this.current;
    this.current = this.make();
    this.retired.add(old);
    this.logger.warn(`the connection to Temporal was dead (${status.details.trim()}); opened a new one`);
    const timer = setTimeout(() => void this.retire(old), RETIRE_AFTER_MS);
    timer.unref();
  }

  /** Closes the current connection and any replaced one not closed yet. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([this.current, ...this.retired].map((connection) => this.retire(connection)));
  }

  private async retire(connection: Connection): Promise<void> {
    this.retired.delete(connection);
    await connection.close().catch(() => undefined);
  }
}

/**
 * A `Connection` class whose instances read deadlines, metadata and abort signals from one shared store
 * instead of each its own, so that a call context set on one connection applies on its replacement.
 */
function sharingCallContext(storage: AsyncLocalStorage<CallContext>) {
  return class SharedContextConnection extends Connection {
    protected static override createCtorOptions(options: ConnectionOptions) {
      return { ...super.createCtorOptions(options), callContextStorage: storage };
    }
    /**
     * Closes the channel only: the SDK's close also disables the call context store, which here is shared
     * with the connection that replaced this one (and would drop the deadlines of its requests in flight).
     */
    override close(): Promise<void> {
      this.client.close();
      return Promise.resolve();
    }

    protected static override generateRPCImplementation(
      options: Parameters<typeof Connection.generateRPCImplementation>[0],
    ) {
      return super.generateRPCImplementation({ ...options, callContextStorage: storage });
    }
  };
}
