import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../domain/order';
import { CurrentActor } from '../auth/actor.decorator';
import { CreateCustomerDto, CustomerDto, CustomerPageDto, UpdateCustomerDto } from '../dtos/customer.dto';
import { ANYONE, OPERATORS, Roles } from '../auth/roles.decorator';
import { SearchQueryDto } from '../dtos/list.dto';
import { CustomerService } from '../services/customer.service';
import { ApiErrors, ApiOp } from '../openapi/decorators';

@ApiTags('customers')
@Controller('customers')
export class CustomerController {
  constructor(private readonly service: CustomerService) {}

  @Post()
  @ApiOp('createCustomer', 'Create a customer')
  @ApiCreatedResponse({ type: CustomerDto })
  @Roles(...OPERATORS)
  create(@Body() dto: CreateCustomerDto, @CurrentActor() actor: Actor): Promise<CustomerDto> {
    return this.service.create(dto, actor);
  }

  @Get()
  @ApiOp('listCustomers', 'List customers', 'By name; `q` matches name, email and phone.')
  @ApiOkResponse({ type: CustomerPageDto })
  @Roles(...ANYONE)
  list(@Query() query: SearchQueryDto): Promise<CustomerPageDto> {
    return this.service.list(query);
  }

  @Get(':id')
  @ApiOp('getCustomer', 'Read a customer')
  @ApiOkResponse({ type: CustomerDto })
  @ApiErrors(404)
  @Roles(...ANYONE)
  get(@Param('id') id: string): Promise<CustomerDto> {
    return this.service.get(id);
  }

  @Patch(':id')
  @ApiOp('updateCustomer', 'Change a customer')
  @ApiOkResponse({ type: CustomerDto })
  @ApiErrors(404)
  @Roles(...OPERATORS)
  update(
    @Param('id') id: string,
    @Body() dto: UpdateCustomerDto,
    @CurrentActor() actor: Actor,
  ): Promise<CustomerDto> {
    return this.service.update(id, dto, actor);
  }
}
