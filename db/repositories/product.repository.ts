import type { EntityManager } from '@mikro-orm/postgresql';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { Product } from '../entities';
import { isUuid } from './ids';
import { decodeCursor, pageOf, type Page } from './pagination';

export type NewProduct = Pick<Product, 'sku' | 'name' | 'unitPrice' | 'currency' | 'stockOnHand'>;
export type ProductChanges = Partial<Pick<Product, 'sku' | 'name' | 'unitPrice' | 'currency'>>;

/** Raised when a SKU is already taken. */
export class DuplicateSkuError extends Error {}

export class ProductRepository {
  constructor(private readonly em: EntityManager) {}

  private async flushUnique(sku: string | undefined): Promise<void> {
    try {
      await this.em.flush();
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) throw new DuplicateSkuError(sku);
      throw error;
    }
  }

  async create(data: NewProduct): Promise<Product> {
    const product = this.em.create(Product, data);
    this.em.persist(product);
    await this.flushUnique(data.sku);
    return product;
  }

  async findById(id: string): Promise<Product | null> {
    if (!isUuid(id)) return null;
    return this.em.findOne(Product, { id }, { refresh: true });
  }

  /** Applies the given fields; returns null for an unknown id. Stock changes go through StockRepository. */
  async update(id: string, changes: ProductChanges): Promise<Product | null> {
    const product = await this.findById(id);
    if (!product) return null;
    this.em.assign(product, changes);
    await this.flushUnique(changes.sku);
    return product;
  }

  /** The products with these SKUs, keyed by SKU; unknown SKUs are simply absent. */
  async findBySkus(skus: string[]): Promise<Map<string, Product>> {
    const products = await this.em.find(Product, { sku: { $in: skus } });
    return new Map(products.map((product) => [product.sku, product]));
  }

  /** In SKU order; `q` matches SKU or name. */
  async list(filter: { limit: number; cursor?: string; q?: string }): Promise<Page<Product>> {
    const where: Record<string, unknown>[] = [];
    if (filter.q) {
      const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.push({ $or: [{ sku: { $ilike: pattern } }, { name: { $ilike: pattern } }] });
    }
    if (filter.cursor) {
      const [sku] = decodeCursor(filter.cursor);
      where.push({ sku: { $gt: sku } });
    }
    const rows = await this.em.find(Product, where.length ? { $and: where } : {}, {
      orderBy: { sku: 'asc' },
      limit: filter.limit + 1,
    });
    return pageOf(rows, filter.limit, (product) => [product.sku, product.id]);
  }
}
