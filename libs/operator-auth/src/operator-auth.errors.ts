import { DomainError } from '@keel/observability';
import type { OperatorRole } from './operator-role';

/** Problem codes of the operator surfaces: `https://keel.dev/problems/<code>`. */
export enum OperatorProblemCode {
  Unauthenticated = 'operator_unauthenticated',
  Forbidden = 'operator_forbidden',
}

const OPERATOR_PROBLEMS: Readonly<Record<OperatorProblemCode, { status: number; title: string }>> = {
  [OperatorProblemCode.Unauthenticated]: { status: 401, title: 'Operator credential missing or invalid' },
  [OperatorProblemCode.Forbidden]: { status: 403, title: 'Operator role too low' },
};

/** A refused operator request, answered as problem+json by the shared filter. */
export class OperatorProblem extends DomainError {
  override readonly code: OperatorProblemCode;

  constructor(code: OperatorProblemCode, detail: string, extensions?: Readonly<Record<string, unknown>>) {
    super({ code, ...OPERATOR_PROBLEMS[code], detail, extensions });
    this.code = code;
  }

  static forbidden(held: OperatorRole, needed: OperatorRole): OperatorProblem {
    return new OperatorProblem(
      OperatorProblemCode.Forbidden,
      `This needs the operator role ${needed} or above; the credential has ${held}.`,
      { requiredRole: needed },
    );
  }
}
