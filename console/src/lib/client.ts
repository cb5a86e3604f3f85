/**
 * The typed API client. Types come from the API's own OpenAPI document (api.gen.d.ts), so a change of the
 * API that the console does not follow fails the build. Requests go to the same origin with the session
 * cookie; writes carry the anti-forgery token, which lives only in this module's memory.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './api.gen';

export type Schemas = components['schemas'];
export type Order = Schemas['OrderDto'];
export type OrderStatus = Order['status'];
export type OrderAction = Order['actions'][number];
export type Me = Schemas['MeDto'];
export type Role = Schemas['UserDto']['roles'][number];

let csrfToken: string | null = null;
let onSessionLost: (() => void) | null = null;

/** Keeps the session's anti-forgery token in memory (never in storage). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when the API answers 401 to a signed-in page: the session expired or was revoked. */
export function setSessionLostHandler(handler: (() => void) | null): void {
  onSessionLost = handler;
}

/** The body of every API error: `{statusCode, error, message}` and, depending on the error, more. */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
  field?: string;
  status?: OrderStatus;
  awaiting?: string | null;
}

/** A refused request, with the API's error body. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.message);
  }
}

const SAFE = ['GET', 'HEAD', 'OPTIONS'];
const SIGN_IN_PATHS = ['/api/auth/session', '/api/auth/me', '/api/auth/logout'];

const session: Middleware = {
  onRequest({ request }) {
    if (!SAFE.includes(request.method) && csrfToken) request.headers.set('X-CSRF-Token', csrfToken);
    return request;
  },
  onResponse({ request, response }) {
    const path = new URL(request.url).pathname;
    if (response.status === 401 && !SIGN_IN_PATHS.includes(path)) onSessionLost?.();
    return response;
  },
};

// The console reads JSON: answers the API also gives in other media types (CSV reports) type as JSON here.
export const api = createClient<paths, 'application/json'>({
  baseUrl: window.location.origin,
  credentials: 'same-origin',
});
api.use(session);

/** The data of an openapi-fetch answer, or an ApiError with the API's body. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.response.ok) return result.data as T;
  const body = (result.error ?? {}) as Partial<ApiErrorBody>;
  throw new ApiError(result.response.status, {
    statusCode: result.response.status,
    error: body.error ?? result.response.statusText,
    message: body.message ?? result.response.statusText,
    ...(body.field ? { field: body.field } : {}),
    ...(body.status ? { status: body.status } : {}),
    ...(body.awaiting !== undefined ? { awaiting: body.awaiting } : {}),
  });
}
