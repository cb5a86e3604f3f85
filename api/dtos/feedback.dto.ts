import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { ListQueryDto } from './list.dto';

export class CreateFeedbackDto {
  @ApiProperty({ example: '发票抬头能否显示英文名称？', maxLength: 4000 })
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  message!: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 5 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5)
  rating?: number;

  @ApiPropertyOptional({ description: 'The order the feedback is about.' })
  @IsOptional()
  @IsUUID('all', { message: 'orderId must be a UUID' })
  orderId?: string;
}

export class FeedbackQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ description: 'true: handled only; false: still open.' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'handled must be true or false' })
  handled?: boolean;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 5 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(5)
  rating?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all', { message: 'orderId must be a UUID' })
  orderId?: string;
}

export class FeedbackAuthorDto {
  @ApiProperty() id!: string;
  @ApiProperty() username!: string;
}

export class FeedbackDto {
  @ApiProperty() id!: string;
  @ApiProperty({ type: FeedbackAuthorDto }) author!: FeedbackAuthorDto;
  @ApiProperty() message!: string;
  @ApiProperty({ type: 'integer', nullable: true }) rating!: number | null;
  @ApiProperty({ type: String, nullable: true }) orderId!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) handledAt!: string | null;
  @ApiProperty({ type: FeedbackAuthorDto, nullable: true }) handledBy!: FeedbackAuthorDto | null;
  @ApiProperty({
    enum: ['console', 'email'],
    description:
      '`console`: the form; `email`: a customer e-mail staff filed as feedback (author: the sender).',
  })
  channel!: 'console' | 'email';
}

export class FeedbackPageDto {
  @ApiProperty({ type: [FeedbackDto] }) items!: FeedbackDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
