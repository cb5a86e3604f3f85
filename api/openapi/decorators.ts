/**
 * The few decorators an endpoint needs to describe itself truthfully. What every endpoint shares (how to
 * sign in, 401/403/503, 400/413/415 for input, 404 for a path id) is added by `finishDocument`; an endpoint
 * declares its own answers: its operation, its success response and its business refusals.
 */
import { applyDecorators, createParamDecorator, type ExecutionContext, type Type } from '@nestjs/common';
import type { Request } from 'express';
import { ApiExtraModels, ApiOperation, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ErrorDto } from '../dtos/error.dto';
import { invalidField } from '../errors/domain.error';

/** The error statuses the API answers with, always with the one error body (`ErrorDto`). */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 422 | 429 | 503;

/** What each error status means in this API, for the document's readers. */
export const ERROR_MEANINGS: Record<ErrorStatus, string> = {
  400: 'Malformed or invalid input; the message names the field.',
  401: 'No credentials, or a token that is invalid, expired or revoked.',
  403: 'Your roles may not do this, or a write signed in by the session cookie came without X-CSRF-Token.',
  404: 'Nothing with that id (whatever its format).',
  409: "The resource's state does not allow this; the message names the current status.",
  410: 'Gone: it existed and has expired.',
  413: 'The request body is larger than the limit (1 MB).',
  415: 'The request body is not JSON in a supported encoding.',
  422: 'Idempotency-Key reused with a different body.',
  429: 'Too many attempts; wait and repeat.',
  503: 'PostgreSQL or Temporal cannot be reached right now; nothing was done, the request may be repeated.',
};

/** The document's name for an operation (`listOrders`, a verb on a resource) and its one-line summary. */
export const ApiOp = (operationId: string, summary: string, description?: string) =>
  ApiOperation({ operationId, summary, ...(description ? { description } : {}) });

/**
 * The refusals an endpoint itself can answer with, each with the error body: `@ApiErrors(404, 409)`, or
 * `[409, 'why']` to say when it happens. Cross-cutting ones (401, 403, 503, input 400s) need not be listed.
 */
export function ApiErrors(...errors: (ErrorStatus | [ErrorStatus, string])[]) {
  return applyDecorators(
    ...errors.map((error) => {
      const [status, description] = Array.isArray(error) ? error : [error, ERROR_MEANINGS[error]];
      return ApiResponse({ status, description, type: ErrorDto });
    }),
  );
}

/**
 * The 503 of a CPU-heavy operation (a PDF, a history replay): besides an unreachable dependency, the API
 * process may already be running and queueing as many of them as it may (OMS_HEAVY_WORK_CONCURRENCY,
 * OMS_HEAVY_WORK_QUEUE); then the answer says after how many seconds to ask again.
 */
export const ApiBusy = (description: string) =>
  ApiResponse({
    status: 503,
    description: `${description} Also when this API process is already running and queueing as many PDFs and history replays as it may: repeat after \`Retry-After\` seconds.`,
    type: ErrorDto,
    headers: {
      'Retry-After': {
        description: 'Seconds to wait, when the process is busy.',
        schema: { type: 'integer', minimum: 1 },
      },
    },
  });

/** A success answer in one or more media types, each with its own schema (JSON: a DTO; text: a string). */
export function ApiContent(
  status: number,
  description: string,
  content: Record<string, Type<unknown> | Record<string, unknown>>,
) {
  const models = Object.values(content).filter(
    (value): value is Type<unknown> => typeof value === 'function',
  );
  return applyDecorators(
    ApiExtraModels(...models),
    ApiResponse({
      status,
      description,
      content: Object.fromEntries(
        Object.entries(content).map(([mediaType, schema]) => [
          mediaType,
          { schema: typeof schema === 'function' ? { $ref: getSchemaPath(schema) } : schema },
        ]),
      ),
    }),
  );
}

/** Schemas of non-JSON bodies. */
export const TEXT = { type: 'string' } as const;
export const BINARY = { type: 'string', format: 'binary' } as const;

/** A report: JSON by default, CSV (`text/csv`) with `?format=csv`. */
export const ApiJsonOrCsv = (dto: Type<unknown>, description: string) =>
  ApiContent(200, `${description} \`?format=csv\` answers the same as a CSV file.`, {
    'application/json': dto,
    'text/csv': TEXT,
  });

/** A printable document: HTML by default, PDF with `?format=pdf`. */
export const ApiHtmlOrPdf = (description: string) =>
  ApiContent(200, `${description} HTML, or a PDF with \`?format=pdf\`.`, {
    'text/html': TEXT,
    'application/pdf': BINARY,
  });

/**
 * The value of an optional request header, described by `@ApiHeader` beside it. Nest's own `@Headers(name)`
 * would also add the header to the document, under its lower-cased name and as required.
 */
export const OptionalHeader = createParamDecorator(
  (name: string, context: ExecutionContext): string | undefined => {
    const value = context.switchToHttp().getRequest<Request>().headers[name.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
  },
);

/**
 * The optional `Idempotency-Key` request header (described by `@ApiHeader` beside it, in the endpoint's own
 * words): 1 to 200 visible ASCII characters, or a 400 naming it before the endpoint runs.
 */
export const IdempotencyKey = createParamDecorator(
  (_: unknown, context: ExecutionContext): string | undefined => {
    const value = context.switchToHttp().getRequest<Request>().headers['idempotency-key'];
    const key = Array.isArray(value) ? value[0] : value;
    if (key !== undefined && !/^[\x21-\x7e]{1,200}$/.test(key)) {
      throw invalidField('Idempotency-Key', 'must be 1 to 200 visible ASCII characters');
    }
    return key;
  },
);
