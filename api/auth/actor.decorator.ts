import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '../../domain/order';

export interface RequestWithActor extends Request {
  actor?: Actor;
  /** Set when the console's session cookie (not a bearer header) authenticated the request. */
  sessionToken?: string | null;
  /** The server-side session of the request's token (cookie or bearer header). */
  sessionId?: string;
}

/** The signed-in user performing the request (set by AuthGuard), passed on to services and workflow updates. */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<RequestWithActor>().actor;
  if (!actor) throw new Error('CurrentActor used on a route without authentication');
  return actor;
});

/** The server-side session of the signed-in request (set by AuthGuard). */
export const CurrentSessionId = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const sessionId = context.switchToHttp().getRequest<RequestWithActor>().sessionId;
  if (!sessionId) throw new Error('CurrentSessionId used on a route without authentication');
  return sessionId;
});
