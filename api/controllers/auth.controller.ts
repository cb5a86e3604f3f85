import { Body, Controller, Get, HttpCode, Patch, Post, Put, Req, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Actor } from '../../domain/order';
import { CurrentActor, type RequestWithActor } from '../auth/actor.decorator';
import { AuthService } from '../auth/auth.service';
import { ANYONE, OPERATORS, Public, Roles } from '../auth/roles.decorator';
import {
  DEVICE_COOKIE,
  clearedSessionCookie,
  cookieValue,
  deviceCookie,
  sessionCookie,
} from '../auth/session';
import type { SignInOrigin } from '../auth/auth.service';
import { LoginDto, LoginResultDto, MeDto, SessionResultDto, UpdateMeDto } from '../dtos/user.dto';
import { DelegateDto, DelegationDto } from '../dtos/delegation.dto';
import { ApiErrors, ApiOp } from '../openapi/decorators';
import { DelegationService } from '../services/delegation.service';

/** Signing in: wrong credentials, throttled guessing, and the user table out of reach. */
const SignInErrors = () =>
  ApiErrors(
    [401, 'Wrong username or password.'],
    [429, 'Too many failed attempts for this username or address.'],
    503,
  );

/**
 * Where a sign-in comes from: the client's address as seen through the proxies OMS_TRUST_PROXY trusts (the
 * same for scripts and the console), and the browser's device cookie.
 */
function signInOrigin(request: Request): SignInOrigin {
  return {
    address: request.ip ?? request.socket.remoteAddress ?? 'unknown',
    deviceToken: cookieValue(request.headers.cookie, DEVICE_COOKIE),
  };
}

@ApiTags('identity')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly delegation: DelegationService,
  ) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOp('logIn', 'Sign in: a bearer token for scripts and integrations')
  @ApiOkResponse({ type: LoginResultDto })
  @SignInErrors()
  login(@Body() dto: LoginDto, @Req() request: Request): Promise<LoginResultDto> {
    return this.auth.login(dto.username, dto.password, signInOrigin(request));
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
      'returned csrfToken as X-CSRF-Token, or get 403. Also sets the device cookie `oms_device` (Path=/api/auth, ' +
      'a year): later sign-ins of this user on this browser are throttled on their own, so failures by others ' +
      'at the same address cannot keep them out.',
  })
  @ApiOkResponse({ type: SessionResultDto })
  @SignInErrors()
  async session(
    @Body() dto: LoginDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SessionResultDto> {
    const started = await this.auth.startSession(dto.username, dto.password, signInOrigin(request));
    response.setHeader('Set-Cookie', [
      sessionCookie(started.sessionToken, started.maxAgeSeconds, request.secure),
      deviceCookie(started.deviceToken, request.secure),
    ]);
    return started.result;
  }

  @Post('logout')
  @Public()
  @HttpCode(204)
  @ApiOp(
    'endSession',
    'Sign out: ends the session of the token sent (session cookie or bearer header) everywhere',
    'The session ends on the server, so a copy of the cookie or token is refused from now on, and the live ' +
      'event streams opened with it close. Clears the session cookie. Answers 204 also when there was no ' +
      'session to end.',
  )
  @ApiNoContentResponse({ description: 'The session is ended and the session cookie cleared.' })
  async logout(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<void> {
    await this.auth.logout(request);
    response.setHeader('Set-Cookie', clearedSessionCookie(request.secure));
  }

  @Post('logout-all')
  @Roles(...ANYONE)
  @HttpCode(204)
  @ApiOp(
    'endAllSessions',
    'Sign out everywhere: ends every session of the signed-in user',
    'Every console session and bearer token of the user stops working, this one included, and their live ' +
      'event streams close. Clears the session cookie.',
  )
  @ApiNoContentResponse({ description: "Every one of the user's sessions is ended." })
  async logoutAll(
    @CurrentActor() actor: Actor,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    await this.auth.logoutEverywhere(actor);
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
    return this.auth.updateMe(actor, dto, request.sessionToken ?? null);
  }

  @Get('me/delegate')
  @Roles(...OPERATORS)
  @ApiOp(
    'getCurrentDelegation',
    'Read the signed-in user’s delegation',
    'The delegate and until when; `inForce` is false once `until` has passed. `{delegate: null, until: null}` ' +
      'when there is none.',
  )
  @ApiOkResponse({ type: DelegationDto })
  getDelegation(@CurrentActor() actor: Actor): Promise<DelegationDto> {
    return this.delegation.get(actor);
  }

  @Put('me/delegate')
  @Roles(...OPERATORS)
  @ApiOp(
    'delegateCurrentUser',
    'Hand the signed-in user’s work to a delegate until a moment, or end that now',
    'While it is in force, the caller’s tasks show in the delegate’s `GET /api/tasks?scope=mine` and what ' +
      'would notify the caller notifies the delegate. It ends by itself at `until`. `{userId: null}` ends it ' +
      'now (every request body is a JSON object, so a bare `null` is refused).',
  )
  @ApiOkResponse({ type: DelegationDto, description: 'The caller’s delegation after the change.' })
  delegate(@Body() dto: DelegateDto, @CurrentActor() actor: Actor): Promise<DelegationDto> {
    return this.delegation.set(dto, actor);
  }
}
