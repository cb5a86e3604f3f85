import { Injectable } from '@nestjs/common';
import {
  DuplicateUsernameError,
  SessionRepository,
  UserRepository,
  type UserChanges,
} from '../../db/repositories';
import type { Actor } from '../../domain/order';
import { hashPassword } from '../auth/password';
import { UserDto, type CreateUserDto, type UpdateUserDto } from '../dtos/user.dto';
import { DomainError, notFound } from '../errors/domain.error';

@Injectable()
export class UserService {
  constructor(
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
  ) {}

  /** Creates a user; a taken username is a 409. */
  async create(dto: CreateUserDto, actor: Actor): Promise<UserDto> {
    const { password, email, ...rest } = dto;
    try {
      const user = await this.users.create(
        { ...rest, email: email ?? null, passwordHash: await hashPassword(password) },
        actor,
      );
      return UserDto.from(user);
    } catch (error) {
      if (error instanceof DuplicateUsernameError) {
        throw new DomainError('duplicate', `username ${JSON.stringify(dto.username)} is taken`, {
          field: 'username',
        });
      }
      throw error;
    }
  }

  /** Every user, by username. */
  async list(): Promise<{ items: UserDto[] }> {
    return { items: (await this.users.list()).map((user) => UserDto.from(user)) };
  }

  /** Changes roles, details, password or disables; takes effect on the user's next request. */
  async update(id: string, dto: UpdateUserDto, actor: Actor): Promise<UserDto> {
    const { password, ...rest } = dto;
    if (id === actor.id && (dto.disabled === true || (dto.roles && !dto.roles.includes('admin')))) {
      throw new DomainError('invalid_state', 'you cannot disable yourself or take away your own admin role');
    }
    const changes: UserChanges = {
      ...rest,
      ...(password ? { passwordHash: await hashPassword(password) } : {}),
    };
    const user = await this.users.update(id, changes, actor);
    if (!user) throw notFound('user', id);
    return UserDto.from(user);
  }

  /** Ends every open session of the user (an admin's decision, recorded in the audit log). */
  async endSessions(id: string, actor: Actor): Promise<{ ended: number }> {
    if (!(await this.users.findById(id))) throw notFound('user', id);
    return { ended: await this.sessions.endAllOfByDecision(id, actor) };
  }
}
