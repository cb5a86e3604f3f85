import { Injectable } from '@nestjs/common';
import { CustomerRepository, type Page } from '../../db/repositories';
import { CustomerDto, type CreateCustomerDto, type UpdateCustomerDto } from '../dtos/customer.dto';
import type { SearchQueryDto } from '../dtos/list.dto';
import { notFound } from '../errors/domain.error';
import type { Actor } from '../../domain/order';

@Injectable()
export class CustomerService {
  constructor(private readonly customers: CustomerRepository) {}

  /** Registers a customer. */
  async create(dto: CreateCustomerDto, actor: Actor): Promise<CustomerDto> {
    return CustomerDto.from(await this.customers.create(dto, actor));
  }

  /** One customer by id. */
  async get(id: string): Promise<CustomerDto> {
    const customer = await this.customers.findById(id);
    if (!customer) throw notFound('customer', id);
    return CustomerDto.from(customer);
  }

  /** A page of customers, oldest first. */
  async list(query: SearchQueryDto): Promise<Page<CustomerDto>> {
    const page = await this.customers.list(query);
    return { items: page.items.map((customer) => CustomerDto.from(customer)), nextCursor: page.nextCursor };
  }

  /** Changes the given fields. */
  async update(id: string, dto: UpdateCustomerDto, actor: Actor): Promise<CustomerDto> {
    const customer = await this.customers.update(id, dto, actor);
    if (!customer) throw notFound('customer', id);
    return CustomerDto.from(customer);
  }
}
