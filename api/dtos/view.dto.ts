import { ApiProperty, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsString, Length, ValidateNested } from 'class-validator';
import { ListOrdersQueryDto } from './order.dto';

/** The board's filters a view keeps: those of `GET /api/orders`, as the board sends them. */
export class ViewFiltersDto extends PickType(ListOrdersQueryDto, [
  'status',
  'customerId',
  'q',
  'awaiting',
  'createdFrom',
  'createdTo',
  'minTotal',
  'maxTotal',
  'partlyShipped',
] as const) {}

export class CreateViewDto {
  @ApiProperty({ example: 'Waiting for approval, large', description: 'Unique among the caller’s views.' })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({ type: ViewFiltersDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => ViewFiltersDto)
  filters!: ViewFiltersDto;
}

export class ViewDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: ViewFiltersDto }) filters!: ViewFiltersDto;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class ViewListDto {
  @ApiProperty({ type: [ViewDto], description: 'The caller’s views, by name.' }) items!: ViewDto[];
}
