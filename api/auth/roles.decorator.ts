import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { Role } from '../../domain/people';
import { PUBLIC_EXTENSION, ROLES_EXTENSION } from '../openapi/document';

export const ROLES_KEY = 'oms:roles';
export const PUBLIC_KEY = 'oms:public';

/**
 * The roles allowed on a route (any one suffices). Every route declares roles or @Public(); none fails closed.
 * The OpenAPI document lists them and derives the route's security, 401 and 403 from them.
 */
export const Roles = (...roles: Role[]) =>
  applyDecorators(SetMetadata(ROLES_KEY, roles), ApiExtension(ROLES_EXTENSION, roles));

/** A route anyone may call without signing in; the OpenAPI document gives it `security: []`. */
export const Public = () =>
  applyDecorators(SetMetadata(PUBLIC_KEY, true), ApiExtension(PUBLIC_EXTENSION, true));

/** The rows of the contract's role table, defined once in the domain. */
export { ADMINS, ANYONE, MANAGERS, OPERATORS, OVERSEERS } from '../../domain/people';
