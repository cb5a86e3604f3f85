import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../domain/order';
import { CurrentActor } from '../auth/actor.decorator';
import { ANYONE, OPERATORS, Roles } from '../auth/roles.decorator';
import { SearchQueryDto } from '../dtos/list.dto';
import {
  CreateProductDto,
  ProductDetailDto,
  ProductDto,
  ProductPageDto,
  StockAdjustmentDto,
  StockLevelDto,
  UpdateProductDto,
} from '../dtos/product.dto';
import { ProductService } from '../services/product.service';
import { ApiErrors, ApiOp } from '../openapi/decorators';

@ApiTags('products')
@Controller('products')
export class ProductController {
  constructor(private readonly service: ProductService) {}

  @Post()
  @ApiOp('createProduct', 'Create a product')
  @ApiCreatedResponse({ type: ProductDto })
  @ApiErrors([409, 'The SKU is taken.'])
  @Roles(...OPERATORS)
  create(@Body() dto: CreateProductDto, @CurrentActor() actor: Actor): Promise<ProductDto> {
    return this.service.create(dto, actor);
  }

  @Get()
  @ApiOp('listProducts', 'List products', 'By SKU; `q` matches SKU and name.')
  @ApiOkResponse({ type: ProductPageDto })
  @Roles(...ANYONE)
  list(@Query() query: SearchQueryDto): Promise<ProductPageDto> {
    return this.service.list(query);
  }

  @Get(':id')
  @ApiOp('getProduct', 'Read a product', 'With its stock per location beside the totals.')
  @ApiOkResponse({ type: ProductDetailDto })
  @ApiErrors(404)
  @Roles(...ANYONE)
  get(@Param('id') id: string): Promise<ProductDetailDto> {
    return this.service.get(id);
  }

  @Patch(':id')
  @ApiOp('updateProduct', 'Change a product')
  @ApiOkResponse({ type: ProductDto })
  @ApiErrors(404, [409, 'The SKU is taken.'])
  @Roles(...OPERATORS)
  update(
    @Param('id') id: string,
    @Body() dto: UpdateProductDto,
    @CurrentActor() actor: Actor,
  ): Promise<ProductDto> {
    return this.service.update(id, dto, actor);
  }

  @Post(':id/stock')
  @ApiOp(
    'adjustProductStock',
    'Restock or correct the stock on hand',
    'At one location (default `MAIN`); the totals move with it. Recorded with who, why and where.',
  )
  @HttpCode(200)
  @ApiOkResponse({ type: StockLevelDto, description: "The product's totals after the move." })
  @ApiErrors([400, 'Invalid input; `location` names no stock location.'], 404, [
    409,
    'Stock on hand would fall below what is reserved, or the location holds fewer units.',
  ])
  @Roles(...OPERATORS)
  adjustStock(
    @Param('id') id: string,
    @Body() dto: StockAdjustmentDto,
    @CurrentActor() actor: Actor,
  ): Promise<StockLevelDto> {
    return this.service.adjustStock(id, dto, actor);
  }
}
