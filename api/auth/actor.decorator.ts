import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '../../domain/order';

export interface RequestWithActor extends Request {
  actor?: Actor;
  /** Set when the console's session cookie (not a bearer header) authenticated the request. */
  sessionToken?: string | null;
}

/** The signed-in user performing the request (set by AuthGuard), passed on to services and workflow updates. */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<RequestWithActor>().actor;
  if (!actor) throw new Error('CurrentActor used on a route without authentication');
  return actor;
});
