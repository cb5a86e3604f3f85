import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { Response } from 'express';
import { InvalidCursorError } from '../../db/repositories';
import { DomainError, RetryLater } from './domain.error';
import { unreachableDependency } from './unavailable';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  [extra: string]: unknown;
}

function reason(status: number): string {
  const name = HttpStatus[status];
  return name
    ? name
        .toLowerCase()
        .replace(/(^|_)(\w)/g, (_m, sep: string, c: string) => (sep ? ' ' : '') + c.toUpperCase())
    : 'Error';
}

/**
 * PostgreSQL's refusals of a value (class 22: out of range, invalid text, bad encoding) and of a missing
 * value (23502). The input boundary should stop all of them first; one that still gets here is the
 * caller's input, not a fault of ours, so it is a 400, and logged so that the boundary can be tightened.
 */
function refusedValue(exception: unknown): boolean {
  const code = (exception as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('22') || code === '23502');
}

/** The only place where errors become HTTP responses: `{statusCode, error, message}` for every failure. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    this.send(host.switchToHttp().getResponse<Response>(), exception);
  }

  /** Writes the error response; also used by middleware that runs outside Nest's routing. */
  send(response: Response, exception: unknown): void {
    const body = errorBody(exception, this.logger);
    if (exception instanceof RetryLater)
      response.setHeader('Retry-After', String(exception.retryAfterSeconds));
    // JSON whatever the route declared for its success (`@Header('Content-Type', 'text/plain')` on /metrics
    // is set before the handler runs, and Express's json() keeps a type already set).
    response.status(body.statusCode).type('application/json').json(body);
  }
}

/**
 * The answer an error gets: a DomainError its own status and message, an unreachable dependency 503, a value
 * PostgreSQL refused 400, anything else 500 without details (logged with its stack). Also what each order's
 * row of a bulk action says.
 */
export function errorBody(exception: unknown, logger: Logger): ErrorBody {
  const body = knownErrorBody(exception, logger);
  if (body.statusCode >= 500 && body.statusCode !== 503 && !(exception instanceof DomainError)) {
    // The message and code as they are now: some clients rewrite them after the stack was taken.
    const { code } = (exception ?? {}) as { code?: unknown };
    logger.error(
      exception instanceof Error
        ? `${exception.message}${code === undefined ? '' : ` (code ${JSON.stringify(code)})`}\n${exception.stack ?? ''}`
        : String(exception),
    );
  }
  return body;
}

function knownErrorBody(exception: unknown, logger: Logger): ErrorBody {
  if (exception instanceof DomainError) {
    return {
      statusCode: exception.statusCode,
      error: reason(exception.statusCode),
      message: exception.message,
      ...exception.details,
    };
  }
  if (exception instanceof InvalidCursorError) {
    return { statusCode: 400, error: 'Bad Request', message: exception.message, field: 'cursor' };
  }
  const down = unreachableDependency(exception);
  if (down) {
    logger.warn(`${down} could not be reached: ${(exception as Error).message}`);
    return {
      statusCode: 503,
      error: 'Service Unavailable',
      message: `${down} cannot be reached right now; try again in a moment`,
    };
  }
  if (refusedValue(exception)) {
    logger.warn(`a value reached PostgreSQL and was refused: ${(exception as Error).message}`);
    return { statusCode: 400, error: 'Bad Request', message: 'a value in the request cannot be stored' };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const payload = exception.getResponse();
    let message = exception.message;
    if (typeof payload === 'object' && payload !== null && 'message' in payload) {
      const value = payload.message;
      message = Array.isArray(value) ? value.join('; ') : String(value);
    }
    // Body-parser reports malformed JSON with the parser's own wording; say it plainly.
    if (status === 400 && exception.cause instanceof SyntaxError)
      message = `the request body is not valid JSON: ${message}`;
    return { statusCode: status, error: reason(status), message };
  }
  return { statusCode: 500, error: 'Internal Server Error', message: 'something went wrong on our side' };
}
