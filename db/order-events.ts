import { Client } from 'pg';
import { ORDER_EVENTS_CHANNEL } from './repositories';

export interface OrderEvent {
  type: 'order.updated';
  orderId: string;
  status: string;
  awaiting: string | null;
}

/**
 * Listens for the order changes the mirror announces with NOTIFY on one dedicated connection, reconnecting
 * after a failure. Returns the function that stops listening.
 */
export async function listenToOrderEvents(
  databaseUrl: string,
  onEvent: (event: OrderEvent) => void,
  onError: (error: Error) => void = () => undefined,
): Promise<() => Promise<void>> {
  let client: Client | null = null;
  let stopped = false;
  const connect = async (): Promise<void> => {
    const next = new Client({ connectionString: databaseUrl });
    next.on('notification', (message) => {
      if (message.channel === ORDER_EVENTS_CHANNEL && message.payload)
        onEvent(JSON.parse(message.payload) as OrderEvent);
    });
    next.on('error', (error) => {
      onError(error);
      void next.end().catch(() => undefined);
      if (!stopped) setTimeout(() => void connect().catch(onError), 1000).unref();
    });
    await next.connect();
    await next.query(`LISTEN ${ORDER_EVENTS_CHANNEL}`);
    client = next;
  };
  await connect();
  return async () => {
    stopped = true;
    await client?.end();
  };
}
