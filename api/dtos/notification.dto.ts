import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { LimitQueryDto } from './list.dto';

export class InboxQueryDto extends LimitQueryDto {
  @ApiPropertyOptional({ description: 'Only notifications not yet read.' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'unread must be true or false' })
  unread?: boolean;
}

export class NotificationDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'order.shipped' }) kind!: string;
  @ApiProperty({ format: 'uuid' }) orderId!: string;
  @ApiProperty() title!: string;
  @ApiProperty() body!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) readAt!: string | null;
}

export class InboxDto {
  @ApiProperty({ type: [NotificationDto] }) items!: NotificationDto[];
}
