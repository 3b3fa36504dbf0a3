import type { OperatorRequest } from '@keel/operator-auth';

/** The operator the guard authenticated: who acted, for the audit and the timeline. */
export function actorOf(request: OperatorRequest): string {
  if (request.operator === undefined)
    throw new Error('an operator route ran without an authenticated operator');
  return request.operator.name;
}
