import { DomainError } from './domain.error';

export const MALFORMED_BODY_PROBLEM_CODE = 'malformed-body';

/**
 * A request body that is not valid JSON, answered 400 with Keel's own problem type. The detail is
 * fixed: the parser's message quotes the body back, with whatever it holds (a card number, say).
 */
export class MalformedBodyError extends DomainError {
  constructor() {
    super({
      code: MALFORMED_BODY_PROBLEM_CODE,
      status: 400,
      title: 'Malformed body',
      detail: 'The body is not valid JSON.',
    });
  }
}
