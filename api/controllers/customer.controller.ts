import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CreateCustomerDto, CustomerDto } from '../dtos/customer.dto';
import { ErrorDto } from '../dtos/error.dto';
import { CustomerService } from '../services/customer.service';

@ApiTags('customers')
@Controller('customers')
export class CustomerController {
  constructor(private readonly service: CustomerService) {}

  @Post()
  @ApiCreatedResponse({ type: CustomerDto })
  @ApiBadRequestResponse({ type: ErrorDto })
  create(@Body() dto: CreateCustomerDto): Promise<CustomerDto> {
    return this.service.create(dto);
  }

  @Get(':id')
  @ApiOkResponse({ type: CustomerDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  get(@Param('id') id: string): Promise<CustomerDto> {
    return this.service.get(id);
  }
}
