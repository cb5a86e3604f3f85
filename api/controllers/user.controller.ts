import { Body, Controller, Delete, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../domain/order';
import { CurrentActor } from '../auth/actor.decorator';
import { ADMINS, Roles } from '../auth/roles.decorator';
import { CreateUserDto, EndedSessionsDto, UpdateUserDto, UserDto, UserListDto } from '../dtos/user.dto';
import { UserService } from '../services/user.service';
import { ApiErrors, ApiOp } from '../openapi/decorators';

@ApiTags('identity')
@Roles(...ADMINS)
@Controller('users')
export class UserController {
  constructor(private readonly service: UserService) {}

  @Post()
  @ApiOp('createUser', 'Create a user')
  @ApiCreatedResponse({ type: UserDto })
  @ApiErrors([409, 'The username is taken.'])
  create(@Body() dto: CreateUserDto, @CurrentActor() actor: Actor): Promise<UserDto> {
    return this.service.create(dto, actor);
  }

  @Get()
  @ApiOp('listUsers', 'List users')
  @ApiOkResponse({ type: UserListDto })
  list(): Promise<UserListDto> {
    return this.service.list();
  }

  @Patch(':id')
  @ApiOp(
    'updateUser',
    "Change a user's details, roles, password or disabled",
    'Ends their existing tokens and sessions when password, roles or disabled change.',
  )
  @ApiOkResponse({ type: UserDto })
  @ApiErrors(404, [409, 'You cannot disable yourself or take away your own admin role.'])
  update(
    @Param('id') id: string,
    @Body() dto: UpdateUserDto,
    @CurrentActor() actor: Actor,
  ): Promise<UserDto> {
    return this.service.update(id, dto, actor);
  }

  @Delete(':id/sessions')
  @ApiOp(
    'endUserSessions',
    'End every session of a user: their console sessions and bearer tokens stop working',
    'For a lost laptop or a token that leaked. The user can sign in again (disable the user to prevent that); ' +
      'their live event streams close. Recorded in the audit log.',
  )
  @ApiOkResponse({ type: EndedSessionsDto })
  @ApiErrors(404)
  endSessions(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<EndedSessionsDto> {
    return this.service.endSessions(id, actor);
  }
}
