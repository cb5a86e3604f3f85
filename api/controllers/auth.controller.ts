import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOkResponse, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import type { Actor } from '../../workflows/order.definitions';
import { CurrentActor } from '../auth/actor.decorator';
import { AuthService } from '../auth/auth.service';
import { ANYONE, Public, Roles } from '../auth/roles.decorator';
import { ErrorDto } from '../dtos/error.dto';
import { LoginDto, LoginResultDto, SessionUserDto } from '../dtos/user.dto';

@ApiTags('identity')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ type: LoginResultDto })
  @ApiUnauthorizedResponse({ type: ErrorDto, description: 'Wrong username or password.' })
  @ApiTooManyRequestsResponse({
    type: ErrorDto,
    description: 'Too many failed attempts for this username or address.',
  })
  login(@Body() dto: LoginDto, @Req() request: Request): Promise<LoginResultDto> {
    // `request.ip` is the client's address as seen through the proxies trusted by OMS_TRUST_PROXY.
    return this.auth.login(
      dto.username,
      dto.password,
      request.ip ?? request.socket.remoteAddress ?? 'unknown',
    );
  }

  @Get('me')
  @Roles(...ANYONE)
  @ApiOkResponse({ type: SessionUserDto })
  me(@CurrentActor() actor: Actor): SessionUserDto {
    return { id: actor.id, username: actor.username, roles: actor.roles };
  }
}
