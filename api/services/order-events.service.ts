import {
  Injectable,
  Logger,
  type MessageEvent,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { Observable, Subject, concat, finalize, from, map, takeUntil } from 'rxjs';
import { AppConfig } from '../../config/config';
import {
  listenToOrderEvents,
  type ListenerState,
  type OrderEvent,
  type OrderEventsListener,
} from '../../db/order-events';
import { SessionRepository, type SessionEnded } from '../../db/repositories';
import { DomainError } from '../errors/domain.error';

/** Sent instead of the updates a client missed: it should read the orders it shows again. */
export interface ResyncEvent {
  type: 'resync';
  reason: string;
}

type Numbered = { id: string; event: OrderEvent | ResyncEvent };

/** How many recent events are kept for clients that come back with `Last-Event-ID`. */
const REPLAY_LIMIT = 1000;

/**
 * How often every open stream's session is checked again: catches sessions that expired, and ends that a
 * cut listening connection did not hear of.
 */
const SESSION_SWEEP_MS = 60_000;

/** Whose a live stream is, and how to end it. */
export interface StreamOwner {
  userId: string;
  sessionId: string;
}

interface OpenStream extends StreamOwner {
  end: Subject<void>;
}

/**
 * Fans the database's order change notifications out to every live `GET /api/events` stream. Each event
 * has an id; a client that reconnects with `Last-Event-ID` gets what it missed from the recent events
 * kept here, or a `resync` event when they do not reach back that far (or come from an earlier run of the
 * API). When the database listener itself was cut off, updates in between were lost for everyone, and every
 * stream gets a `resync` event once it listens again.
 *
 * A stream lives as long as the session it was opened with: it ends when the database announces the
 * session's end (logout, "sign out everywhere", an admin, or a change of the user's password, roles or
 * `disabled`), and a sweep every minute ends those whose session expired or whose end was not heard. One
 * user may hold `OMS_EVENT_STREAMS_PER_USER` streams open on one API instance.
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
  /** The open streams by user. */
  private readonly streams = new Map<string, Set<OpenStream>>();
  private sweep: NodeJS.Timeout | null = null;

  constructor(
    private readonly config: AppConfig,
    private readonly orm: MikroORM,
  ) {}

  async onModuleInit(): Promise<void> {
    this.listener = await listenToOrderEvents(this.config.databaseUrl, (event) => this.publish(event), {
      onError: (error) => this.logger.warn(`order events listener: ${error.message}`),
      onResumed: (downMs) => {
        this.logger.log(`order events listener reconnected after ${downMs} ms`);
        this.publish({
          type: 'resync',
          reason: 'the live event feed was interrupted; updates may be missing',
        });
        void this.endStreamsOfClosedSessions();
      },
      onSessionEnded: (ended) => this.sessionEnded(ended),
    });
    this.sweep = setInterval(() => void this.endStreamsOfClosedSessions(), SESSION_SWEEP_MS);
    this.sweep.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.sweep) clearInterval(this.sweep);
    this.events.complete();
    await this.listener?.stop();
  }

  private sessionEnded({ sessionId, userId }: SessionEnded): void {
    for (const stream of this.streams.get(userId) ?? [])
      if (stream.sessionId === sessionId) stream.end.next();
  }

  /** Ends the streams whose session is no longer open (expired, or ended while the listener was cut off). */
  private async endStreamsOfClosedSessions(): Promise<void> {
    const open = [...this.streams.values()].flatMap((streams) => [...streams]);
    if (open.length === 0) return;
    try {
      const still = await new SessionRepository(this.orm.em.fork()).stillOpen([
        ...new Set(open.map((stream) => stream.sessionId)),
      ]);
      for (const stream of open) if (!still.has(stream.sessionId)) stream.end.next();
    } catch (error) {
      this.logger.warn(`checking the sessions of live streams failed: ${String(error)}`);
    }
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

  /**
   * Every order change from now on, as server-sent events, after what was missed since `lastEventId`, until
   * the owner's session ends; 429 when the owner already holds as many streams as one user may.
   */
  stream(owner: StreamOwner, lastEventId?: string): Observable<MessageEvent> {
    const mine = this.streams.get(owner.userId) ?? new Set<OpenStream>();
    const limit = this.config.api.eventStreamsPerUser;
    if (mine.size >= limit) {
      throw new DomainError(
        'throttled',
        `you already have ${limit} live event streams open (one per console tab); close one first`,
      );
    }
    // Counted from now, not from the subscription, so that parallel requests cannot all pass the check.
    const stream: OpenStream = { ...owner, end: new Subject<void>() };
    mine.add(stream);
    this.streams.set(owner.userId, mine);
    return this.events$(lastEventId).pipe(
      takeUntil(stream.end),
      finalize(() => {
        mine.delete(stream);
        if (mine.size === 0 && this.streams.get(owner.userId) === mine) this.streams.delete(owner.userId);
      }),
    );
  }

  private events$(lastEventId?: string): Observable<MessageEvent> {
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
