import { Body, Controller, Get, HttpCode, Patch, Post, Req, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Actor } from '../../domain/order';
import { CurrentActor, type RequestWithActor } from '../auth/actor.decorator';
import { AuthService } from '../auth/auth.service';
import { ANYONE, Public, Roles } from '../auth/roles.decorator';
import { clearedSessionCookie, sessionCookie } from '../auth/session';
import { LoginDto, LoginResultDto, MeDto, SessionResultDto, UpdateMeDto } from '../dtos/user.dto';
import { ApiErrors, ApiOp } from '../openapi/decorators';

/** Signing in: wrong credentials, throttled guessing, and the user table out of reach. */
const SignInErrors = () =>
  ApiErrors(
    [401, 'Wrong username or password.'],
    [429, 'Too many failed attempts for this username or address.'],
    503,
  );

@ApiTags('identity')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOp('logIn', 'Sign in: a bearer token for scripts and integrations')
  @ApiOkResponse({ type: LoginResultDto })
  @SignInErrors()
  login(@Body() dto: LoginDto, @Req() request: Request): Promise<LoginResultDto> {
    // `request.ip` is the client's address as seen through the proxies trusted by OMS_TRUST_PROXY.
    return this.auth.login(
      dto.username,
      dto.password,
      request.ip ?? request.socket.remoteAddress ?? 'unknown',
    );
  }

  @Post('session')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    operationId: 'startSession',
    summary: "Sign in the web console: sets the HttpOnly session cookie 'oms_session'",
    description:
      'The cookie holds the same signed token as /auth/login (HttpOnly, SameSite=Strict, Path=/, Secure over ' +
      'TLS). Requests without an Authorization header are authenticated by it; writes must also send the ' +
      'returned csrfToken as X-CSRF-Token, or get 403.',
  })
  @ApiOkResponse({ type: SessionResultDto })
  @SignInErrors()
  async session(
    @Body() dto: LoginDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SessionResultDto> {
    const started = await this.auth.startSession(
      dto.username,
      dto.password,
      request.socket.remoteAddress ?? 'unknown',
    );
    response.setHeader(
      'Set-Cookie',
      sessionCookie(started.sessionToken, started.maxAgeSeconds, request.secure),
    );
    return started.result;
  }

  @Post('logout')
  @Public()
  @HttpCode(204)
  @ApiOp('endSession', 'Sign out of the web console: clears the session cookie')
  @ApiNoContentResponse({ description: 'The session cookie is cleared.' })
  logout(@Req() request: Request, @Res({ passthrough: true }) response: Response): void {
    response.setHeader('Set-Cookie', clearedSessionCookie(request.secure));
  }

  @Get('me')
  @ApiOp('getCurrentUser', 'Read the signed-in user', 'With roles and language.')
  @Roles(...ANYONE)
  @ApiOkResponse({ type: MeDto })
  me(@CurrentActor() actor: Actor, @Req() request: RequestWithActor): Promise<MeDto> {
    return this.auth.me(actor, request.sessionToken ?? null);
  }

  @Patch('me')
  @Roles(...ANYONE)
  @ApiOp('updateCurrentUser', "Change the signed-in user's own settings (language)")
  @ApiOkResponse({ type: MeDto, description: 'The signed-in user after the change.' })
  updateMe(
    @Body() dto: UpdateMeDto,
    @CurrentActor() actor: Actor,
    @Req() request: RequestWithActor,
  ): Promise<MeDto> {
    return this.auth.setLanguage(actor, dto.language, request.sessionToken ?? null);
  }
}
