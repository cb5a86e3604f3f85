import { Client } from 'pg';
import { pgClientConfig } from '../config/postgres-tls';
import { ORDER_EVENTS_CHANNEL } from './projections';
import { SESSION_EVENTS_CHANNEL, type SessionEnded } from './repositories';

export interface OrderEvent {
  type: 'order.updated';
  orderId: string;
  status: string;
  awaiting: string | null;
}

export type ListenerState = 'listening' | 'reconnecting' | 'stopped';

export interface OrderEventsListener {
  state(): ListenerState;
  stop(): Promise<void>;
}

/** Pause before reconnect attempt `attempt` (1-based): 0.5 s doubling up to 15 s, forever. */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(15_000, 500 * 2 ** Math.max(0, attempt - 1));
}

/**
 * Listens for the order changes the mirror announces with NOTIFY on one dedicated connection, and for the
 * sessions that end (`onSessionEnded`). A lost connection is retried with backoff for as long as it takes;
 * `onResumed` is called after each reconnect, because NOTIFYs sent meanwhile were lost and the listeners
 * must catch up another way.
 */
export async function listenToOrderEvents(
  databaseUrl: string,
  onEvent: (event: OrderEvent) => void,
  handlers: {
    onError?: (error: Error) => void;
    onResumed?: (downMs: number) => void;
    onSessionEnded?: (event: SessionEnded) => void;
  } = {},
): Promise<OrderEventsListener> {
  const onError = handlers.onError ?? (() => undefined);
  let client: Client | null = null;
  let state: ListenerState = 'reconnecting';
  let timer: NodeJS.Timeout | null = null;
  let attempt = 0;
  let lostAt: number | null = null;

  const connect = async (): Promise<void> => {
    const next = new Client({
      ...pgClientConfig(databaseUrl),
      connectionTimeoutMillis: 5000,
      keepAlive: true,
    });
    next.on('notification', (message) => {
      if (!message.payload) return;
      if (message.channel === ORDER_EVENTS_CHANNEL) onEvent(JSON.parse(message.payload) as OrderEvent);
      if (message.channel === SESSION_EVENTS_CHANNEL)
        handlers.onSessionEnded?.(JSON.parse(message.payload) as SessionEnded);
    });
    let failed = false;
    const lost = (error: Error) => {
      if (failed) return;
      failed = true;
      onError(error);
      void next.end().catch(() => undefined);
      if (client === next) client = null;
      if (state === 'stopped') return;
      state = 'reconnecting';
      lostAt ??= Date.now();
      schedule();
    };
    next.on('error', lost);
    next.on('end', () => lost(new Error('the listening connection ended')));
    await next.connect();
    await next.query(`LISTEN ${ORDER_EVENTS_CHANNEL}`);
    if (handlers.onSessionEnded) await next.query(`LISTEN ${SESSION_EVENTS_CHANNEL}`);
    if (state === 'stopped') {
      await next.end();
      return;
    }
    client = next;
    state = 'listening';
    attempt = 0;
    if (lostAt !== null) {
      handlers.onResumed?.(Date.now() - lostAt);
      lostAt = null;
    }
  };
  const schedule = () => {
    if (timer || state === 'stopped') return;
    timer = setTimeout(() => {
      timer = null;
      connect().catch((error: Error) => {
        onError(error);
        schedule();
      });
    }, reconnectDelayMs(++attempt));
    timer.unref();
  };

  // PostgreSQL down when the API starts: it starts anyway and keeps trying.
  await connect().catch((error: Error) => {
    onError(error);
    lostAt = Date.now();
    schedule();
  });
  return {
    state: () => state,
    stop: async () => {
      state = 'stopped';
      if (timer) clearTimeout(timer);
      await client?.end();
    },
  };
}
