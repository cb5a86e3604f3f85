import { Body, Controller, Delete, Get, Param, Patch, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Actor } from '../../domain/order';
import { CurrentActor } from '../auth/actor.decorator';
import { ADMINS, Roles } from '../auth/roles.decorator';
import { ErrorDto } from '../dtos/error.dto';
import { CreateUserDto, EndedSessionsDto, UpdateUserDto, UserDto, UserListDto } from '../dtos/user.dto';
import { UserService } from '../services/user.service';

@ApiTags('identity')
@ApiBadRequestResponse({ type: ErrorDto })
@Roles(...ADMINS)
@Controller('users')
export class UserController {
  constructor(private readonly service: UserService) {}

  @Post()
  @ApiCreatedResponse({ type: UserDto })
  @ApiConflictResponse({ type: ErrorDto, description: 'The username is taken.' })
  create(@Body() dto: CreateUserDto, @CurrentActor() actor: Actor): Promise<UserDto> {
    return this.service.create(dto, actor);
  }

  @Get()
  @ApiOkResponse({ type: UserListDto })
  list(): Promise<UserListDto> {
    return this.service.list();
  }

  @Patch(':id')
  @ApiOkResponse({ type: UserDto })
  update(
    @Param('id') id: string,
    @Body() dto: UpdateUserDto,
    @CurrentActor() actor: Actor,
  ): Promise<UserDto> {
    return this.service.update(id, dto, actor);
  }

  @Delete(':id/sessions')
  @ApiOperation({
    summary: 'Ends every session of a user: their console sessions and bearer tokens stop working',
    description:
      'For a lost laptop or a token that leaked. The user can sign in again (disable the user to prevent that); ' +
      'their live event streams close. Recorded in the audit log.',
  })
  @ApiOkResponse({ type: EndedSessionsDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  endSessions(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<EndedSessionsDto> {
    return this.service.endSessions(id, actor);
  }
}
