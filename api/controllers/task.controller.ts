import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../domain/order';
import { CurrentActor } from '../auth/actor.decorator';
import { OPERATORS, Roles } from '../auth/roles.decorator';
import { ErrorDto } from '../dtos/error.dto';
import { TaskListDto, TaskQueryDto } from '../dtos/task.dto';
import { TaskService } from '../services/task.service';

@ApiTags('tasks')
@Controller('tasks')
export class TaskController {
  constructor(private readonly service: TaskService) {}

  @Get()
  @ApiOkResponse({ type: TaskListDto, description: 'Orders waiting for a person, oldest wait first.' })
  @ApiBadRequestResponse({ type: ErrorDto })
  @Roles(...OPERATORS)
  list(@Query() query: TaskQueryDto, @CurrentActor() actor: Actor): Promise<TaskListDto> {
    return this.service.list(query, actor);
  }
}
