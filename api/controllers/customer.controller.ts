import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CreateCustomerDto, CustomerDto, CustomerPageDto, UpdateCustomerDto } from '../dtos/customer.dto';
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
  create(@Body() dto: CreateCustomerDto): Promise<CustomerDto> {
    return this.service.create(dto);
  }

  @Get()
  @ApiOkResponse({ type: CustomerPageDto })
  list(@Query() query: SearchQueryDto): Promise<CustomerPageDto> {
    return this.service.list(query);
  }

  @Get(':id')
  @ApiOkResponse({ type: CustomerDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  get(@Param('id') id: string): Promise<CustomerDto> {
    return this.service.get(id);
  }

  @Patch(':id')
  @ApiOkResponse({ type: CustomerDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  update(@Param('id') id: string, @Body() dto: UpdateCustomerDto): Promise<CustomerDto> {
    return this.service.update(id, dto);
  }
}
