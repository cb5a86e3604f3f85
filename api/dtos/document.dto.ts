import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';

export const DOCUMENT_FORMATS = ['html', 'pdf'] as const;

export class DocumentQueryDto {
  @ApiPropertyOptional({ enum: DOCUMENT_FORMATS, default: 'html' })
  @IsOptional()
  @IsIn(DOCUMENT_FORMATS)
  format: (typeof DOCUMENT_FORMATS)[number] = 'html';
}

export class SellerInputDto {
  @ApiProperty({ example: '杭州茶叶有限公司' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: '浙江省杭州市西湖区龙井路 1 号' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  address!: string;

  @ApiProperty({ example: '91330100MA2XXXXXX1', description: 'Printed on invoices.' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  taxId!: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  phone?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  email?: string | null;

  @ApiProperty({
    type: 'integer',
    example: 1300,
    minimum: 0,
    maximum: 10000,
    description: 'Tax rate in basis points (1300 = 13 %); prices include it.',
  })
  @IsInt()
  @Min(0)
  @Max(10000)
  taxRateBp!: number;
}

export class SellerDto {
  @ApiProperty() name!: string;
  @ApiProperty() address!: string;
  @ApiProperty() taxId!: string;
  @ApiProperty({ type: String, nullable: true }) phone!: string | null;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
  @ApiProperty({ type: 'integer' }) taxRateBp!: number;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}
