import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ANYONE, OVERSEERS, Roles } from '../auth/roles.decorator';
import { DeliveryPageDto, DeliveryQueryDto, OrderArchiveDto } from '../dtos/delivery.dto';
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

  @Get('orders/:id/archive')
  @ApiTags('audit')
  @ApiOkResponse({
    type: OrderArchiveDto,
    description: "A finished order's permanent record; served after Temporal has removed the workflow.",
  })
  @ApiNotFoundResponse({ type: ErrorDto })
  @Roles(...OVERSEERS)
  archive(@Param('id') id: string): Promise<OrderArchiveDto> {
    return this.service.archive(id);
  }
}
