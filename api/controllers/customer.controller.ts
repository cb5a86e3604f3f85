import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Actor } from '../../domain/order';
import { CurrentActor } from '../auth/actor.decorator';
import { CreateCustomerDto, CustomerDto, CustomerPageDto, UpdateCustomerDto } from '../dtos/customer.dto';
import { ANYONE, OPERATORS, Roles } from '../auth/roles.decorator';
import { ErrorDto } from '../dtos/error.dto';
import { SearchQueryDto } from '../dtos/list.dto';
import { CustomerService } from '../services/customer.service';

@ApiTags('customers')
@ApiBadRequestResponse({ type: ErrorDto })
@Controller('customers')
export class CustomerController {
  constructor(private readonly service: CustomerService) {}

  @Post()
  @ApiCreatedResponse({ type: CustomerDto })
  @Roles(...OPERATORS)
  create(@Body() dto: CreateCustomerDto, @CurrentActor() actor: Actor): Promise<CustomerDto> {
    return this.service.create(dto, actor);
  }

  @Get()
  @ApiOkResponse({ type: CustomerPageDto })
  @Roles(...ANYONE)
  list(@Query() query: SearchQueryDto): Promise<CustomerPageDto> {
    return this.service.list(query);
  }

  @Get(':id')
  @ApiOkResponse({ type: CustomerDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  @Roles(...ANYONE)
  get(@Param('id') id: string): Promise<CustomerDto> {
    return this.service.get(id);
  }

  @Patch(':id')
  @ApiOkResponse({ type: CustomerDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  @Roles(...OPERATORS)
  update(
    @Param('id') id: string,
    @Body() dto: UpdateCustomerDto,
    @CurrentActor() actor: Actor,
  ): Promise<CustomerDto> {
    return this.service.update(id, dto, actor);
  }
}
