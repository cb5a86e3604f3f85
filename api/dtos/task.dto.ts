import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { AWAITING_VALUES, type Awaiting } from '../../domain/order';
import { ORDER_ACTIONS, type OrderAction } from '../../domain/order.state';
import { TASK_SCOPES, type TaskScope } from '../../domain/tasks';
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

export class TaskDto {
  @ApiProperty({ format: 'uuid', description: 'The order.' }) orderId!: string;
  @ApiProperty({ example: 'SO-2026-000123' }) number!: string;
  @ApiProperty({ enum: AWAITING_VALUES }) awaiting!: Awaiting;
  @ApiProperty({ enum: ORDER_ACTIONS, description: 'The action the order waits for.' }) action!: OrderAction;
  @ApiProperty({ format: 'date-time' }) waitingSince!: string;
  @ApiProperty({ description: 'How long it has waited, in seconds, when answered.' }) waitedSeconds!: number;
  @ApiProperty({ description: 'Minor units.' }) total!: number;
  @ApiProperty() currency!: string;
  @ApiProperty({ type: AssigneeDto, nullable: true }) assignee!: AssigneeDto | null;
}

export class TaskListDto {
  @ApiProperty({ enum: TASK_SCOPES }) scope!: TaskScope;
  @ApiProperty({ type: [TaskDto], description: 'Oldest wait first.' }) items!: TaskDto[];
}
