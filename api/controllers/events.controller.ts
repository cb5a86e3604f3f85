import { Controller, Sse, type MessageEvent } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
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
    description: 'Server-sent events `{type: "order.updated", orderId, status, awaiting}` as orders move.',
  })
  @Roles(...ANYONE)
  stream(): Observable<MessageEvent> {
    return this.service.stream();
  }
}
