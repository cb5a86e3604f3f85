import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { ESCALATION_STAGES, type EscalationStage } from '../../domain/escalation';
import { AWAITING_VALUES, type Awaiting } from '../../domain/order';

export class PolicyLevelDto {
  @ApiProperty({ example: 'PT4H', description: 'ISO 8601 duration from the start of the wait.' })
  @IsString()
  @MaxLength(40)
  after!: string;

  @ApiProperty({ example: ['manager'], description: 'Roles or usernames to remind.' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  notify!: string[];

  @ApiPropertyOptional({ example: 'PT2H', description: 'Remind again this often after `after`.' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  repeatEvery?: string;
}

export class PolicyInputDto {
  @ApiProperty({ type: [PolicyLevelDto], description: 'In order of `after`; empty: escalation off.' })
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => PolicyLevelDto)
  levels!: PolicyLevelDto[];

  @ApiPropertyOptional({
    description: 'Count only working time on the calendar (`/api/settings/calendar`); unchanged when absent.',
  })
  @IsOptional()
  @IsBoolean()
  businessHours?: boolean;
}

export class PolicyDto {
  @ApiProperty({ enum: ESCALATION_STAGES }) stage!: EscalationStage;
  @ApiProperty({ type: [PolicyLevelDto] }) levels!: PolicyLevelDto[];
  @ApiProperty() businessHours!: boolean;
  @ApiProperty({ type: 'integer' }) version!: number;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class PolicyChangeDto extends PolicyDto {
  @ApiProperty({
    type: 'integer',
    description:
      'Orders waiting in this stage when the policy was saved; they are sent it in the background (a rollout workflow).',
  })
  appliedTo!: number;
}

export class PolicyListDto {
  @ApiProperty({ type: [PolicyDto] }) items!: PolicyDto[];
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

export class WorkingIntervalDto {
  @ApiProperty({
    type: 'integer',
    minimum: 1,
    maximum: 7,
    description: 'ISO weekday: 1 = Monday … 7 = Sunday.',
  })
  @IsInt()
  @Min(1)
  @Max(7)
  weekday!: number;

  @ApiProperty({ example: '09:00' })
  @Matches(TIME, { message: 'start must be a time of day HH:MM' })
  start!: string;

  @ApiProperty({ example: '18:00' })
  @Matches(TIME, { message: 'end must be a time of day HH:MM (24:00 for midnight)' })
  end!: string;
}

export class CalendarInputDto {
  @ApiProperty({ example: 'Asia/Shanghai', description: 'IANA time zone.' })
  @IsString()
  @MaxLength(64)
  timeZone!: string;

  @ApiProperty({ type: [WorkingIntervalDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(70)
  @ValidateNested({ each: true })
  @Type(() => WorkingIntervalDto)
  hours!: WorkingIntervalDto[];

  @ApiProperty({ example: ['2026-10-01'], description: 'Local dates without working time.' })
  @IsArray()
  @ArrayMaxSize(1000)
  @ArrayUnique()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { each: true, message: 'holidays must be dates YYYY-MM-DD' })
  holidays!: string[];
}

export class CalendarDto extends CalendarInputDto {
  @ApiProperty({ type: 'integer' }) version!: number;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class CalendarChangeDto extends CalendarDto {
  @ApiProperty({
    type: 'integer',
    description:
      'Orders waiting under a working-hours policy when the calendar was saved; they are sent it in the background.',
  })
  appliedTo!: number;
}

export class OverdueQueryDto {
  @ApiPropertyOptional({ enum: ESCALATION_STAGES })
  @IsOptional()
  @IsIn(ESCALATION_STAGES)
  stage?: EscalationStage;
}

export class OverdueOrderDto {
  @ApiProperty({ format: 'uuid' }) orderId!: string;
  @ApiProperty() number!: string;
  @ApiProperty({ enum: ESCALATION_STAGES }) stage!: EscalationStage;
  @ApiProperty({ enum: AWAITING_VALUES }) awaiting!: Awaiting;
  @ApiProperty({ type: 'integer', description: 'The highest level reminded so far (1 = first).' })
  level!: number;
  @ApiProperty({ format: 'date-time' }) waitingSince!: string;
  @ApiProperty({ type: 'integer', description: 'Seconds since the wait began.' }) waitedSeconds!: number;
  @ApiProperty({ format: 'date-time' }) escalatedAt!: string;
}

export class OverdueLevelDto {
  @ApiProperty({ enum: ESCALATION_STAGES }) stage!: EscalationStage;
  @ApiProperty({ type: 'integer' }) level!: number;
  @ApiProperty({ type: [OverdueOrderDto] }) orders!: OverdueOrderDto[];
}

export class OverdueDto {
  @ApiProperty({ type: [OverdueLevelDto], description: 'Per stage and level, longest wait first.' })
  items!: OverdueLevelDto[];
}
