import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsEmail, IsIn, IsInt, IsOptional, IsString, Length, Max, MaxLength, Min } from 'class-validator';
import { MAX_AMOUNT } from './validators';
import type { Customer } from '../../db/entities';
import { LANGUAGES, type Language } from '../../domain/people';
import { MultiLine } from '../errors/input-boundary';

export class CreateCustomerDto {
  @ApiProperty({ example: 'Acme Trading Co.' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ example: 'buyer@acme.example' })
  @IsEmail()
  @MaxLength(320)
  email!: string;

  @ApiPropertyOptional({ example: '+86 21 5555 0100', type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  phone?: string | null;

  @ApiPropertyOptional({ example: '1 Century Ave, Shanghai', type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @MultiLine()
  address?: string | null;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    description:
      'Most the built-in gateway may hold for this customer (minor units); null or absent: no limit.',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_AMOUNT)
  creditLimit?: number | null;

  @ApiPropertyOptional({
    enum: LANGUAGES,
    description: "The language of the customer's e-mails (default zh-CN).",
  })
  @IsOptional()
  @IsIn(LANGUAGES)
  language?: Language;
}

/** Absent fields stay as they are; `null` clears only the fields documented as nullable. */
export class UpdateCustomerDto extends PartialType(CreateCustomerDto, { skipNullProperties: false }) {}

export class CustomerDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ type: String, nullable: true }) phone!: string | null;
  @ApiProperty({ type: String, nullable: true }) address!: string | null;
  @ApiProperty({ type: 'integer', nullable: true }) creditLimit!: number | null;
  @ApiProperty({ enum: LANGUAGES }) language!: Language;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;

  static from(customer: Customer): CustomerDto {
    return {
      id: customer.id,
      name: customer.name,
      email: customer.email,
      phone: customer.phone,
      address: customer.address,
      creditLimit: customer.creditLimit,
      language: customer.language,
      createdAt: customer.createdAt.toISOString(),
      updatedAt: customer.updatedAt.toISOString(),
    };
  }
}

export class CustomerPageDto {
  @ApiProperty({ type: [CustomerDto] }) items!: CustomerDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
