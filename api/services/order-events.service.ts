import {
  Injectable,
  Logger,
  type MessageEvent,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { Subject, map, type Observable } from 'rxjs';
import { AppConfig } from '../../config/config';
import { listenToOrderEvents, type OrderEvent } from '../../db/order-events';

/** Fans the database's order change notifications out to every live `GET /api/events` stream. */
@Injectable()
export class OrderEventsService implements OnModuleInit, OnModuleDestroy {
  private readonly events = new Subject<OrderEvent>();
  private readonly logger = new Logger('OrderEvents');
  private stop: (() => Promise<void>) | null = null;

  constructor(private readonly config: AppConfig) {}

  async onModuleInit(): Promise<void> {
    this.stop = await listenToOrderEvents(
      this.config.databaseUrl,
      (event) => this.events.next(event),
      (error) => this.logger.warn(`order events listener: ${error.message}`),
    );
  }

  async onModuleDestroy(): Promise<void> {
    this.events.complete();
    await this.stop?.();
  }

  /** Every order change from now on, as server-sent events. */
  stream(): Observable<MessageEvent> {
    return this.events.pipe(map((event) => ({ type: event.type, data: event })));
  }
}
