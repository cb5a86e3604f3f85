import type { EntityManager } from '@mikro-orm/postgresql';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { Product } from '../entities';
import { isUuid } from './ids';

export type NewProduct = Pick<Product, 'sku' | 'name' | 'unitPrice' | 'currency' | 'stockOnHand'>;

/** Raised when a SKU is already taken. */
export class DuplicateSkuError extends Error {}

export class ProductRepository {
  constructor(private readonly em: EntityManager) {}

  async create(data: NewProduct): Promise<Product> {
    const product = this.em.create(Product, data);
    try {
      await this.em.persistAndFlush(product);
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) throw new DuplicateSkuError(data.sku);
      throw error;
    }
    return product;
  }

  async findById(id: string): Promise<Product | null> {
    if (!isUuid(id)) return null;
    return this.em.findOne(Product, { id });
  }

  /** The products with these SKUs, keyed by SKU; unknown SKUs are simply absent. */
  async findBySkus(skus: string[]): Promise<Map<string, Product>> {
    const products = await this.em.find(Product, { sku: { $in: skus } });
    return new Map(products.map((product) => [product.sku, product]));
  }

  async list(limit: number): Promise<Product[]> {
    return this.em.find(Product, {}, { orderBy: { sku: 'asc' }, limit });
  }
}
