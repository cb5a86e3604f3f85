import type { EntityManager } from '@mikro-orm/postgresql';
import { Customer } from '../entities';
import { isUuid } from './ids';

export type NewCustomer = Pick<Customer, 'name' | 'email'> & Partial<Pick<Customer, 'phone' | 'address'>>;

export class CustomerRepository {
  constructor(private readonly em: EntityManager) {}

  async create(data: NewCustomer): Promise<Customer> {
    const customer = this.em.create(Customer, data);
    await this.em.persistAndFlush(customer);
    return customer;
  }

  async findById(id: string): Promise<Customer | null> {
    if (!isUuid(id)) return null;
    return this.em.findOne(Customer, { id });
  }

  async list(limit: number): Promise<Customer[]> {
    return this.em.find(Customer, {}, { orderBy: { createdAt: 'asc', id: 'asc' }, limit });
  }
}
