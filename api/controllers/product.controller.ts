import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Actor } from '../../domain/order';
import { CurrentActor } from '../auth/actor.decorator';
import { ANYONE, OPERATORS, Roles } from '../auth/roles.decorator';
import { ErrorDto } from '../dtos/error.dto';
import { SearchQueryDto } from '../dtos/list.dto';
import {
  CreateProductDto,
  ProductDto,
  ProductPageDto,
  StockAdjustmentDto,
  StockLevelDto,
  UpdateProductDto,
} from '../dtos/product.dto';
import { ProductService } from '../services/product.service';

@ApiTags('products')
@ApiBadRequestResponse({ type: ErrorDto })
@Controller('products')
export class ProductController {
  constructor(private readonly service: ProductService) {}

  @Post()
  @ApiCreatedResponse({ type: ProductDto })
  @ApiConflictResponse({ type: ErrorDto, description: 'The SKU is taken.' })
  @Roles(...OPERATORS)
  create(@Body() dto: CreateProductDto, @CurrentActor() actor: Actor): Promise<ProductDto> {
    return this.service.create(dto, actor);
  }

  @Get()
  @ApiOkResponse({ type: ProductPageDto })
  @Roles(...ANYONE)
  list(@Query() query: SearchQueryDto): Promise<ProductPageDto> {
    return this.service.list(query);
  }

  @Get(':id')
  @ApiOkResponse({ type: ProductDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  @Roles(...ANYONE)
  get(@Param('id') id: string): Promise<ProductDto> {
    return this.service.get(id);
  }

  @Patch(':id')
  @ApiOkResponse({ type: ProductDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  @ApiConflictResponse({ type: ErrorDto, description: 'The SKU is taken.' })
  @Roles(...OPERATORS)
  update(
    @Param('id') id: string,
    @Body() dto: UpdateProductDto,
    @CurrentActor() actor: Actor,
  ): Promise<ProductDto> {
    return this.service.update(id, dto, actor);
  }

  @Post(':id/stock')
  @HttpCode(200)
  @ApiOkResponse({ type: StockLevelDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  @ApiConflictResponse({ type: ErrorDto, description: 'Stock on hand would fall below what is reserved.' })
  @Roles(...OPERATORS)
  adjustStock(
    @Param('id') id: string,
    @Body() dto: StockAdjustmentDto,
    @CurrentActor() actor: Actor,
  ): Promise<StockLevelDto> {
    return this.service.adjustStock(id, dto, actor);
  }
}
