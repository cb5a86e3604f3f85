import {
  type ArgumentMetadata,
  BadRequestException,
  HttpException,
  ValidationPipe,
  type ValidationError,
} from '@nestjs/common';
import { DomainError } from './domain.error';
import { checkInputBoundary, checkRawText, textProblem } from './input-boundary';

/** "lines.0.quantity must not be less than 1": each message starts with the path of the field. */
export function describeValidationErrors(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) =>
      // class-validator starts each message with the bare property name; replace it with the full path.
      message.startsWith(error.property)
        ? path + message.slice(error.property.length)
        : `${path}: ${message}`,
    );
    return [...own, ...describeValidationErrors(error.children ?? [], path)];
  });
}

/**
 * Strict validation for every request body and query: unknown fields and wrong types are refused, then
 * every string and null passes the one input boundary (`input-boundary.ts`).
 */
class InputPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // A path segment that is not even valid text cannot name anything: 404, as for any unknown id.
    if (metadata.type === 'param' && typeof value === 'string' && textProblem(value, false)) {
      throw new DomainError('not_found', `${metadata.data ?? 'the path'} names nothing that exists`);
    }
    const checked = metadata.type === 'body' || metadata.type === 'query';
    if (checked) checkRawText(value);
    let result: unknown;
    try {
      result = await super.transform(value, metadata);
    } catch (error) {
      if (error instanceof HttpException) throw error;
      // A validator that throws on a value instead of refusing it: still the caller's input, so a 400.
      throw new BadRequestException(`the request ${metadata.type ?? 'input'} could not be validated`);
    }
    if (checked) checkInputBoundary(result);
    return result;
  }
}

export function createValidationPipe(): ValidationPipe {
  return new InputPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new BadRequestException(describeValidationErrors(errors).join('; ')),
  });
}
