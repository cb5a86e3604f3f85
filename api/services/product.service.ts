import { Injectable, Logger } from '@nestjs/common';
import { Client } from '@temporalio/client';
import {
  DuplicateSkuError,
  LocationRepository,
  LocationBelowReservedError,
  LocationShortError,
  ProductRepository,
  StockAboveLimitError,
  StockBelowReservedError,
  StockRepository,
  type Page,
  type StockLevel,
} from '../../db/repositories';
import { type Actor } from '../../domain/order';
import { MAIN_LOCATION } from '../../domain/shipment.rules';
import type { SearchQueryDto } from '../dtos/list.dto';
import {
  ProductDto,
  type ProductDetailDto,
  type CreateProductDto,
  type StockAdjustmentDto,
  type UpdateProductDto,
} from '../dtos/product.dto';
import { DomainError, invalidField, notFound } from '../errors/domain.error';
import { stockSignals, type StockSignals } from '../../ops/stock-signals';

function duplicateSku(sku: string | undefined): DomainError {
  return new DomainError('duplicate', `sku ${JSON.stringify(sku)} is already used by another product`, {
    field: 'sku',
  });
}

@Injectable()
export class ProductService {
  private readonly logger = new Logger('Products');
  private readonly signals: StockSignals;

  constructor(
    private readonly products: ProductRepository,
    private readonly stock: StockRepository,
    temporal: Client,
    private readonly locations: LocationRepository,
  ) {
    this.signals = stockSignals(temporal, (orderId, error) =>
      this.logger.warn(
        `order ${orderId} was not told of a restock (it re-checks on its own): ${describe(error)}`,
      ),
    );
  }

  /** Adds a product to the catalogue; a taken SKU is a 409. */
  async create(dto: CreateProductDto, actor: Actor): Promise<ProductDto> {
    try {
      return ProductDto.from(await this.products.create(dto, actor));
    } catch (error) {
      if (error instanceof DuplicateSkuError) throw duplicateSku(dto.sku);
      throw error;
    }
  }

  /** One product by id. */
  async get(id: string): Promise<ProductDetailDto> {
    const product = await this.products.findById(id);
    if (!product) throw notFound('product', id);
    return { ...ProductDto.from(product), stock: await this.locations.levels(id) };
  }

  /** A page of products in SKU order. */
  async list(query: SearchQueryDto): Promise<Page<ProductDto>> {
    const page = await this.products.list(query);
    return { items: page.items.map((product) => ProductDto.from(product)), nextCursor: page.nextCursor };
  }

  /** Changes name, SKU or price; orders already placed keep the prices they were placed at. */
  async update(id: string, dto: UpdateProductDto, actor: Actor): Promise<ProductDto> {
    try {
      const product = await this.products.update(id, dto, actor);
      if (!product) throw notFound('product', id);
      return ProductDto.from(product);
    } catch (error) {
      if (error instanceof DuplicateSkuError) throw duplicateSku(dto.sku);
      throw error;
    }
  }

  /**
   * A restock or correction, recorded with who and why; then the orders waiting for this product are told,
   * first in line first (each re-checks its turn, so the queue order holds even if signals arrive late).
   */
  async adjustStock(id: string, dto: StockAdjustmentDto, actor: Actor): Promise<StockLevel> {
    if (!(await this.products.findById(id))) throw notFound('product', id);
    const location = dto.location ?? MAIN_LOCATION;
    if (!(await this.locations.exists(location))) {
      throw invalidField('location', `${JSON.stringify(location)} is not a stock location`);
    }
    let level: StockLevel;
    try {
      level = await this.locations.adjustAt(id, location, dto.delta, dto.reason, actor);
    } catch (error) {
      if (error instanceof LocationShortError) {
        throw new DomainError(
          'invalid_state',
          `delta ${dto.delta} refused: location ${error.location} holds fewer units`,
          { field: 'delta' },
        );
      }
      if (error instanceof LocationBelowReservedError) {
        throw new DomainError('invalid_state', `delta ${dto.delta} refused: ${error.message}`, {
          field: 'delta',
          location: error.location,
          reserved: error.reserved,
        });
      }
      if (error instanceof StockBelowReservedError) {
        throw new DomainError('invalid_state', `delta ${dto.delta} refused: ${error.message}`, {
          field: 'delta',
          ...error.level,
        });
      }
      if (error instanceof StockAboveLimitError) throw invalidField('delta', error.message);
      throw error;
    }
    if (dto.delta > 0) await this.tellWaiters(id);
    return level;
  }

  /**
   * The stock change is committed: this must not fail the request, or an operator's retry would count the
   * stock twice. The signal only wakes the waiting orders early; each re-checks the stock on its own
   * within a minute, so when Temporal cannot be reached the signals are left to that.
   */
  private async tellWaiters(productId: string): Promise<void> {
    try {
      await this.signals.tell(await this.stock.waitersFor(productId));
    } catch (error) {
      this.logger.warn(
        `restock of ${productId} committed, but its waiting orders were not signalled` +
          ` (they re-check on their own within a minute): ${describe(error)}`,
      );
    }
  }
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));
