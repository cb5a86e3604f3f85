import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../domain/order';
import { CurrentActor } from '../auth/actor.decorator';
import { OPERATORS, Roles } from '../auth/roles.decorator';
import { TaskListDto, TaskPeopleDto, TaskQueryDto } from '../dtos/task.dto';
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

  @Get('people')
  @ApiOkResponse({ type: TaskPeopleDto })
  @ApiOp(
    'listTaskPeople',
    'Who may hold work',
    'Enabled staff, managers and admins, by username: whom an order or a return may be assigned to, and ' +
      'whom one may name as a delegate.',
  )
  @Roles(...OPERATORS)
  people(): Promise<TaskPeopleDto> {
    return this.service.people();
  }
}
