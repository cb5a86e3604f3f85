import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ListQueryDto } from './list.dto';

export const AUDITED_ENTITIES = [
  'customer',
  'product',
  'settings',
  'user',
  'webhook',
  'delivery',
  // A manager's pause or resume of a destination (the SMTP server, a webhook host).
  'delivery_destination',
  'feedback',
  'order',
  // Who works on a return: claimed, assigned, unclaimed.
  'return',
  // A machine client's key, created or revoked by an admin (issue 27).
  'api_key',
  // A stock location (warehouse) created by a manager.
  'location',
  // A quote: made and sent by staff, accepted or declined by its customer (actor `customer:<id>`).
  'quote',
] as const;

export class AuditQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: AUDITED_ENTITIES })
  @IsOptional()
  @IsIn(AUDITED_ENTITIES)
  entity?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  entityId?: string;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page.' })
  @IsOptional()
  @Matches(/^\d{1,18}$/, { message: 'cursor is not one this server issued' })
  declare cursor?: string;
}

export class AuditActorDto {
  @ApiProperty() id!: string;
  @ApiProperty() username!: string;
  @ApiProperty({ type: [String] }) roles!: string[];
}

export class AuditRecordDto {
  @ApiProperty() id!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ type: AuditActorDto }) actor!: AuditActorDto;
  @ApiProperty({ example: 'product.updated' }) action!: string;
  @ApiProperty({ enum: AUDITED_ENTITIES }) entity!: string;
  @ApiProperty() entityId!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) before!: unknown;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) after!: unknown;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditRecordDto] }) items!: AuditRecordDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
