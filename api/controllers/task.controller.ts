import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../domain/order';
import { CurrentActor } from '../auth/actor.decorator';
import { OPERATORS, Roles } from '../auth/roles.decorator';
import { TaskListDto, TaskQueryDto } from '../dtos/task.dto';
import { ApiOp } from '../openapi/decorators';
import { TaskService } from '../services/task.service';

@ApiTags('tasks')
@Controller('tasks')
export class TaskController {
  constructor(private readonly service: TaskService) {}

  @Get()
  @ApiOkResponse({
    type: TaskListDto,
    description: 'Orders and returns waiting for a person, oldest wait first.',
  })
  @ApiOp(
    'listTasks',
    'What waits for whom',
    'Open orders and returns waiting for a person, oldest wait first.',
  )
  @Roles(...OPERATORS)
  list(@Query() query: TaskQueryDto, @CurrentActor() actor: Actor): Promise<TaskListDto> {
    return this.service.list(query, actor);
  }
}
