import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { ASSIGNABLE_ROLES, MAX_ASSIGNMENT_RULES, type AssignableRole } from '../../domain/assignment.rules';
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

export class AssignmentRuleDto {
  @ApiProperty({
    type: 'integer',
    example: 500000,
    description: 'New orders whose total is above this (minor units of `currency`) fall under the rule.',
  })
  @IsInt()
  @Min(0)
  @Max(MAX_AMOUNT)
  above!: number;

  @ApiProperty({ example: 'CNY', description: 'Orders in other currencies do not fall under the rule.' })
  @IsCurrencyCode()
  currency!: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The person (staff, manager or admin) the orders go to; give this or `role`.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  userId?: string;

  @ApiPropertyOptional({
    enum: ASSIGNABLE_ROLES,
    description: 'The orders go round-robin to the enabled members of this role; give this or `userId`.',
  })
  @IsOptional()
  @IsIn(ASSIGNABLE_ROLES)
  role?: AssignableRole;
}

export class AssignmentRulesDto {
  @ApiProperty({
    type: [AssignmentRuleDto],
    description:
      'Checked in this order at each new order: the first whose amount its total is above applies.',
  })
  @IsArray()
  @ArrayMaxSize(MAX_ASSIGNMENT_RULES)
  @ValidateNested({ each: true })
  @Type(() => AssignmentRuleDto)
  rules!: AssignmentRuleDto[];
}
