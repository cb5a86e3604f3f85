import type { EntityManager } from '@mikro-orm/postgresql';
import { Customer } from '../entities';
import { isUuid } from './ids';
import { decodeCursor, pageOf, type Page } from './pagination';

export type CustomerFields = Pick<Customer, 'name' | 'email'> &
  Partial<Pick<Customer, 'phone' | 'address' | 'creditLimit'>>;

export class CustomerRepository {
  constructor(private readonly em: EntityManager) {}

  async create(data: CustomerFields): Promise<Customer> {
    const customer = this.em.create(Customer, data);
    await this.em.persistAndFlush(customer);
    return customer;
  }

  async findById(id: string): Promise<Customer | null> {
    if (!isUuid(id)) return null;
    return this.em.findOne(Customer, { id });
  }

  /** Applies the given fields; returns null for an unknown id. */
  async update(id: string, changes: Partial<CustomerFields>): Promise<Customer | null> {
    const customer = await this.findById(id);
    if (!customer) return null;
    this.em.assign(customer, changes);
    await this.em.flush();
    return customer;
  }

  /** Oldest first; `q` matches the name (trigram-indexed) or the e-mail. */
  async list(filter: { limit: number; cursor?: string; q?: string }): Promise<Page<Customer>> {
    const where: Record<string, unknown>[] = [];
    if (filter.q) {
      const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.push({ $or: [{ name: { $ilike: pattern } }, { email: { $ilike: pattern } }] });
    }
    if (filter.cursor) {
      const [createdAt, id] = decodeCursor(filter.cursor);
      where.push({ $or: [{ createdAt: { $gt: createdAt } }, { createdAt, id: { $gt: id } }] });
    }
    const rows = await this.em.find(Customer, where.length ? { $and: where } : {}, {
      orderBy: { createdAt: 'asc', id: 'asc' },
      limit: filter.limit + 1,
    });
    return pageOf(rows, filter.limit, (customer) => [customer.createdAt.toISOString(), customer.id]);
  }
}
