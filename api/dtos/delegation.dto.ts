import { ApiProperty } from '@nestjs/swagger';
import { IsISO8601, IsString, Length, ValidateIf } from 'class-validator';
import { AssigneeDto } from './order.dto';

export class DelegateDto {
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'Who gets the caller’s tasks and notifications meanwhile; null ends a delegation now.',
  })
  @ValidateIf((dto: DelegateDto) => dto.userId !== null)
  @IsString()
  @Length(1, 64)
  userId!: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    required: false,
    description: 'Until when (required with a `userId`): in the future, at most a year ahead.',
  })
  @ValidateIf((dto: DelegateDto) => dto.userId !== null)
  @IsISO8601({ strict: true }, { message: 'until must be an ISO 8601 date-time' })
  until?: string;
}

export class DelegationDto {
  @ApiProperty({ type: AssigneeDto, nullable: true, description: 'Null when the caller delegates nothing.' })
  delegate!: AssigneeDto | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) until!: string | null;
  @ApiProperty({ description: 'Whether it is in force now (`until` still ahead).' }) inForce!: boolean;
}
