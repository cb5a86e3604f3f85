import { ApiProperty } from '@nestjs/swagger';
import { ArrayMinSize, ArrayUnique, IsArray, IsIn, IsString, Length } from 'class-validator';
import { ROLES, type Role } from '../../domain/people';

export class CreateApiKeyDto {
  @ApiProperty({
    example: 'Online shop',
    description: 'Who uses the key; shown in histories as `api-key:<name>`.',
  })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({
    enum: ROLES,
    isArray: true,
    example: ['staff'],
    description: 'What the key may do, as a user with these roles; `admin` is refused.',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles!: Role[];
}

export class ApiKeyCreatorDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'admin' }) username!: string;
}

export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'Online shop' }) name!: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles!: string[];
  @ApiProperty({ example: 'oms_x1Y2z3A4', description: "The key's first characters, to tell keys apart." })
  prefix!: string;
  @ApiProperty({ type: ApiKeyCreatorDto }) createdBy!: ApiKeyCreatorDto;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Within a minute.' })
  lastUsedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt!: string | null;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({
    example: 'oms_3q2-7wX9…',
    description:
      'The key, shown this once only (it is stored as a hash): send it as `Authorization: Bearer oms_…`.',
  })
  key!: string;
}

export class ApiKeyListDto {
  @ApiProperty({ type: [ApiKeyDto] }) items!: ApiKeyDto[];
}
