import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../domain/order';
import { CurrentActor } from '../auth/actor.decorator';
import { ANYONE, MANAGERS, Roles } from '../auth/roles.decorator';
import { DeliveryDto, DeliveryPageDto, DeliveryQueryDto } from '../dtos/delivery.dto';
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
