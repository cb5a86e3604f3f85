import type { EntityManager } from '@mikro-orm/postgresql';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Actor } from '../../domain/order';
import { Product } from '../entities';
import { createAudited, updateAudited, type Audited } from './audited';
import { isUuid } from './ids';
import { containing } from './like';
import { decodeCursor, pageOf, type Page } from './pagination';
import { arrayLiteral } from './sql';

export type NewProduct = Pick<Product, 'sku' | 'name' | 'unitPrice' | 'currency' | 'stockOnHand'>;
export type ProductChanges = Partial<Pick<Product, 'sku' | 'name' | 'unitPrice' | 'currency'>>;

/** Raised when a SKU is already taken. */
export class DuplicateSkuError extends Error {}

const AUDITED: Audited<Product> = {
  entity: 'product',
  view: ({ id, sku, name, unitPrice, currency }) => ({ id, sku, name, unitPrice, currency }),
};

export class ProductRepository {
  constructor(private readonly em: EntityManager) {}

  private async uniqueSku<T>(sku: string | undefined, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) throw new DuplicateSkuError(sku);
      throw error;
    }
  }

  /** Adds a product and records it in the audit log, in one transaction. */
  create(data: NewProduct, actor: Actor): Promise<Product> {
    return this.uniqueSku(data.sku, () => createAudited(this.em, Product, data, actor, AUDITED));
  }

  async findById(id: string): Promise<Product | null> {
    if (!isUuid(id)) return null;
    return this.em.findOne(Product, { id }, { refresh: true });
  }

  /**
   * Applies the given fields and records before and after (a price change shows both prices); returns
   * null for an unknown id. Stock changes go through StockRepository.
   */
  update(id: string, changes: ProductChanges, actor: Actor): Promise<Product | null> {
    return this.uniqueSku(changes.sku, () => updateAudited(this.em, Product, id, changes, actor, AUDITED));
  }

  /** The products with these SKUs, keyed by SKU; unknown SKUs are simply absent. */
  async findBySkus(skus: string[]): Promise<Map<string, Product>> {
    const products = await this.em.find(Product, { sku: { $in: skus } });
    return new Map(products.map((product) => [product.sku, product]));
  }

  /**
   * The catalogue's SKUs among words written by a person, whatever their case (an e-mail's `tea-001`):
   * each word lower-cased to the SKUs spelled so. Only for short lists of words.
   */
  async skusIgnoringCase(words: readonly string[]): Promise<Map<string, string[]>> {
    const lowered = [...new Set(words.map((word) => word.toLowerCase()))];
    if (lowered.length === 0) return new Map();
    const rows = await this.em
      .getConnection()
      .execute<{ sku: string }[]>(`select sku from products where lower(sku) = any(?::text[])`, [
        arrayLiteral(lowered),
      ]);
    const found = new Map<string, string[]>();
    for (const { sku } of rows) found.set(sku.toLowerCase(), [...(found.get(sku.toLowerCase()) ?? []), sku]);
    return found;
  }

  /** In SKU order; `q` matches SKU or name. */
  async list(filter: { limit: number; cursor?: string; q?: string }): Promise<Page<Product>> {
    const where: Record<string, unknown>[] = [];
    if (filter.q) {
      const pattern = containing(filter.q);
      where.push({ $or: [{ sku: { $ilike: pattern } }, { name: { $ilike: pattern } }] });
    }
    if (filter.cursor) {
      const [sku] = decodeCursor(filter.cursor, 'sku');
      where.push({ sku: { $gt: sku } });
    }
    const rows = await this.em.find(Product, where.length ? { $and: where } : {}, {
      orderBy: { sku: 'asc' },
      limit: filter.limit + 1,
    });
    return pageOf(rows, filter.limit, (product) => [product.sku, product.id]);
  }
}
