import { SetMetadata } from '@nestjs/common';
import type { Role } from '../../domain/people';

export const ROLES_KEY = 'oms:roles';
export const PUBLIC_KEY = 'oms:public';

/** The roles allowed on a route (any one suffices). Every route declares roles or @Public(); none fails closed. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** A route anyone may call without signing in. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** The rows of the contract's role table, defined once in the domain. */
export { ADMINS, ANYONE, MANAGERS, OPERATORS, OVERSEERS } from '../../domain/people';
