import {
  Injectable,
  Logger,
  type MessageEvent,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Observable, Subject, concat, from, map } from 'rxjs';
import { AppConfig } from '../../config/config';
import {
  listenToOrderEvents,
  type ListenerState,
  type OrderEvent,
  type OrderEventsListener,
} from '../../db/order-events';

/** Sent instead of the updates a client missed: it should read the orders it shows again. */
export interface ResyncEvent {
  type: 'resync';
  reason: string;
}

type Numbered = { id: string; event: OrderEvent | ResyncEvent };

/** How many recent events are kept for clients that come back with `Last-Event-ID`. */
const REPLAY_LIMIT = 1000;

/**
 * Fans the database's order change notifications out to every live `GET /api/events` stream. Each event
 * has an id; a client that reconnects with `Last-Event-ID` gets what it missed from the recent events
 * kept here, or a `resync` event when they do not reach back that far (or come from an earlier run of the
 * API). When the database listener itself was cut off, updates in between were lost for everyone, and every
 * stream gets a `resync` event once it listens again.
 */
@Injectable()
export class OrderEventsService implements OnModuleInit, OnModuleDestroy {
  private readonly events = new Subject<Numbered>();
  private readonly recent: Numbered[] = [];
  private readonly logger = new Logger('OrderEvents');
  /** Distinguishes this process's event ids from an earlier run's. */
  private readonly run = randomUUID().slice(0, 8);
  private sequence = 0;
  private listener: OrderEventsListener | null = null;

  constructor(private readonly config: AppConfig) {}

  async onModuleInit(): Promise<void> {
    this.listener = await listenToOrderEvents(this.config.databaseUrl, (event) => this.publish(event), {
      onError: (error) => this.logger.warn(`order events listener: ${error.message}`),
      onResumed: (downMs) => {
        this.logger.log(`order events listener reconnected after ${downMs} ms`);
        this.publish({
          type: 'resync',
          reason: 'the live event feed was interrupted; updates may be missing',
        });
      },
    });
  }

  async onModuleDestroy(): Promise<void> {
    this.events.complete();
    await this.listener?.stop();
  }

  /** Whether the database listener is connected; `/health` reports it. */
  state(): ListenerState {
    return this.listener?.state() ?? 'reconnecting';
  }

  private publish(event: OrderEvent | ResyncEvent): void {
    const numbered = { id: `${this.run}.${++this.sequence}`, event };
    this.recent.push(numbered);
    if (this.recent.length > REPLAY_LIMIT) this.recent.shift();
    this.events.next(numbered);
  }

  /** Every order change from now on, as server-sent events, after what was missed since `lastEventId`. */
  stream(lastEventId?: string): Observable<MessageEvent> {
    const toMessage = ({ id, event }: Numbered): MessageEvent => ({ id, type: event.type, data: event });
    const live = this.events.pipe(map(toMessage));
    if (!lastEventId) return live;
    const index = this.recent.findIndex((numbered) => numbered.id === lastEventId);
    const missed: Numbered[] =
      index >= 0
        ? this.recent.slice(index + 1)
        : [
            {
              id: `${this.run}.${this.sequence}`,
              event: { type: 'resync', reason: 'the events since Last-Event-ID are no longer kept' },
            },
          ];
    return concat(from(missed.map(toMessage)), live);
  }
}
