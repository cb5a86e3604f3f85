import { Injectable } from '@nestjs/common';
import { DuplicateSkuError, ProductRepository } from '../../db/repositories';
import { ProductDto, type CreateProductDto } from '../dtos/product.dto';
import { DomainError, notFound } from '../errors/domain.error';

@Injectable()
export class ProductService {
  constructor(private readonly products: ProductRepository) {}

  /** Adds a product to the catalogue; a taken SKU is a 409. */
  async create(dto: CreateProductDto): Promise<ProductDto> {
    try {
      return ProductDto.from(await this.products.create(dto));
    } catch (error) {
      if (error instanceof DuplicateSkuError) {
        throw new DomainError(
          'duplicate',
          `sku ${JSON.stringify(dto.sku)} is already used by another product`,
          {
            field: 'sku',
          },
        );
      }
      throw error;
    }
  }

  /** One product by id. */
  async get(id: string): Promise<ProductDto> {
    const product = await this.products.findById(id);
    if (!product) throw notFound('product', id);
    return ProductDto.from(product);
  }
}
