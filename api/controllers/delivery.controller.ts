import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../domain/order';
import { CurrentActor } from '../auth/actor.decorator';
import { ANYONE, MANAGERS, Roles } from '../auth/roles.decorator';
import {
  DeliveryDto,
  DeliveryPageDto,
  DeliveryQueryDto,
  DestinationDto,
  DestinationListDto,
} from '../dtos/delivery.dto';
import { DeliveryService } from '../services/delivery.service';
import { ApiErrors, ApiOp } from '../openapi/decorators';

@ApiTags('notifications')
@Controller()
export class DeliveryController {
  constructor(private readonly service: DeliveryService) {}

  @Get('deliveries')
  @ApiOp('listDeliveries', 'List e-mails and webhook calls sent')
  @ApiOkResponse({
    type: DeliveryPageDto,
    description: 'E-mails and webhook calls with status, attempts and last error, newest first.',
  })
  @Roles(...ANYONE)
  list(@Query() query: DeliveryQueryDto, @CurrentActor() actor: Actor): Promise<DeliveryPageDto> {
    return this.service.list(query, actor);
  }

  @Get('deliveries/destinations')
  @ApiOp('listDeliveryDestinations', 'List where deliveries go, with breaker and outbox depth')
  @ApiOkResponse({
    type: DestinationListDto,
    description:
      'Where deliveries go (the SMTP server, each webhook host): circuit breaker, paused or not, how many ' +
      'wait in the outbox and for how long.',
  })
  @Roles(...ANYONE)
  destinations(): Promise<DestinationListDto> {
    return this.service.listDestinations();
  }

  @Post('deliveries/destinations/:id/pause')
  @ApiOp('pauseDeliveryDestination', 'Pause sending to a destination')
  @HttpCode(200)
  @ApiOkResponse({
    type: DestinationDto,
    description:
      'Nothing more is sent to the destination, not even a probe; its deliveries wait. Idempotent.',
  })
  @ApiErrors(404)
  @Roles(...MANAGERS)
  pause(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<DestinationDto> {
    return this.service.setPaused(id, true, actor);
  }

  @Post('deliveries/destinations/:id/resume')
  @ApiOp('resumeDeliveryDestination', 'Resume sending to a destination')
  @HttpCode(200)
  @ApiOkResponse({
    type: DestinationDto,
    description:
      'Sending to the destination goes on; one whose breaker is open is probed at once. Idempotent.',
  })
  @ApiErrors(404)
  @Roles(...MANAGERS)
  resume(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<DestinationDto> {
    return this.service.setPaused(id, false, actor);
  }

  @Post('deliveries/:id/resend')
  @ApiOp('resendDelivery', 'Send a failed or unconfirmed delivery again')
  @HttpCode(200)
  @ApiOkResponse({
    type: DeliveryDto,
    description: 'Sends a failed or unconfirmed e-mail or webhook call again (a new series of attempts).',
  })
  @ApiErrors(404, [409, 'The delivery is not failed or unconfirmed.'])
  @Roles(...MANAGERS)
  resend(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<DeliveryDto> {
    return this.service.resend(id, actor);
  }
}
