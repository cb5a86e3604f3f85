import { Controller, Headers, Sse, type MessageEvent } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiProduces, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { Observable } from 'rxjs';
import type { Actor } from '../../domain/order';
import { CurrentActor, CurrentSessionId } from '../auth/actor.decorator';
import { OrderEventsService } from '../services/order-events.service';
import { ANYONE, Roles } from '../auth/roles.decorator';
import { ErrorDto } from '../dtos/error.dto';

@ApiTags('operations')
@Controller('events')
export class EventsController {
  constructor(private readonly service: OrderEventsService) {}

  @Sse()
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description:
      'Server-sent events `{type: "order.updated", orderId, status, awaiting}` as orders move, each with an id. ' +
      'A `{type: "resync", reason}` event means updates were missed: read the orders again. The stream ends ' +
      'when the session it was opened with ends (logout, sign out everywhere, an admin, a changed password).',
  })
  @ApiTooManyRequestsResponse({
    type: ErrorDto,
    description: 'The user already holds OMS_EVENT_STREAMS_PER_USER streams open.',
  })
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
    @Headers('last-event-id') lastEventId?: string,
  ): Observable<MessageEvent> {
    return this.service.stream({ userId: actor.id, sessionId }, lastEventId || undefined);
  }
}
