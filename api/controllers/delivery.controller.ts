import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
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
import { ErrorDto } from '../dtos/error.dto';
import { DeliveryService } from '../services/delivery.service';

@ApiTags('notifications')
@Controller()
export class DeliveryController {
  constructor(private readonly service: DeliveryService) {}

  @Get('deliveries')
  @ApiOkResponse({
    type: DeliveryPageDto,
    description: 'E-mails and webhook calls with status, attempts and last error, newest first.',
  })
  @ApiBadRequestResponse({ type: ErrorDto })
  @Roles(...ANYONE)
  list(@Query() query: DeliveryQueryDto): Promise<DeliveryPageDto> {
    return this.service.list(query);
  }

  @Get('deliveries/destinations')
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
  @HttpCode(200)
  @ApiOkResponse({
    type: DestinationDto,
    description:
      'Nothing more is sent to the destination, not even a probe; its deliveries wait. Idempotent.',
  })
  @ApiNotFoundResponse({ type: ErrorDto })
  @ApiForbiddenResponse({ type: ErrorDto, description: 'Only managers and admins pause a destination.' })
  @Roles(...MANAGERS)
  pause(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<DestinationDto> {
    return this.service.setPaused(id, true, actor);
  }

  @Post('deliveries/destinations/:id/resume')
  @HttpCode(200)
  @ApiOkResponse({
    type: DestinationDto,
    description:
      'Sending to the destination goes on; one whose breaker is open is probed at once. Idempotent.',
  })
  @ApiNotFoundResponse({ type: ErrorDto })
  @ApiForbiddenResponse({ type: ErrorDto, description: 'Only managers and admins resume a destination.' })
  @Roles(...MANAGERS)
  resume(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<DestinationDto> {
    return this.service.setPaused(id, false, actor);
  }

  @Post('deliveries/:id/resend')
  @HttpCode(200)
  @ApiOkResponse({
    type: DeliveryDto,
    description: 'Sends a failed or unconfirmed e-mail or webhook call again (a new series of attempts).',
  })
  @ApiNotFoundResponse({ type: ErrorDto })
  @ApiConflictResponse({ type: ErrorDto, description: 'The delivery is not failed or unconfirmed.' })
  @Roles(...MANAGERS)
  resend(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<DeliveryDto> {
    return this.service.resend(id, actor);
  }
}
