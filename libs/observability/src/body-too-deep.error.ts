import { DomainError } from './domain.error';

export const BODY_TOO_DEEP_PROBLEM_CODE = 'body-too-deep';

/** A JSON body whose objects and arrays nest deeper than the service takes (HTTP_BODY_DEPTH_MAX). */
export class BodyTooDeepError extends DomainError {
  constructor(depthMax: number) {
    super({
      code: BODY_TOO_DEEP_PROBLEM_CODE,
      status: 400,
      title: 'Body nested too deep',
      detail: `The body nests objects and arrays more than ${depthMax} levels deep.`,
      extensions: { depthMax },
    });
  }
}
