import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../../domain/order';
import { Customer } from '../entities';
import { createAudited, updateAudited, type Audited } from './audited';
import { isUuid } from './ids';
import { containing } from './like';
import { decodeCursor, pageOf, type Page } from './pagination';

export type CustomerFields = Pick<Customer, 'name' | 'email'> &
  Partial<Pick<Customer, 'phone' | 'address' | 'creditLimit' | 'language'>>;

const AUDITED: Audited<Customer> = {
  entity: 'customer',
  view: ({ id, name, email, phone, address, creditLimit, language }) => ({
    id,
    name,
    email,
    phone,
    address,
    creditLimit,
    language,
  }),
};

export class CustomerRepository {
  constructor(private readonly em: EntityManager) {}

  /** Creates a customer and records it in the audit log, in one transaction. */
  create(data: CustomerFields, actor: Actor): Promise<Customer> {
    return createAudited(this.em, Customer, data, actor, AUDITED);
  }

  async findById(id: string): Promise<Customer | null> {
    if (!isUuid(id)) return null;
    return this.em.findOne(Customer, { id });
  }

  /** Applies the given fields and records before and after; returns null for an unknown id. */
  update(id: string, changes: Partial<CustomerFields>, actor: Actor): Promise<Customer | null> {
    return updateAudited(this.em, Customer, id, changes, actor, AUDITED);
  }

  /** Oldest first; `q` matches the name (trigram-indexed) or the e-mail. */
  async list(filter: { limit: number; cursor?: string; q?: string }): Promise<Page<Customer>> {
    const where: Record<string, unknown>[] = [];
    if (filter.q) {
      const pattern = containing(filter.q);
      where.push({ $or: [{ name: { $ilike: pattern } }, { email: { $ilike: pattern } }] });
    }
    if (filter.cursor) {
      const [createdAt, id] = decodeCursor(filter.cursor, 'time');
      where.push({ $or: [{ createdAt: { $gt: createdAt } }, { createdAt, id: { $gt: id } }] });
    }
    const rows = await this.em.find(Customer, where.length ? { $and: where } : {}, {
      orderBy: { createdAt: 'asc', id: 'asc' },
      limit: filter.limit + 1,
    });
    return pageOf(rows, filter.limit, (customer) => [customer.createdAt.toISOString(), customer.id]);
  }
}
