import { json, type ErrorRequestHandler, type RequestHandler } from 'express';
import type { ErrorBody } from './http-exception.filter';
import { MAX_JSON_DEPTH, jsonDepth } from './input-boundary';

/** Largest JSON body accepted; far above any real order. */
const BODY_LIMIT = '1mb';

/** The methods whose body the API reads; a body sent with any other is ignored, never parsed. */
export const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

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
      'entity.too.deep': [400, 'Bad Request', error.message],
      'entity.not.object': [400, 'Bad Request', error.message],
    };
    const known = error.type ? messages[error.type] : undefined;
    if (!known) return next(error);
    const [statusCode, reason, message] = known;
    const body: ErrorBody = { statusCode, error: reason, message };
    response.status(statusCode).json(body);
  };
  // Refused before parsing, so a hostile nesting never reaches JSON.parse, class-transformer or a workflow.
  const verify = (_request: unknown, _response: unknown, buffer: Buffer) => {
    const text = buffer.toString('utf8');
    // Every body the API takes is an object: an array, string or number is refused whole, with its reason.
    const first = text.replace(/^\uFEFF/, '').trimStart()[0];
    if (first !== undefined && first !== '{') {
      throw Object.assign(new Error('the request body must be a JSON object'), {
        type: 'entity.not.object',
        status: 400,
      });
    }
    if (jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
      throw Object.assign(
        new Error(`the request body nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels`),
        { type: 'entity.too.deep', status: 400 },
      );
    }
  };
  const parser = json({ limit: BODY_LIMIT, verify });
  const parseWrites: RequestHandler = (request, response, next) =>
    BODY_METHODS.has(request.method) ? parser(request, response, next) : next();
  return [parseWrites, parseErrors];
}
