import type { NextFunction, Request, Response } from 'express';
import { REQUEST_ID_HTTP_HEADER, acceptRequestId, withRequestId } from '../ops/request-id';

type WithId = Request & { id?: string };

/** Takes the caller's X-Request-Id when acceptable (or makes one), echoes it, and keeps it on the request. */
export function assignRequestId(request: WithId, response: Response, next: NextFunction): void {
  request.id = acceptRequestId(request.headers[REQUEST_ID_HTTP_HEADER.toLowerCase()]);
  response.setHeader(REQUEST_ID_HTTP_HEADER, request.id);
  next();
}

/**
 * Serves the rest of the request with its id as the current one, so calls to Temporal carry it. Mounted
 * after body parsing, whose stream events would otherwise leave the context behind.
 */
export function runWithRequestId(request: WithId, _response: Response, next: NextFunction): void {
  withRequestId(request.id ?? acceptRequestId(undefined), () => next());
}
