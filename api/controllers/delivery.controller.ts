import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Actor } from '../../domain/order';
import { CurrentActor } from '../auth/actor.decorator';
import { ANYONE, MANAGERS, Roles } from '../auth/roles.decorator';
import { DeliveryDto, DeliveryPageDto, DeliveryQueryDto } from '../dtos/delivery.dto';
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
