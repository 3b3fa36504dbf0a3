import { BadRequestException } from '@nestjs/common';

export interface FieldError {
  /** Dotted path into the body, with array indexes: `items.0.amountMinor`. */
  readonly field: string;
  readonly message: string;
}

/** Thrown by validationPipe(); ProblemDetailsFilter lists `errors` in the problem's `errors` member. */
export class ValidationFailedException extends BadRequestException {
  constructor(readonly errors: readonly FieldError[]) {
    super({ message: 'Validation failed', errors });
  }
}
