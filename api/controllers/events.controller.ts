import { Controller, Headers, Sse, type MessageEvent } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Observable } from 'rxjs';
import { OrderEventsService } from '../services/order-events.service';
import { ANYONE, Roles } from '../auth/roles.decorator';

@ApiTags('operations')
@Controller('events')
export class EventsController {
  constructor(private readonly service: OrderEventsService) {}

  @Sse()
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description:
      'Server-sent events `{type: "order.updated", orderId, status, awaiting}` as orders move, each with an id. ' +
      'A `{type: "resync", reason}` event means updates were missed: read the orders again.',
  })
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description:
      'The id of the last event received: the stream starts with what came after it (or a resync).',
  })
  @Roles(...ANYONE)
  stream(@Headers('last-event-id') lastEventId?: string): Observable<MessageEvent> {
    return this.service.stream(lastEventId || undefined);
  }
}
