import { Injectable } from '@nestjs/common';
import { TaskRepository } from '../../db/repositories';
import type { Actor } from '../../domain/order';
import { AWAITED_ACTION, RETURN_AWAITED_ACTION } from '../../domain/tasks';
import type { TaskListDto, TaskQueryDto } from '../dtos/task.dto';

@Injectable()
export class TaskService {
  constructor(private readonly tasks: TaskRepository) {}

  /**
   * What waits for a person in the scope (orders and returns), oldest wait first, with the action and the
   * time waited.
   */
  async list(query: TaskQueryDto, actor: Actor): Promise<TaskListDto> {
    const scope = query.scope ?? 'mine';
    const now = Date.now();
    const rows = await this.tasks.list(scope, actor.id, query.limit ?? 50);
    return {
      scope,
      items: rows.map(({ waitingSince, ...row }) => ({
        ...row,
        // Only waits with an action are read (TASK_WAITS), so the action is never null here.
        action: row.kind === 'return' ? RETURN_AWAITED_ACTION[row.awaiting] : AWAITED_ACTION[row.awaiting]!,
        waitingSince: waitingSince.toISOString(),
        waitedSeconds: Math.max(0, Math.floor((now - waitingSince.getTime()) / 1000)),
      })),
    };
  }
}
