import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Length,
  MaxLength,
} from 'class-validator';
import { MultiLine } from '../errors/input-boundary';
import { OrderDto } from './order.dto';

/** What one request may do to many orders: the same actions, with the same rules, as one by one. */
export const BULK_ACTIONS = [
  'approve',
  'reject',
  'ship',
  'complete',
  'cancel',
  'claim',
  'unclaim',
  'assign',
] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

/** The most orders one bulk request may name. */
export const MAX_BULK_ORDERS = 200;

export class BulkOrderActionDto {
  @ApiProperty({ enum: BULK_ACTIONS })
  @IsIn(BULK_ACTIONS)
  action!: BulkAction;

  @ApiProperty({ type: [String], minItems: 1, maxItems: MAX_BULK_ORDERS, description: 'Each at most once.' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BULK_ORDERS)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  ids!: string[];

  @ApiPropertyOptional({ description: '`approve`: the comment, as one by one.' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @MultiLine()
  comment?: string;

  @ApiPropertyOptional({ description: '`reject` and `cancel`: required, as one by one.' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  @MultiLine()
  reason?: string;

  @ApiPropertyOptional({ description: '`ship`: required.', example: 'SF Express' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  carrier?: string;

  @ApiPropertyOptional({
    type: [String],
    description:
      '`ship`: one tracking number per order, in the order of `ids` (a pasted column); required, as long as `ids`.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_BULK_ORDERS)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  trackingNumbers?: string[];

  @ApiPropertyOptional({ format: 'uuid', description: '`assign`: required; the user to work on the orders.' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  userId?: string;
}

export class BulkResultItemDto {
  @ApiProperty({ description: 'The order id as given.' }) id!: string;
  @ApiProperty({
    type: 'integer',
    example: 200,
    description: 'What the same action alone would have answered: 200, or 403, 404, 409 (or 400, 503).',
  })
  status!: number;
  @ApiPropertyOptional({ type: OrderDto, description: 'The order after the action (status 200).' })
  order?: OrderDto;
  @ApiPropertyOptional({ description: 'Why it was refused (status other than 200).' })
  message?: string;
}

export class BulkResultDto {
  @ApiProperty({ type: [BulkResultItemDto], description: 'One per id, in the order given.' })
  results!: BulkResultItemDto[];
}
