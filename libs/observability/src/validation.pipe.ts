import { ValidationError, ValidationPipe } from '@nestjs/common';
import { assertPositiveInteger } from './observability.error';
import { maskPans } from './pan-mask.util';
import { FieldError, ValidationFailedException } from './validation-failed.error';

export interface ValidationPipeOptions {
  /** The response lists at most this many field errors, so a huge invalid body gets a bounded answer. */
  readonly maxErrors?: number;
}

export const DEFAULT_VALIDATION_MAX_ERRORS = 50;
export const OMITTED_ERRORS_FIELD = '*';

/** Nest's ValidationPipe that strips nothing silently: unknown properties are errors, types are transformed. */
export function validationPipe(options: ValidationPipeOptions = {}): ValidationPipe {
  const maxErrors = options.maxErrors ?? DEFAULT_VALIDATION_MAX_ERRORS;
  assertPositiveInteger('maxErrors', maxErrors);
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new ValidationFailedException(fieldErrors(errors, maxErrors)),
  });
}

/**
 * One entry per failed constraint, nested properties as dotted paths; values are never echoed, and
 * a card number used as a property name (an unknown field is named in its message) is masked.
 */
export function fieldErrors(errors: readonly ValidationError[], maxErrors: number): FieldError[] {
  const all = errors.flatMap((error) => constraintMessages(error, error.property));
  if (all.length <= maxErrors) return all;
  const omitted: FieldError = {
    field: OMITTED_ERRORS_FIELD,
    message: `${all.length - maxErrors} more errors omitted`,
  };
  return [...all.slice(0, maxErrors), omitted];
}

function constraintMessages(error: ValidationError, path: string): FieldError[] {
  const own = Object.values(error.constraints ?? {}).map((message) => ({
    field: maskPans(path),
    message: maskPans(message),
  }));
  const nested = (error.children ?? []).flatMap((child) =>
    constraintMessages(child, `${path}.${child.property}`),
  );
  return [...own, ...nested];
}
