import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Length, Matches, Max, Min, NotEquals } from 'class-validator';
import type { Product } from '../../db/entities';
import { IsCurrencyCode, MAX_AMOUNT, MAX_STOCK } from './validators';
import { MultiLine } from '../errors/input-boundary';

export class CreateProductDto {
  @ApiProperty({ example: 'TEA-001', description: 'Letters, digits, dot, dash and underscore; unique.' })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, {
    message: 'sku must be 1-64 letters, digits, dots, dashes or underscores',
  })
  sku!: string;

  @ApiProperty({ example: 'Longjing green tea 250g' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ type: 'integer', example: 12990, description: 'Price in minor units of currency.' })
  @IsInt()
  @Min(0)
  @Max(MAX_AMOUNT)
  unitPrice!: number;

  @ApiProperty({ example: 'CNY' })
  @IsCurrencyCode()
  currency!: string;

  @ApiProperty({ type: 'integer', example: 100 })
  @IsInt()
  @Min(0)
  @Max(MAX_STOCK)
  stockOnHand!: number;
}

/** Absent fields stay as they are; none of them may be `null`. */
export class UpdateProductDto extends PartialType(OmitType(CreateProductDto, ['stockOnHand'] as const), {
  skipNullProperties: false,
}) {}

export class StockAdjustmentDto {
  @ApiProperty({
    type: 'integer',
    example: 20,
    description: 'Units to add (restock) or remove (correction); not zero.',
  })
  @IsInt()
  @NotEquals(0)
  @Min(-MAX_STOCK)
  @Max(MAX_STOCK)
  delta!: number;

  @ApiProperty({ example: 'Delivery from supplier, note 4711' })
  @IsString()
  @Length(1, 500)
  @MultiLine()
  reason!: string;

  @ApiPropertyOptional({
    example: 'MAIN',
    description: 'The stock location whose units move (a code from `GET /api/locations`); default `MAIN`.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 32)
  location?: string;
}

/** One product's stock at one location. */
export class LocationStockDto {
  @ApiProperty({ example: 'MAIN' }) location!: string;
  @ApiProperty({ type: 'integer' }) onHand!: number;
  @ApiProperty({
    type: 'integer',
    description:
      "The product's reserved units counted against this location (reservations are of a product, not yet of a location: in the managers' order of preference, `GET /api/settings/locations`, up to what each holds).",
  })
  reserved!: number;
  @ApiProperty({ type: 'integer' }) available!: number;
}

export class StockLevelDto {
  @ApiProperty({ type: 'integer' }) stockOnHand!: number;
  @ApiProperty({ type: 'integer' }) reserved!: number;
  @ApiProperty({ type: 'integer' }) available!: number;
}

export class ProductDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() sku!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: 'integer' }) unitPrice!: number;
  @ApiProperty() currency!: string;
  @ApiProperty({ type: 'integer' }) stockOnHand!: number;
  @ApiProperty({ type: 'integer' }) reserved!: number;
  @ApiProperty({ type: 'integer' }) available!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;

  static from(product: Product): ProductDto {
    return {
      id: product.id,
      sku: product.sku,
      name: product.name,
      unitPrice: product.unitPrice,
      currency: product.currency,
      stockOnHand: product.stockOnHand,
      reserved: product.reserved,
      available: product.stockOnHand - product.reserved,
      createdAt: product.createdAt.toISOString(),
      updatedAt: product.updatedAt.toISOString(),
    };
  }
}

/** A product read by id: its totals and its stock per location. */
export class ProductDetailDto extends ProductDto {
  @ApiProperty({
    type: [LocationStockDto],
    description: 'Per location, `MAIN` first; they add up to the totals.',
  })
  stock!: LocationStockDto[];
}

export class ProductPageDto {
  @ApiProperty({ type: [ProductDto] }) items!: ProductDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
