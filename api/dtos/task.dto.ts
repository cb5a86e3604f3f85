import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { ORDER_ACTIONS } from '../../domain/order.state';
import { RETURN_ACTIONS } from '../../domain/return';
import {
  TASK_AWAITING,
  TASK_KINDS,
  TASK_SCOPES,
  type TaskAction,
  type TaskAwaiting,
  type TaskKind,
  type TaskScope,
} from '../../domain/tasks';
import { ROLES, type Role } from '../../domain/people';
import { AssigneeDto } from './order.dto';

export class TaskQueryDto {
  @ApiPropertyOptional({
    enum: TASK_SCOPES,
    default: 'mine',
    description: 'mine: held by the caller; unassigned: held by nobody; team: held by someone.',
  })
  @IsOptional()
  @IsIn(TASK_SCOPES)
  scope?: TaskScope;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

const TASK_ACTIONS = [...new Set<TaskAction>([...ORDER_ACTIONS, ...RETURN_ACTIONS])];

export class TaskDto {
  @ApiProperty({ enum: TASK_KINDS, description: 'Whether an order or a return waits.' }) kind!: TaskKind;
  @ApiProperty({ format: 'uuid', description: 'The order (for a return, the order it returns units of).' })
  orderId!: string;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The return; null for an order.',
  })
  returnId!: string | null;
  @ApiProperty({ example: 'SO-2026-000123', description: "The order's number, or the return's (RT-…)." })
  number!: string;
  @ApiProperty({
    enum: TASK_AWAITING,
    description: "The wait: an order's `awaiting`, or a return's stage (`approval`, `receipt`, `refund`).",
  })
  awaiting!: TaskAwaiting;
  @ApiProperty({
    enum: TASK_ACTIONS,
    description: 'The action it waits for (a return: `approve`, `receive` or `refund`).',
  })
  action!: TaskAction;
  @ApiProperty({ format: 'date-time' }) waitingSince!: string;
  @ApiProperty({ description: 'How long it has waited, in seconds, when answered.' }) waitedSeconds!: number;
  @ApiProperty({ description: "Minor units: the order's total, or the value of the return's units." })
  total!: number;
  @ApiProperty() currency!: string;
  @ApiProperty({ type: AssigneeDto, nullable: true }) assignee!: AssigneeDto | null;
}

export class TaskListDto {
  @ApiProperty({ enum: TASK_SCOPES }) scope!: TaskScope;
  @ApiProperty({ type: [TaskDto], description: 'Oldest wait first.' }) items!: TaskDto[];
}

export class TaskPersonDto extends AssigneeDto {
  @ApiProperty({ enum: ROLES, isArray: true }) roles!: Role[];
}

export class TaskPeopleDto {
  @ApiProperty({
    type: [TaskPersonDto],
    description: 'Enabled staff, managers and admins, by username: who may hold an order or be a delegate.',
  })
  items!: TaskPersonDto[];
}
