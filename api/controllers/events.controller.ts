import { Controller, Sse, type MessageEvent } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Observable } from 'rxjs';
import { OrderEventsService } from '../services/order-events.service';
import { ANYONE, Roles } from '../auth/roles.decorator';
import { ApiContent, ApiOp, OptionalHeader, TEXT } from '../openapi/decorators';

@ApiTags('operations')
@Controller('events')
export class EventsController {
  constructor(private readonly service: OrderEventsService) {}

  @Sse()
  @ApiOp('streamOrderEvents', 'Follow orders as they move (server-sent events)')
  @ApiContent(
    200,
    'Server-sent events `{type: "order.updated", orderId, status, awaiting}` as orders move, each with an id. ' +
      'A `{type: "resync", reason}` event means updates were missed: read the orders again.',
    { 'text/event-stream': TEXT },
  )
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description:
      'The id of the last event received: the stream starts with what came after it (or a resync).',
  })
  @Roles(...ANYONE)
  stream(@OptionalHeader('Last-Event-ID') lastEventId?: string): Observable<MessageEvent> {
    return this.service.stream(lastEventId || undefined);
  }
}
