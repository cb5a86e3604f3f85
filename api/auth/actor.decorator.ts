import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '../../workflows/order.definitions';

/**
 * Until sign-in exists every request acts as this staff member. The authentication guard will set
 * `request.actor` from the bearer token; everything downstream already receives the actor from here.
 */
export const ANONYMOUS_STAFF: Actor = { id: 'anonymous', username: 'anonymous', roles: ['staff'] };

export interface RequestWithActor extends Request {
  actor?: Actor;
}

/** The user performing the request, passed on to services and into workflow updates. */
export const CurrentActor = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Actor =>
    context.switchToHttp().getRequest<RequestWithActor>().actor ?? ANONYMOUS_STAFF,
);

/** Resolves the acting user of a request; the authentication guard will take this role. */
export type ActorResolver = (request: Request) => Actor | undefined;
