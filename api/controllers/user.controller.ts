import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Actor } from '../../domain/order';
import { CurrentActor } from '../auth/actor.decorator';
import { ADMINS, Roles } from '../auth/roles.decorator';
import { ErrorDto } from '../dtos/error.dto';
import { CreateUserDto, UpdateUserDto, UserDto, UserListDto } from '../dtos/user.dto';
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
}
