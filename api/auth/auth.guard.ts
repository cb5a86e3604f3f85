import { Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '../../db/entities';
import { DomainError } from '../errors/domain.error';
import type { RequestWithActor } from './actor.decorator';
import type { Response } from 'express';
import { RateLimited } from '../services/api-key.service';
import { AuthService } from './auth.service';
import { PUBLIC_KEY, ROLES_KEY } from './roles.decorator';

/**
 * Runs before every route: public routes pass; others need a valid bearer token (or the console's session
 * cookie, with its anti-forgery token on writes) of an enabled user with
 * one of the route's roles. A route that declares nothing is refused, so a forgotten declaration can
 * never open a route to everyone.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger('AuthGuard');

  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    const request = context.switchToHttp().getRequest<RequestWithActor>();
    const { actor, sessionToken, sessionId } = await this.auth
      .authenticateRequest(request)
      .catch((error: unknown) => {
        // An API key over its limit: the client is told when to come back.
        if (error instanceof RateLimited)
          context.switchToHttp().getResponse<Response>().setHeader('Retry-After', error.retryAfterSeconds);
        throw error;
      });
    request.actor = actor;
    request.sessionToken = sessionToken;
    request.sessionId = sessionId;
    if (!roles) {
      this.logger.error(
        `${context.getClass().name}.${context.getHandler().name} declares no roles; refusing`,
      );
      throw new DomainError('forbidden', 'this route is not open to any role');
    }
    if (!actor.roles.some((role) => roles.includes(role as Role))) {
      throw new DomainError(
        'forbidden',
        `your roles (${actor.roles.join(', ')}) may not do this; it needs ${roles.join(' or ')}`,
      );
    }
    return true;
  }
}
