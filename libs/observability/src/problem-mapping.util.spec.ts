import { BadRequestException, ConflictException, HttpException, NotFoundException } from '@nestjs/common';
import { DomainError } from './domain.error';
import { MalformedBodyError } from './malformed-body.error';
import { ObservabilityErrorCode } from './observability.error';
import { toJson } from './problem';
import { INTERNAL_ERROR_DETAIL, problemFromException } from './problem-mapping.util';
import { ValidationFailedException } from './validation-failed.error';

class PaymentError extends DomainError {}

describe('problemFromException', () => {
  it('maps a DomainError to its own type, status, title, detail, code and extensions', () => {
    const error = new PaymentError({
      code: 'payment-not-found',
      status: 404,
      title: 'Payment not found',
      detail: 'No payment pay_1 for this merchant.',
      extensions: { paymentId: 'pay_1', status: 200, type: 'overridden?' },
    });
    expect(problemFromException(error)).toEqual({
      type: 'https://keel.dev/problems/payment-not-found',
      title: 'Payment not found',
      status: 404,
      detail: 'No payment pay_1 for this merchant.',
      code: 'payment-not-found',
      paymentId: 'pay_1',
    });
  });

  it('lists field errors of a validation failure', () => {
    const errors = [{ field: 'amountMinor', message: 'amountMinor must be an integer number' }];
    expect(problemFromException(new ValidationFailedException(errors))).toEqual({
      type: 'https://keel.dev/problems/validation-failed',
      title: 'Validation failed',
      status: 400,
      detail: 'The request has invalid fields.',
      errors,
    });
  });

  it('maps Nest HTTP exceptions to about:blank with the status phrase as title', () => {
    expect(problemFromException(new NotFoundException())).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
    });
    expect(problemFromException(new ConflictException('Payment is already captured'))).toEqual({
      type: 'about:blank',
      title: 'Conflict',
      status: 409,
      detail: 'Payment is already captured',
    });
    expect(problemFromException(new HttpException('Slow down', 429))).toEqual({
      type: 'about:blank',
      title: 'Too Many Requests',
      status: 429,
      detail: 'Slow down',
    });
  });

  it('joins the message list of a plain ValidationPipe error', () => {
    const exception = new BadRequestException(['name should not be empty', 'age must be a number']);
    expect(problemFromException(exception)).toMatchObject({
      status: 400,
      detail: 'name should not be empty; age must be a number',
    });
  });

  it('keeps the status and message of client errors from Express middleware', () => {
    const tooLarge = Object.assign(new Error('request entity too large'), { status: 413, expose: true });
    expect(problemFromException(tooLarge)).toEqual({
      type: 'about:blank',
      title: 'Payload Too Large',
      status: 413,
      detail: 'request entity too large',
    });
    const notExposed = Object.assign(new Error('socket hang up'), { status: 502, expose: true });
    expect(problemFromException(notExposed)).toMatchObject({ status: 500, detail: INTERNAL_ERROR_DETAIL });
  });

  it('answers a body that is not JSON with malformed-body, never quoting the body back', () => {
    expect(problemFromException(new MalformedBodyError())).toEqual({
      type: 'https://keel.dev/problems/malformed-body',
      title: 'Malformed body',
      status: 400,
      detail: 'The body is not valid JSON.',
      code: 'malformed-body',
    });
  });

  it('answers unknown errors with a bare 500 that leaks nothing', () => {
    const problem = problemFromException(new Error('connect ECONNREFUSED 10.0.0.5:5432 password=hunter2'));
    expect(problem).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail: INTERNAL_ERROR_DETAIL,
    });
    expect(problemFromException('a thrown string')).toEqual(problem);
    expect(problemFromException(undefined)).toEqual(problem);
  });
});

describe('DomainError', () => {
  it('defaults detail to the title and names itself after its class', () => {
    const error = new PaymentError({ code: 'declined', status: 402, title: 'Payment declined' });
    expect(error.detail).toBe('Payment declined');
    expect(error.message).toBe('Payment declined');
    expect(error.name).toBe('PaymentError');
    expect(error).toBeInstanceOf(Error);
  });

  it('refuses a status that is not an HTTP error status', () => {
    expect(() => new DomainError({ code: 'x', status: 200, title: 'x' })).toThrow(
      expect.objectContaining({ code: ObservabilityErrorCode.InvalidProblemStatus }),
    );
  });

  it('refuses a Retry-After that is not whole seconds, and keeps one that is', () => {
    for (const retryAfterS of [-1, 1.5, Number.NaN]) {
      expect(() => new DomainError({ code: 'x', status: 503, title: 'x', retryAfterS })).toThrow(
        expect.objectContaining({ code: ObservabilityErrorCode.InvalidRetryAfter }),
      );
    }
    expect(new DomainError({ code: 'x', status: 503, title: 'x', retryAfterS: 7 }).retryAfterS).toBe(7);
    expect(new DomainError({ code: 'x', status: 503, title: 'x' }).retryAfterS).toBeUndefined();
  });
});

describe('toJson', () => {
  it('writes bigint amounts as decimal strings', () => {
    expect(toJson({ amountMinor: 12345678901234567890n })).toBe('{"amountMinor":"12345678901234567890"}');
  });
});
