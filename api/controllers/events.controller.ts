import { Controller, Sse, type MessageEvent } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Observable } from 'rxjs';
import type { Actor } from '../../domain/order';
import { CurrentActor, CurrentSessionId } from '../auth/actor.decorator';
import { OrderEventsService } from '../services/order-events.service';
import { ANYONE, Roles } from '../auth/roles.decorator';
import { ApiContent, ApiErrors, ApiOp, OptionalHeader, TEXT } from '../openapi/decorators';

@ApiTags('operations')
@Controller('events')
export class EventsController {
  constructor(private readonly service: OrderEventsService) {}

  @Sse()
  @ApiOp('streamOrderEvents', 'Follow orders as they move (server-sent events)')
  @ApiContent(
    200,
    'Server-sent events `{type: "order.updated", orderId, status, awaiting}` as orders move, each with an id. ' +
      'A `{type: "resync", reason}` event means updates were missed: read the orders again. The stream ends ' +
      'when the session it was opened with ends (logout, sign out everywhere, an admin, a changed password).',
    { 'text/event-stream': TEXT },
  )
  @ApiErrors([429, 'The user already holds OMS_EVENT_STREAMS_PER_USER streams open.'])
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description:
      'The id of the last event received: the stream starts with what came after it (or a resync).',
  })
  @Roles(...ANYONE)
  stream(
    @CurrentActor() actor: Actor,
    @CurrentSessionId() sessionId: string,
    @OptionalHeader('Last-Event-ID') lastEventId?: string,
  ): Observable<MessageEvent> {
    return this.service.stream({ userId: actor.id, sessionId }, lastEventId || undefined);
  }
}
