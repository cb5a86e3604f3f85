import { Injectable } from '@nestjs/common';
import { CustomerRepository } from '../../db/repositories';
import { CustomerDto, type CreateCustomerDto } from '../dtos/customer.dto';
import { notFound } from '../errors/domain.error';

@Injectable()
export class CustomerService {
  constructor(private readonly customers: CustomerRepository) {}

  /** Registers a customer. */
  async create(dto: CreateCustomerDto): Promise<CustomerDto> {
    return CustomerDto.from(await this.customers.create(dto));
  }

  /** One customer by id. */
  async get(id: string): Promise<CustomerDto> {
    const customer = await this.customers.findById(id);
    if (!customer) throw notFound('customer', id);
    return CustomerDto.from(customer);
  }
}
