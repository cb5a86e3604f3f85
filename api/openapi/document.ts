/**
 * The OpenAPI document: generated from the controllers and DTOs that serve the requests, then finished with
 * what every endpoint shares, so a new endpoint is described truthfully by its own few decorators
 * (see docs/api.md). Integration tests check every answer the API gives against this document.
 */
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ROLES } from '../../db/entities';
import { CSRF_HEADER, SESSION_COOKIE } from '../auth/session';
import { ERROR_MEANINGS, type ErrorStatus } from './decorators';

/** Marks set by `@Public()` and `@Roles()`; the first is turned into `security: []` here. */
export const PUBLIC_EXTENSION = 'x-public';
export const ROLES_EXTENSION = 'x-roles';

/** The names of the security schemes in `components.securitySchemes`. */
export const SECURITY_SCHEMES = { bearer: 'bearer', session: 'session', csrf: 'csrf' } as const;

type Json = Record<string, unknown>;
type Operation = Json & {
  parameters?: { in: string; name: string }[];
  requestBody?: unknown;
  responses: Record<string, Json>;
  security?: Record<string, string[]>[];
  description?: string;
};

const WRITES = new Set(['post', 'put', 'patch', 'delete']);
/** Methods whose body the API reads (`api/errors/body-parser.ts`). */
const WITH_BODY = new Set(['post', 'put', 'patch']);

/**
 * How a protected operation may be called: a bearer token, or the console's session cookie, which on a
 * write must come with the session's anti-forgery header. API keys travel as bearer tokens too
 * (`Authorization: Bearer oms_…`).
 */
export function securityFor(method: string): Record<string, string[]>[] {
  const { bearer, session, csrf } = SECURITY_SCHEMES;
  return [{ [bearer]: [] }, WRITES.has(method) ? { [session]: [], [csrf]: [] } : { [session]: [] }];
}

/** Any protected operation may answer this to an API key (`api/services/api-key.service.ts`). */
const KEY_RATE_LIMITED = {
  description:
    'An API key made more requests this minute than its limit; repeat after `Retry-After` seconds.',
  headers: {
    'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer', minimum: 1 } },
  },
  content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorDto' } } },
};

export function buildOpenApi(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('Order management API')
    .setDescription(
      'Customer orders, each a durable Temporal workflow. Money is integer minor units; times are ISO 8601 UTC. ' +
        'Sign in with POST /api/auth/login and send the accessToken as `Authorization: Bearer <token>`. ' +
        'Every error answers `{statusCode, error, message}`.',
    )
    .setVersion('0.1.0')
    .setLicense('UNLICENSED', 'https://en.wikipedia.org/wiki/All_rights_reserved')
    .addServer('/', 'This server')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        description:
          'The accessToken from POST /api/auth/login, or an API key (`oms_…`) from POST /api/api-keys.',
      },
      SECURITY_SCHEMES.bearer,
    )
    .addCookieAuth(
      SESSION_COOKIE,
      {
        type: 'apiKey',
        in: 'cookie',
        description: 'The HttpOnly session cookie POST /api/auth/session sets (the web console).',
      },
      SECURITY_SCHEMES.session,
    )
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: CSRF_HEADER,
        description:
          'The csrfToken POST /api/auth/session answered with; required with the session cookie on writes.',
      },
      SECURITY_SCHEMES.csrf,
    )
    .build();
  return finishDocument(SwaggerModule.createDocument(app, config));
}

/**
 * Adds what all operations share and writes nullable values the OpenAPI 3.1 way. Public operations get
 * `security: []`; the others their schemes, 401, 403 (unless any role may read), 429 (an API key over its
 * limit), 503. Operations that
 * take input get 400, writes 413 and 415, and a path parameter 404.
 */
export function finishDocument(document: OpenAPIObject): OpenAPIObject {
  for (const methods of Object.values(document.paths)) {
    for (const [method, operation] of Object.entries(methods as Record<string, Operation>)) {
      if (typeof operation !== 'object' || !operation.responses) continue;
      const isPublic = operation[PUBLIC_EXTENSION] === true;
      delete operation[PUBLIC_EXTENSION];
      const roles = operation[ROLES_EXTENSION] as string[] | undefined;
      const parameters = operation.parameters ?? [];
      const errors: ErrorStatus[] = [];
      if (operation.requestBody || parameters.some((parameter) => parameter.in === 'query')) errors.push(400);
      if (WITH_BODY.has(method)) errors.push(400, 413, 415);
      if (parameters.some((parameter) => parameter.in === 'path')) errors.push(404);
      if (isPublic) {
        operation.security = [];
      } else {
        operation.security = securityFor(method);
        const everyone = ROLES.every((role) => roles?.includes(role));
        errors.push(401, 503);
        if (!everyone || WRITES.has(method)) errors.push(403);
        operation.responses[429] ??= KEY_RATE_LIMITED;
        if (roles) {
          const who = `Roles: ${roles.join(', ')}.`;
          operation.description = operation.description ? `${operation.description}\n\n${who}` : who;
        }
      }
      for (const status of errors) {
        operation.responses[status] ??= {
          description: ERROR_MEANINGS[status],
          content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorDto' } } },
        };
      }
      operation.responses = Object.fromEntries(
        Object.entries(operation.responses).sort(([a], [b]) => a.localeCompare(b)),
      );
    }
  }
  return toOpenApi31(document);
}

/**
 * Nest's generator writes OpenAPI 3.0's `nullable: true`, which 3.1 (JSON Schema) drops and which beside
 * `allOf: [$ref]` never admitted null anyway. Rewritten: `type: [T, 'null']` (and `null` in an enum), or
 * `oneOf: [$ref, {type: 'null'}]` for a nullable object (@nestjs/swagger 12 writes `anyOf: [$ref, {type:
 * 'null'}]` itself for a nullable DTO property, which means the same).
 */
function toOpenApi31<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => toOpenApi31(item)) as T;
  if (value === null || typeof value !== 'object') return value;
  const node: Json = Object.fromEntries(
    Object.entries(value as Json).map(([key, item]) => [key, toOpenApi31(item)]),
  );
  if (node.nullable !== true) {
    delete node.nullable;
    return node as T;
  }
  delete node.nullable;
  const target = (node.allOf as Json[] | undefined)?.length === 1 ? (node.allOf as Json[])[0]! : null;
  const ref = node.$ref ?? target?.$ref;
  if (ref) {
    const { allOf: _allOf, $ref: _ref, type: _type, ...rest } = node;
    return { ...rest, oneOf: [{ $ref: ref }, { type: 'null' }] } as T;
  }
  if (typeof node.type === 'string') node.type = [node.type, 'null'];
  if (Array.isArray(node.enum) && !node.enum.includes(null)) node.enum = [...(node.enum as unknown[]), null];
  return node as T;
}
