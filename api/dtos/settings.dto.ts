import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { IsCurrencyCode, MAX_AMOUNT } from './validators';

export class ApprovalSettingsInputDto {
  @ApiProperty({
    type: 'integer',
    example: 50000,
    description: 'At or below this total (minor units) the system approves.',
  })
  @IsInt()
  @Min(0)
  @Max(MAX_AMOUNT)
  autoApproveBelow!: number;

  @ApiProperty({
    type: 'integer',
    example: 1000000,
    description: 'Up to this total staff may approve; above it only a manager.',
  })
  @IsInt()
  @Min(0)
  @Max(MAX_AMOUNT)
  staffApprovalLimit!: number;

  @ApiProperty({ example: 'CNY', description: 'Orders in other currencies always need a manager.' })
  @IsCurrencyCode()
  currency!: string;
}

export class ApprovalSettingsDto extends ApprovalSettingsInputDto {
  @ApiProperty({
    type: 'integer',
    description: 'Grows with every change; orders record the version they were decided under.',
  })
  version!: number;
}
