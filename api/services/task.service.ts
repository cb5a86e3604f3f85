import { Injectable } from '@nestjs/common';
import { TaskRepository, UserRepository } from '../../db/repositories';
import type { Actor } from '../../domain/order';
import { OPERATORS, hasRole } from '../../domain/people';
import { AWAITED_ACTION, RETURN_AWAITED_ACTION } from '../../domain/tasks';
import type { TaskListDto, TaskPeopleDto, TaskQueryDto } from '../dtos/task.dto';

@Injectable()
export class TaskService {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly users: UserRepository,
  ) {}

  /** Who may hold work or stand in for someone: enabled staff, managers and admins, by username. */
  async people(): Promise<TaskPeopleDto> {
    const users = await this.users.list();
    return {
      items: users
        .filter((user) => !user.disabled && hasRole(user.roles, OPERATORS))
        .map(({ id, username, displayName, roles }) => ({ id, username, displayName, roles: [...roles] })),
    };
  }

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
