import { json, type ErrorRequestHandler, type RequestHandler } from 'express';
import type { ErrorBody } from './http-exception.filter';

/** Largest JSON body accepted; far above any real order. */
const BODY_LIMIT = '1mb';

interface BodyParserError extends Error {
  type?: string;
  status?: number;
}

/**
 * JSON parsing happens in Express middleware, before Nest's exception filters can see a failure, so the
 * parser's errors get the same `{statusCode, error, message}` shape here.
 */
export function jsonBody(): [RequestHandler, ErrorRequestHandler] {
  const parseErrors: ErrorRequestHandler = (error: BodyParserError, _request, response, next) => {
    const messages: Record<string, [number, string, string]> = {
      'entity.parse.failed': [400, 'Bad Request', `the request body is not valid JSON: ${error.message}`],
      'entity.too.large': [413, 'Payload Too Large', `the request body is larger than ${BODY_LIMIT}`],
      'encoding.unsupported': [415, 'Unsupported Media Type', error.message],
      'charset.unsupported': [415, 'Unsupported Media Type', error.message],
    };
    const known = error.type ? messages[error.type] : undefined;
    if (!known) return next(error);
    const [statusCode, reason, message] = known;
    const body: ErrorBody = { statusCode, error: reason, message };
    response.status(statusCode).json(body);
  };
  return [json({ limit: BODY_LIMIT }), parseErrors];
}
